"""The staff desk on the admin's home: today's to-do and the headline figures, in the
clerk's scope, each count linking to a list of exactly those records, at a fixed query cost."""

from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.elevators.choices import ElevatorStage, VoteChoice
from communities.places.choices import RenovationStatus
from communities.repairs.models import RepairRequest
from communities.reporting.desk import staff_desk
from communities.works.choices import ItemStatus
from communities.works.models.items import RenovationItem
from tests.support.elevators import add_households, cast, new_retrofit
from tests.support.factories import (
    make_building,
    make_community,
    make_district,
    make_elevator,
    make_item,
    make_service,
)
from tests.support.repairs import make_request
from tests.support.roles import grant

pytestmark = pytest.mark.django_db

TAISHAN, DAIYUE = "370902", "370911"
NAMES = {TAISHAN: "泰山区", DAIYUE: "岱岳区"}
# What each district holds (make_places): the desk's counts for a clerk of 泰山区 and for the
# whole city.
TAISHAN_COUNTS = {
    "repairs_due": 3,
    "notices_ending": 1,
    "votes_short": 2,
    "contracts_ending": 1,
    "items_stalled": 1,
}
DAIYUE_COUNTS = {
    "repairs_due": 1,
    "notices_ending": 1,
    "votes_short": 1,
    "contracts_ending": 1,
    "items_stalled": 1,
}


def community_in(code: str, **fields):
    return make_community(district=make_district(code=code, name=NAMES[code]), **fields)


def building_in(code: str):
    return make_building(community=community_in(code))


def overdue_requests(code: str, n: int) -> None:
    community = community_in(code)
    for _i in range(n):
        make_request(community=community)  # submitted in 2025: long past its deadline


def short_votes(code: str, n: int) -> None:
    for _i in range(n):
        make_elevator(building=building_in(code))  # at intention, no household recorded


def stalled_items(code: str, n: int) -> None:
    community = community_in(code)
    long_ago = timezone.now() - timedelta(days=45)
    for _i in range(n):
        item = make_item(community=community, status=ItemStatus.UNDER_CONSTRUCTION)
        RenovationItem.objects.filter(pk=item.pk).update(updated_at=long_ago)


def make_places(code: str, counts: dict) -> None:
    today = timezone.localdate()
    # Repair requests: overdue, one due later today; neither one due tomorrow nor a closed one.
    overdue_requests(code, counts["repairs_due"] - (1 if code == TAISHAN else 0))
    if code == TAISHAN:
        community = community_in(code)
        later = datetime.combine(today, datetime.min.time(), tzinfo=timezone.get_current_timezone())
        due_today = make_request(community=community)
        due_tomorrow = make_request(community=community)
        RepairRequest.objects.filter(pk=due_today.pk).update(
            deadline_at=later + timedelta(hours=23)
        )
        RepairRequest.objects.filter(pk=due_tomorrow.pk).update(
            deadline_at=later + timedelta(days=1, hours=1)
        )
        make_request(community=community, state="closed")
    # Public notices: one ending today; one ending after Sunday is not counted.
    notice_on = today - timedelta(days=20)
    make_elevator(
        building=building_in(code),
        stage=ElevatorStage.PUBLIC_NOTICE,
        notice_on=notice_on,
        notice_days=20,
    )
    make_elevator(
        building=building_in(code),
        stage=ElevatorStage.PUBLIC_NOTICE,
        notice_on=notice_on,
        notice_days=20 + 8,
    )
    # Votes: retrofits at intention with no vote; one whose owners all agreed passes.
    short_votes(code, counts["votes_short"])
    if code == TAISHAN:  # a unit of two households, both entered: a complete roster
        building = make_building(community=community_in(code), entrance_units=1, households=2)
        retrofit = new_retrofit(building=building)
        households = add_households(building, [(3, "301", "80.00"), (4, "401", "80.00")])
        cast(retrofit, households, [VoteChoice.AGREE, VoteChoice.AGREE])
    # Contracts: one ends within 60 days; one ends in 90; one in force without an end.
    make_service(community=community_in(code), contract_end=today + timedelta(days=10))
    make_service(community=community_in(code), contract_end=today + timedelta(days=90))
    make_service(community=community_in(code))
    # Items: one stalled; one under construction changed today; a stalled planned one.
    stalled_items(code, counts["items_stalled"])
    make_item(community=community_in(code), status=ItemStatus.UNDER_CONSTRUCTION)
    planned = make_item(community=community_in(code))
    RenovationItem.objects.filter(pk=planned.pk).update(
        updated_at=timezone.now() - timedelta(days=90)
    )
    # A renovated community for the figures.
    community_in(code, renovation_status=RenovationStatus.COMPLETED, households=120)


