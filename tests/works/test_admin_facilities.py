"""The staff admin for facilities."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from communities.works.choices import FacilityKind
from communities.works.models.facilities import Facility
from tests.support.factories import make_community, make_district, make_facility, make_item

pytestmark = pytest.mark.django_db


def admin_url(view: str, *args) -> str:
    return reverse(f"admin:communities_{view}", args=args)


def test_the_facility_changelist_runs_the_same_queries_for_3_and_30_rows(
    staff_client, django_assert_num_queries
):
    url = admin_url("facility_changelist")

    def add_facilities(count: int) -> None:
        for _row in range(count):
            community = make_community()
            make_facility(community=community, renovation_item=make_item(community=community))

    add_facilities(3)
    staff_client.get(url)

    # session, user, district filter options, count, the page's rows (community, district and
    # renovation item joined), date hierarchy bounds, date hierarchy dates
    with django_assert_num_queries(7):
        response = staff_client.get(url)
    assert response.context["cl"].result_count == 3
    add_facilities(27)
    with django_assert_num_queries(7):
        response = staff_client.get(url)

    assert response.context["cl"].result_count == 30


def test_the_facility_changelist_filters_by_kind_and_district(staff_client):
    district = make_district()
    community = make_community(district=district)
    wanted = make_facility(
        community=community, kind=FacilityKind.CHILDREN_PLAY_AREA, name="儿童乐园"
    )
    make_facility(community=community, kind=FacilityKind.CANTEEN)
    make_facility(kind=FacilityKind.CHILDREN_PLAY_AREA, name="儿童乐园")

    response = staff_client.get(
        admin_url("facility_changelist"),
        {
            "kind__exact": FacilityKind.CHILDREN_PLAY_AREA,
            "community__district__id__exact": district.pk,
        },
    )

    assert list(response.context["cl"].result_list) == [wanted]


def test_the_facility_changelist_finds_facilities_not_yet_open(staff_client):
    wanted = make_facility(name="便民超市", opened_on=None)
    make_facility(name="幸福食堂", opened_on=date(2022, 12, 1))

    response = staff_client.get(admin_url("facility_changelist"), {"opened_on__isnull": "True"})

    assert list(response.context["cl"].result_list) == [wanted]


def test_the_facility_add_and_change_pages_render(staff_client, django_assert_max_num_queries):
    community = make_community()
    facility = make_facility(community=community, renovation_item=make_item(community=community))
    staff_client.get(admin_url("facility_change", facility.pk))

    # session, user; the change page adds the facility and the autocomplete labels of its
    # community and renovation item
    with django_assert_max_num_queries(2):
        assert staff_client.get(admin_url("facility_add")).status_code == 200
    with django_assert_max_num_queries(5):
        assert staff_client.get(admin_url("facility_change", facility.pk)).status_code == 200


def test_the_facility_admin_refuses_a_negative_area(staff_client, admin_form_data, admin_errors):
    facility = make_facility(area_m2=Decimal("120.00"))
    url = admin_url("facility_change", facility.pk)
    data = admin_form_data(staff_client.get(url))
    data["area_m2"] = "-1.00"

    response = staff_client.post(url, data)

    assert admin_errors(response) == {"__all__": [_("The area cannot be negative.")]}
    facility.refresh_from_db()
    assert facility.area_m2 == Decimal("120.00")


def test_the_facility_admin_refuses_a_negative_capacity(
    staff_client, admin_form_data, admin_errors
):
    facility = make_facility(capacity=50)
    url = admin_url("facility_change", facility.pk)
    data = admin_form_data(staff_client.get(url))
    data["capacity"] = "-1"

    response = staff_client.post(url, data)

    assert set(admin_errors(response)) == {"capacity"}
    facility.refresh_from_db()
    assert facility.capacity == 50


def test_the_facility_admin_refuses_an_item_of_another_community(
    staff_client, admin_form_data, admin_errors
):
    facility = make_facility()
    elsewhere = make_item()
    url = admin_url("facility_change", facility.pk)
    data = admin_form_data(staff_client.get(url))
    data["renovation_item"] = str(elsewhere.pk)

    response = staff_client.post(url, data)

    assert admin_errors(response) == {
        "renovation_item": [_("The renovation item belongs to another community.")]
    }
    facility.refresh_from_db()
    assert facility.renovation_item is None


def test_the_facility_admin_adds_a_canteen(staff_client, admin_form_data):
    community = make_community(name="乐园小区")
    item = make_item(community=community, title="幸福食堂建设")
    data = admin_form_data(staff_client.get(admin_url("facility_add")))
    data.update(
        community=community.pk,
        kind=FacilityKind.CANTEEN,
        name="乐园幸福食堂",
        capacity="50",
        area_m2="180.00",
        opened_on="2022-12-01",
        renovation_item=item.pk,
    )

    response = staff_client.post(admin_url("facility_add"), data)

    assert response.status_code == 302
    canteen = Facility.objects.get(name="乐园幸福食堂")
    assert (canteen.capacity, canteen.renovation_item) == (50, item)


def test_the_facility_history_page_lists_changes_made_through_the_admin(
    staff_client, admin_form_data, city_admin
):
    facility = make_facility(capacity=50)
    url = admin_url("facility_change", facility.pk)
    data = admin_form_data(staff_client.get(url))
    data["capacity"] = "60"
    staff_client.post(url, data)

    response = staff_client.get(admin_url("facility_history", facility.pk))

    assert response.status_code == 200
    assert facility.history.latest().capacity == 60
    assert city_admin.username in response.content.decode()
