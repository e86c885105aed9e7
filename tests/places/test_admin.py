"""The staff admin for districts, communities (with their inlines) and buildings."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from communities.places.choices import RenovationStatus, SafetyGrade
from communities.places.models import Community, District
from communities.works.choices import ItemStatus
from communities.works.models.items import RenovationItem
from tests.support.factories import (
    make_building,
    make_busy_community,
    make_community,
    make_district,
    make_funding,
    make_item,
)

pytestmark = pytest.mark.django_db


def admin_url(view: str, *args) -> str:
    return reverse(f"admin:communities_{view}", args=args)


# District


def test_the_district_changelist_runs_the_same_queries_for_3_and_30_rows(
    staff_client, django_assert_num_queries
):
    url = admin_url("district_changelist")
    for _row in range(3):
        make_community(renovation_status=RenovationStatus.COMPLETED)
    staff_client.get(url)  # warm the per-process caches (content types)

    # session, user, count, the page's rows with both community counts as subqueries
    with django_assert_num_queries(4):
        response = staff_client.get(url)
    assert response.context["cl"].result_count == 3
    for _row in range(27):
        make_community(renovation_status=RenovationStatus.COMPLETED)
    with django_assert_num_queries(4):
        response = staff_client.get(url)

    assert response.context["cl"].result_count == 30


def test_the_district_changelist_counts_communities_and_completed_ones(staff_client):
    district = make_district(code="370902", name="泰山区")
    make_community(district=district, renovation_status=RenovationStatus.COMPLETED)
    make_community(district=district, renovation_status=RenovationStatus.PLANNED)

    response = staff_client.get(admin_url("district_changelist"))

    [row] = response.context["cl"].result_list
    assert (row.community_count, row.completed_count) == (2, 1)
    assert f"?district__id__exact={district.pk}" in response.content.decode()


def test_the_district_add_and_change_pages_render(staff_client, django_assert_max_num_queries):
    district = make_district()
    staff_client.get(admin_url("district_change", district.pk))

    # session, user; the change page adds the district
    with django_assert_max_num_queries(3):
        assert staff_client.get(admin_url("district_add")).status_code == 200
    with django_assert_max_num_queries(3):
        assert staff_client.get(admin_url("district_change", district.pk)).status_code == 200


def test_the_district_admin_refuses_a_code_that_is_not_six_digits(staff_client, admin_errors):
    district = make_district(code="370902", name="泰山区")

    response = staff_client.post(
        admin_url("district_change", district.pk), {"code": "37092", "name": "改名"}
    )

    assert response.status_code == 200
    assert admin_errors(response) == {"code": [_("Enter the 6-digit administrative code.")]}
    district.refresh_from_db()
    assert (district.code, district.name) == ("370902", "泰山区")


def test_the_district_admin_speaks_chinese_by_default(staff_client):
    response = staff_client.post(admin_url("district_add"), {"code": "1", "name": ""})

    assert "请更正以下错误。" in response.content.decode()


def test_the_district_admin_adds_a_district(staff_client):
    response = staff_client.post(admin_url("district_add"), {"code": "370911", "name": "岱岳区"})

    assert response.status_code == 302
    assert District.objects.get(code="370911").name == "岱岳区"


# Community: changelist


def test_the_community_changelist_runs_the_same_queries_for_3_and_30_rows(
    staff_client, django_assert_num_queries
):
    url = admin_url("community_changelist")
    for _row in range(3):
        make_busy_community()
    staff_client.get(url)

    # session, user, district filter options, count, the page's rows (district joined; items,
    # budget and progress as subqueries), date hierarchy bounds, date hierarchy years,
    # batch-year filter options
    with django_assert_num_queries(8):
        response = staff_client.get(url)
    assert response.context["cl"].result_count == 3
    for _row in range(27):
        make_busy_community()
    with django_assert_num_queries(8):
        response = staff_client.get(url)

    assert response.context["cl"].result_count == 30


def test_the_community_changelist_shows_items_budget_and_progress_without_cancelled_items(
    staff_client,
):
    community = make_community()
    make_item(community=community, budget=Decimal("100000.00"), progress=20)
    make_item(
        community=community,
        budget=Decimal("300000.00"),
        status=ItemStatus.UNDER_CONSTRUCTION,
        progress=60,
    )
    make_item(community=community, budget=Decimal("999999.00"), status=ItemStatus.CANCELLED)

    response = staff_client.get(admin_url("community_changelist"))

    [row] = response.context["cl"].result_list
    assert row.item_count == 2
    assert row.budget_total == Decimal("400000.00")
    assert row.progress_average == pytest.approx(40)
    assert "¥400,000.00" in response.content.decode()
    assert "40%" in response.content.decode()


def test_the_community_changelist_filters_by_district_status_and_year(staff_client):
    taishan = make_district(code="370902", name="泰山区")
    wanted = make_community(
        district=taishan, renovation_status=RenovationStatus.PLANNED, renovation_year=2023
    )
    make_community(
        district=taishan, renovation_status=RenovationStatus.PLANNED, renovation_year=2022
    )
    make_community(renovation_status=RenovationStatus.PLANNED, renovation_year=2023)
    make_community(district=taishan, renovation_year=2023)

    response = staff_client.get(
        admin_url("community_changelist"),
        {
            "district__id__exact": taishan.pk,
            "renovation_status__exact": RenovationStatus.PLANNED,
            "renovation_year": 2023,
        },
    )

    assert list(response.context["cl"].result_list) == [wanted]


def test_the_community_changelist_searches_names_and_addresses(staff_client):
    wanted = make_community(name="乐园小区", address="泰山区乐园路1号")
    make_community(name="松园小区", address="泰山区松园路2号")

    by_name = staff_client.get(admin_url("community_changelist"), {"q": "乐园"})
    by_address = staff_client.get(admin_url("community_changelist"), {"q": "乐园路"})

    assert list(by_name.context["cl"].result_list) == [wanted]
    assert list(by_address.context["cl"].result_list) == [wanted]


def test_the_community_changelist_sorts_by_budget(staff_client):
    small = make_community()
    make_item(community=small, budget=Decimal("1000.00"))
    large = make_community()
    make_item(community=large, budget=Decimal("9000.00"))
    columns = staff_client.get(admin_url("community_changelist")).context["cl"].list_display

    response = staff_client.get(
        admin_url("community_changelist"), {"o": f"-{columns.index('budget')}"}
    )

    assert list(response.context["cl"].result_list) == [large, small]


# Community: add and change pages


def test_the_community_change_page_runs_the_same_queries_for_few_and_many_inline_rows(
    staff_client, django_assert_num_queries
):
    community = make_busy_community()
    url = admin_url("community_change", community.pk)
    staff_client.get(url)

    # session, user, the community (with its figures), buildings, items (with funding totals),
    # facilities, property services (with their community), the district's autocomplete label,
    # and once each for every row's selects: kinds, the community's buildings, its items
    with django_assert_num_queries(11):
        assert staff_client.get(url).status_code == 200
    for _row in range(10):
        building = make_building(community=community)
        make_item(community=community, building=building)
    with django_assert_num_queries(11):
        response = staff_client.get(url)

    items = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is RenovationItem
    )
    assert len(items.forms) == 12


def test_the_community_add_page_renders(staff_client, django_assert_max_num_queries):
    staff_client.get(admin_url("community_add"))

    # session, user, the kinds for the item inline's select
    with django_assert_max_num_queries(3):
        assert staff_client.get(admin_url("community_add")).status_code == 200


def test_the_community_item_inline_offers_only_the_communitys_own_buildings(staff_client):
    community = make_community()
    own = make_building(community=community, label="1号楼")
    make_building(label="9号楼")

    response = staff_client.get(admin_url("community_change", community.pk))

    items = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is RenovationItem
    )
    offered = [label for value, label in items.empty_form.fields["building"].choices if value]
    assert offered == [own.label]


def test_the_community_admin_refuses_coordinates_outside_china(
    staff_client, admin_form_data, admin_errors
):
    community = make_busy_community(name="乐园小区")
    url = admin_url("community_change", community.pk)
    data = admin_form_data(staff_client.get(url))
    data.update(latitude="60.000000", name="改名小区")

    response = staff_client.post(url, data)

    assert admin_errors(response) == {
        "latitude": [
            _("Ensure this value is less than or equal to %(limit_value)s.") % {"limit_value": 53.6}
        ]
    }
    community.refresh_from_db()
    assert (community.name, community.latitude) == ("乐园小区", Decimal("36.190000"))


def test_the_community_admin_refuses_a_completion_before_the_start(
    staff_client, admin_form_data, admin_errors
):
    community = make_community(renovation_status=RenovationStatus.COMPLETED)
    url = admin_url("community_change", community.pk)
    data = admin_form_data(staff_client.get(url))
    data.update(started_on="2022-06-01", completed_on="2022-05-31")

    response = staff_client.post(url, data)

    assert admin_errors(response) == {
        "__all__": [_("The completion date cannot be before the start date.")]
    }
    community.refresh_from_db()
    assert community.started_on == date(2022, 3, 1)


def test_the_community_admin_refuses_a_year_built_before_1949(
    staff_client, admin_form_data, admin_errors
):
    community = make_community(year_built=1985)
    url = admin_url("community_change", community.pk)
    data = admin_form_data(staff_client.get(url))
    data.update(year_built="1900")

    response = staff_client.post(url, data)

    assert admin_errors(response) == {
        "year_built": [
            _("Ensure this value is greater than or equal to %(limit_value)s.")
            % {"limit_value": 1949}
        ]
    }
    community.refresh_from_db()
    assert community.year_built == 1985


def test_the_community_admin_refuses_negative_households(
    staff_client, admin_form_data, admin_errors
):
    community = make_community(households=100)
    url = admin_url("community_change", community.pk)
    data = admin_form_data(staff_client.get(url))
    data.update(households="-1")

    response = staff_client.post(url, data)

    assert set(admin_errors(response)) == {"households"}
    community.refresh_from_db()
    assert community.households == 100


def test_the_community_admin_adds_a_community_with_a_building(staff_client, admin_form_data):
    district = make_district()
    data = admin_form_data(staff_client.get(admin_url("community_add")))
    data.update(
        {
            "name": "岱西花园",
            "district": district.pk,
            "year_built": "1992",
            "households": "420",
            "floor_area_m2": "38000.00",
            "buildings-TOTAL_FORMS": "1",
            "buildings-0-label": "1号楼",
            "buildings-0-storeys": "6",
            "buildings-0-entrance_units": "3",
            "buildings-0-households": "36",
            "buildings-0-safety_grade": SafetyGrade.UNAPPRAISED,
        }
    )

    response = staff_client.post(admin_url("community_add"), data)

    assert response.status_code == 302
    community = Community.objects.get(name="岱西花园")
    assert list(community.buildings.values_list("label", flat=True)) == ["1号楼"]


def test_the_community_admin_saves_a_change_and_keeps_its_history(
    staff_client, admin_form_data, city_admin
):
    community = make_busy_community(name="牡丹花园")
    url = admin_url("community_change", community.pk)
    data = admin_form_data(staff_client.get(url))
    data.update(households="480")

    response = staff_client.post(url, data)

    assert response.status_code == 302
    community.refresh_from_db()
    assert community.households == 480
    latest = community.history.latest()
    assert (latest.households, latest.history_user) == (480, city_admin)
    history = staff_client.get(admin_url("community_history", community.pk))
    assert history.status_code == 200
    assert city_admin.username in history.content.decode()


def test_the_community_item_inline_refuses_work_on_a_dangerous_building(
    staff_client, admin_form_data, admin_errors
):
    community = make_community()
    building = make_building(
        community=community,
        label="5号楼",
        safety_grade=SafetyGrade.C,
        appraised_on=date(2021, 5, 1),
    )
    item = make_item(community=community, building=building, title="外墙保温")
    url = admin_url("community_change", community.pk)
    data = admin_form_data(staff_client.get(url))
    data.update(
        {"items-0-status": ItemStatus.UNDER_CONSTRUCTION, "items-0-actual_start": "2022-04-01"}
    )

    response = staff_client.post(url, data)

    assert admin_errors(response) == {
        "items-0-status": [
            _(
                "Reinforce first: building %(building)s is graded %(grade)s; no other work may "
                "start until it is reinforced and re-appraised A or B."
            )
            % {"building": "5号楼", "grade": "C"}
        ]
    }
    item.refresh_from_db()
    assert item.status == ItemStatus.PLANNED


def test_the_community_item_inline_refuses_a_budget_below_the_items_funding_once(
    staff_client, admin_form_data, admin_errors
):
    community = make_community()
    item = make_item(community=community, budget=Decimal("100000.00"))
    make_funding(item=item, amount=Decimal("80000.00"))
    url = admin_url("community_change", community.pk)
    data = admin_form_data(staff_client.get(url))
    data["items-0-budget"] = "50000.00"

    response = staff_client.post(url, data)

    errors = admin_errors(response)
    assert list(errors) == ["items-0-budget"]
    assert len(errors["items-0-budget"]) == 1
    item.refresh_from_db()
    assert item.budget == Decimal("100000.00")


# Building


def test_the_building_changelist_runs_the_same_queries_for_3_and_30_rows(
    staff_client, django_assert_num_queries
):
    url = admin_url("building_changelist")
    for _row in range(3):
        make_building(safety_grade=SafetyGrade.B, appraised_on=date(2021, 5, 1))
    staff_client.get(url)

    # session, user, district filter options, count, the page's rows (community and district
    # joined), date hierarchy bounds, date hierarchy years, storeys filter options
    with django_assert_num_queries(8):
        response = staff_client.get(url)
    assert response.context["cl"].result_count == 3
    for _row in range(27):
        make_building(safety_grade=SafetyGrade.B, appraised_on=date(2021, 5, 1))
    with django_assert_num_queries(8):
        response = staff_client.get(url)

    assert response.context["cl"].result_count == 30


def test_the_building_changelist_filters_by_safety_grade_and_district(staff_client):
    community = make_community()
    wanted = make_building(
        community=community, safety_grade=SafetyGrade.C, appraised_on=date(2021, 5, 1)
    )
    make_building(community=community, safety_grade=SafetyGrade.A, appraised_on=date(2021, 5, 1))
    make_building(safety_grade=SafetyGrade.C, appraised_on=date(2021, 5, 1))

    response = staff_client.get(
        admin_url("building_changelist"),
        {
            "safety_grade__exact": SafetyGrade.C,
            "community__district__id__exact": community.district_id,
        },
    )

    assert list(response.context["cl"].result_list) == [wanted]


def test_the_building_add_and_change_pages_render(staff_client, django_assert_max_num_queries):
    building = make_building()
    staff_client.get(admin_url("building_change", building.pk))

    # session, user; the change page adds the building, its community's autocomplete label and
    # its appraisals (the inline)
    with django_assert_max_num_queries(2):
        assert staff_client.get(admin_url("building_add")).status_code == 200
    with django_assert_max_num_queries(5):
        assert staff_client.get(admin_url("building_change", building.pk)).status_code == 200


def test_the_building_admin_refuses_a_grade_without_its_appraisal_date(
    staff_client, admin_form_data, admin_errors
):
    community = make_community()
    url = admin_url("building_add")
    data = admin_form_data(staff_client.get(url))
    data.update(
        community=community.pk,
        label="9号楼",
        storeys="6",
        entrance_units="2",
        households="24",
        safety_grade=SafetyGrade.D,
        appraised_on="",
    )

    response = staff_client.post(url, data)

    assert admin_errors(response) == {
        "appraised_on": [_("A safety grade needs the date of its appraisal.")]
    }
    assert not community.buildings.exists()


def test_the_building_admin_refuses_a_year_built_in_the_future(
    staff_client, admin_form_data, admin_errors
):
    building = make_building(year_built=1990)
    url = admin_url("building_change", building.pk)
    data = admin_form_data(staff_client.get(url))
    data.update(year_built=str(date.today().year + 1))

    response = staff_client.post(url, data)

    assert admin_errors(response) == {
        "year_built": [
            _("Ensure this value is less than or equal to %(limit_value)s.")
            % {"limit_value": date.today().year}
        ]
    }
    building.refresh_from_db()
    assert building.year_built == 1990


def test_the_building_admin_re_appraises_a_building_by_adding_an_appraisal(
    staff_client, admin_form_data
):
    building = make_building(safety_grade=SafetyGrade.C, appraised_on=date(2021, 5, 1))
    url = admin_url("building_change", building.pk)
    data = admin_form_data(staff_client.get(url))
    data.update(
        {
            "appraisals-TOTAL_FORMS": "1",
            "appraisals-0-appraised_on": "2022-03-01",
            "appraisals-0-grade": SafetyGrade.B,
            "appraisals-0-appraiser": "泰安市房屋安全鉴定中心",
        }
    )

    response = staff_client.post(url, data)

    assert response.status_code == 302
    building.refresh_from_db()
    assert (building.safety_grade, building.appraised_on) == (SafetyGrade.B, date(2022, 3, 1))
    assert building.appraiser == "泰安市房屋安全鉴定中心"
    assert building.appraisals.get().grade == SafetyGrade.B


def test_the_building_autocomplete_names_each_buildings_community_in_one_query(
    staff_client, django_assert_num_queries
):
    community = make_community(name="天平花园")
    for number in range(1, 6):
        make_building(community=community, label=f"{number}号楼")
    params = {
        "app_label": "communities",
        "model_name": "renovationitem",
        "field_name": "building",
        "term": "天平",
    }
    staff_client.get(reverse("admin:autocomplete"), params)

    # session, user, the paginator's count, the page of buildings with their communities
    with django_assert_num_queries(4):
        response = staff_client.get(reverse("admin:autocomplete"), params)

    texts = [result["text"] for result in response.json()["results"]]
    assert texts == [f"天平花园 {number}号楼" for number in range(1, 6)]