def staff_user(username: str, role: str, *options: str):
    user = get_user_model().objects.create_user(username, password="pw-desk-9x!")
    grant(username, role, *options)
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def places():
    make_places(TAISHAN, TAISHAN_COUNTS)
    make_places(DAIYUE, DAIYUE_COUNTS)


@pytest.fixture
def clerk():
    make_district(code=TAISHAN, name=NAMES[TAISHAN])
    return staff_user("taishan-clerk", "district_staff", "--district", TAISHAN)


@pytest.fixture
def city():
    return staff_user("city-boss", "city_admin")


def counts(desk) -> dict:
    return {row.key: row.count for row in desk.todo}


def figures(desk) -> dict:
    return {figure.key: figure.value for figure in desk.figures}


def test_a_clerk_counts_their_district_and_a_city_admin_the_city(places, clerk, city):
    mine, whole = staff_desk(clerk), staff_desk(city)

    assert counts(mine) == TAISHAN_COUNTS
    assert counts(whole) == {key: TAISHAN_COUNTS[key] + DAIYUE_COUNTS[key] for key in mine_keys()}
    assert mine.scope_label == "泰山区"
    assert figures(mine)["communities_renovated"] == "1"
    assert figures(mine)["households_benefited"] == "120"
    assert figures(whole)["communities_renovated"] == "2"
    assert figures(whole)["households_benefited"] == "240"


def mine_keys() -> list[str]:
    return list(TAISHAN_COUNTS)


@pytest.mark.parametrize("who", ["clerk", "city"])
def test_each_count_links_to_a_list_of_exactly_those_records(places, clerk, city, who):
    user = clerk if who == "clerk" else city
    client = Client()
    client.force_login(user)
    desk = staff_desk(user)
    assert len(desk.todo) == 5

    for row in desk.todo:
        response = client.get(row.url)
        assert response.status_code == 200, row.url
        assert response.context["cl"].result_count == row.count, row.key


def test_the_admin_home_shows_the_desk_above_the_app_list(places, clerk):
    client = Client()
    client.force_login(clerk)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="staff-desk"' in html
    assert html.index('id="staff-desk"') < html.index('id="content-main"')
    assert "app-communities" in html  # the app list is kept
    for row in staff_desk(clerk).todo:
        assert f'<a href="{row.url.replace("&", "&amp;")}">{row.count}</a>' in html
    # Chinese for a Chinese reader: the district and the figures' labels.
    assert "泰山区" in html
    assert _("Communities renovated") in html and _("Communities renovated") != (
        "Communities renovated"
    )


@pytest.mark.parametrize("n", [3, 30])
def test_the_desk_costs_the_same_queries_whatever_the_data_size(
    django_assert_num_queries, clerk, n
):
    overdue_requests(TAISHAN, n)
    short_votes(TAISHAN, n)
    stalled_items(TAISHAN, n)
    overdue_requests(DAIYUE, n)
    user = get_user_model().objects.get(pk=clerk.pk)  # no scope or permissions cached
    cache.clear()  # the figures computed, not read from the cache

    # Scope 3, permissions 2, the districts' names 1, five counts, the figures 4.
    with django_assert_num_queries(15):
        desk = staff_desk(user)

    assert counts(desk)["repairs_due"] == n
    assert counts(desk)["votes_short"] == n
    assert counts(desk)["items_stalled"] == n
    # Scope and permissions cached on the user, the figures in the cache: the districts'
    # names and the counts.
    with django_assert_num_queries(6):
        staff_desk(user)


def test_a_user_sees_only_the_rows_of_the_models_they_may_view(places):
    company = staff_user("red-heart", "property_company", "--company", "泰安红心物业有限公司")

    desk = staff_desk(company)

    assert {row.key for row in desk.todo} == {"repairs_due", "contracts_ending"}
    assert desk.figures == []


def test_dates_of_the_week():
    from communities.elevators.selectors import week_left

    assert week_left(date(2026, 12, 5)) == (date(2026, 12, 5), date(2026, 12, 6))  # Saturday
    assert week_left(date(2026, 12, 7)) == (date(2026, 12, 7), date(2026, 12, 13))  # Monday
