"""A community's public page (``/communities/<id>/``)."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from communities.elevators.choices import ElevatorStage
from communities.participation.choices import ProposalStatus
from communities.places.choices import RenovationStatus
from communities.works.choices import DesignPlanStatus, FacilityKind, FundingSource, ItemStatus
from communities.works.models.items import RenovationKind
from tests.support import factories as f
from tests.support.participation import (
    make_completed_community,
    make_plan,
    make_proposal,
    make_rating,
)

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def page(client, community):
    response = client.get(reverse("site:community", args=[community.pk]), **EN)
    assert response.status_code == 200
    return response, response.content.decode()


@pytest.fixture
def leyuan():
    return f.make_community(
        district=f.make_district(code="370902", name="泰山区"),
        name="乐园小区",
        address="迎胜东路12号",
        renovation_status=RenovationStatus.UNDER_CONSTRUCTION,
        renovation_year=2022,
        started_on=date(2022, 3, 1),
        households=1200,
        latitude=Decimal("36.195000"),
        longitude=Decimal("117.129000"),
    )


@pytest.fixture
def items(leyuan):
    kinds = {kind.code: kind for kind in RenovationKind.objects.all()}
    care = f.make_item(
        community=leyuan,
        kind=kinds["elderly-care"],
        title="幸福食堂",
        description="居民点菜：老人就餐难。",
        budget=Decimal("800000"),
        status=ItemStatus.PLANNED,
        planned_start=date(2022, 9, 1),
        planned_end=date(2023, 1, 31),
    )
    pipes = f.make_item(
        community=leyuan,
        kind=kinds["water-drainage"],
        title="更换供水管网",
        budget=Decimal("1200000"),
        status=ItemStatus.UNDER_CONSTRUCTION,
        progress=60,
        actual_start=date(2022, 4, 1),
        contractor="泰安市政工程有限公司",
        supervisor="岱宗监理公司",
    )
    elevator_item = f.make_item(
        community=leyuan,
        kind=kinds["elevator"],
        title="加装电梯",
        budget=Decimal("500000.50"),
        status=ItemStatus.COMPLETED,
        actual_start=date(2022, 4, 10),
        actual_end=date(2022, 8, 20),
    )
    cancelled = f.make_item(
        community=leyuan,
        kind=kinds["roads"],
        title="取消的道路工程",
        budget=Decimal("9000000"),
        status=ItemStatus.CANCELLED,
    )
    f.make_funding(item=pipes, source=FundingSource.CENTRAL_SUBSIDY, amount=Decimal("700000"))
    f.make_funding(item=pipes, source=FundingSource.RESIDENTS, amount=Decimal("100000"))
    return {"care": care, "pipes": pipes, "elevator": elevator_item, "cancelled": cancelled}


def test_items_are_grouped_by_national_category_in_the_national_order(client, items, leyuan):
    _response, content = page(client, leyuan)

    basic = content.index('id="category-basic"')
    improvement = content.index('id="category-improvement"')
    enhancement = content.index('id="category-enhancement"')
    assert basic < improvement < enhancement
    assert basic < content.index("更换供水管网") < improvement
    assert improvement < content.index("加装电梯") < enhancement
    assert enhancement < content.index("幸福食堂")


def test_an_item_shows_budget_funding_status_progress_dates_and_contractor(client, items, leyuan):
    _response, content = page(client, leyuan)
    pipes = content.split(f'id="item-{items["pipes"].pk}"')[1].split("</dl>")[0]

    assert "¥1,200,000" in pipes
    assert 'Central subsidy</span> <span class="num">¥700,000<' in pipes
    assert 'Residents&#x27; contribution</span> <span class="num">¥100,000<' in pipes
    assert "Under construction" in pipes
    assert 'role="progressbar"' in pipes
    assert 'aria-valuenow="60"' in pipes
    assert "width: 60%" in pipes
    assert "April 1, 2022" in pipes
    assert "泰安市政工程有限公司" in pipes
    assert "岱宗监理公司" in pipes


def test_an_item_says_why_it_is_done(client, items, leyuan):
    _response, content = page(client, leyuan)

    assert "居民点菜：老人就餐难。" in content


def test_totals_leave_cancelled_items_out(client, items, leyuan):
    response, _content = page(client, leyuan)

    assert response.context["items_count"] == 3
    assert response.context["total_budget"] == Decimal("2500000.50")
    assert response.context["total_funded"] == Decimal("800000")
    assert "3 items of work, budget ¥2,500,000.50, of which ¥800,000 is funded." in _content


def test_the_timeline_lists_milestones_in_date_order(client, items, leyuan):
    building = f.make_building(community=leyuan, label="3号楼")
    f.make_elevator(building=building, entrance_unit=2, stage=ElevatorStage.CONSENT)
    f.make_facility(community=leyuan, name="幸福食堂", opened_on=date(2023, 2, 1))
    response, _content = page(client, leyuan)

    milestones = [(m.on, m.label, m.planned) for m in response.context["milestones"]]
    assert milestones == sorted(milestones, key=lambda m: (m[0], m[2]))
    labels = [label for _on, label, _planned in milestones]
    assert "Renovation began" in labels
    assert "Work began: 更换供水管网" in labels
    assert "Work finished: 加装电梯" in labels
    assert "Elevator, 3号楼, unit 2: Owners' consent" in labels
    assert "Opened: 幸福食堂" in labels
    assert (date(2022, 9, 1), "Work planned to begin: 幸福食堂", True) in milestones
    assert not any("取消的道路工程" in label for label in labels)


def test_elevators_show_their_stage(client, leyuan):
    building = f.make_building(community=leyuan, label="3号楼")
    f.make_elevator(building=building, entrance_unit=1, stage=ElevatorStage.IN_SERVICE)
    f.make_elevator(building=building, entrance_unit=2, stage=ElevatorStage.PUBLIC_NOTICE)
    _response, content = page(client, leyuan)
    elevators = content.split('id="elevators-title"')[1].split("</section>")[0]

    assert "3号楼, unit 1" in elevators
    assert "In service" in elevators
    assert "step 8 of 8" in elevators
    assert "Public notice" in elevators
    assert "step 4 of 8" in elevators


def test_facilities_are_listed_with_whether_they_are_open(client, leyuan):
    f.make_facility(community=leyuan, kind=FacilityKind.CANTEEN, name="幸福食堂", capacity=50)
    f.make_facility(
        community=leyuan,
        kind=FacilityKind.CHILDREN_PLAY_AREA,
        name="儿童乐园",
        opened_on=date.today() + timedelta(days=30),
    )
    _response, content = page(client, leyuan)
    facilities = content.split('id="facilities-title"')[1].split("</section>")[0]

    assert "幸福食堂" in facilities
    assert "capacity 50" in facilities
    assert "open since Dec. 1, 2022" in facilities
    assert "儿童乐园" in facilities
    assert "not yet open" in facilities


def test_the_current_property_service_shows_its_service_phone_but_no_personal_name(client, leyuan):
    f.make_service(
        community=leyuan,
        provider_name="旧物业公司",
        contract_start=date(2019, 1, 1),
        contract_end=date(2021, 12, 31),
        contact_phone="0538-0000000",
    )
    f.make_service(
        community=leyuan,
        provider_name="泰安红心物业有限公司",
        contract_start=date(2022, 1, 1),
        is_red_property=True,
        contact_name="张秀兰",
        contact_phone="0538-6212345",
    )
    _response, content = page(client, leyuan)
    service = content.split('id="service-title"')[1].split("</section>")[0]

    assert "泰安红心物业有限公司" in service
    assert "Red property" in service
    assert 'href="tel:0538-6212345"' in service
    assert "旧物业公司" not in content
    assert "张秀兰" not in content


def test_a_community_without_property_service_says_so(client, leyuan):
    _response, content = page(client, leyuan)

    assert "No property service covers this community today." in content


def test_the_small_map_has_the_communitys_location(client, leyuan):
    _response, content = page(client, leyuan)

    assert 'data-point="36.195000,117.129000"' in content
    assert 'data-point-status="under_construction"' in content
    assert "vendor/leaflet-1.9.4/leaflet.js" in content


def test_a_community_without_a_location_has_no_map(client):
    community = f.make_community(latitude=None, longitude=None)
    _response, content = page(client, community)

    assert "data-map" not in content
    assert "leaflet.js" not in content
    assert "No location has been recorded for this community." in content


def test_the_page_says_when_it_was_last_updated(client, items, leyuan):
    response, content = page(client, leyuan)

    newest = max([leyuan.updated_at] + [item.updated_at for item in items.values()])
    assert response.context["last_updated"] == newest
    assert re.search(r"Last updated \w+\.? \d{1,2}, \d{4}", content)


def test_an_unknown_community_is_a_404(client):
    assert client.get(reverse("site:community", args=[999999])).status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_the_page_runs_the_same_queries_however_many_items(
    client, django_assert_num_queries, count
):
    community = make_completed_community(name="松园小区")
    kinds = list(RenovationKind.objects.filter(is_reinforcement=False))
    for number in range(count):
        item = f.make_item(
            community=community,
            kind=kinds[number % len(kinds)],
            title=f"工程{number}",
            status=ItemStatus.COMPLETED,
        )
        f.make_funding(item=item, amount=Decimal("1000"))
        f.make_facility(community=community, name=f"设施{number}")
        building = f.make_building(community=community, label=f"{number}号楼")
        f.make_elevator(building=building, stage=ElevatorStage.DESIGN)
        make_proposal(
            community=community, title=f"建议{number}", item=item, status=ProposalStatus.ADOPTED
        )
        make_rating(item=item, comment=f"满意{number}")
    make_plan(community=community, status=DesignPlanStatus.APPROVED)
    f.make_service(community=community)
    # 1 community with its district, 1 items with kind and building, 1 their funding lines,
    # 1 elevators with their building, 1 facilities, 1 current property service; residents'
    # participation: 1 proposals, 1 public plans, 1 their documents, 1 ratings per subject,
    # 1 latest comments; 1 photos with their items and inspections; the construction record
    # (issue 17): 1 inspections by kind, 1 orders, 1 acceptances (none here, so their parties
    # are not read); the items carry their settlement.
    with django_assert_num_queries(15):
        response = client.get(reverse("site:community", args=[community.pk]))
    assert response.status_code == 200
