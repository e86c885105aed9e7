"""The staff admin for property services."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from communities.property.choices import ManagementMode
from communities.property.models import PropertyService
from tests.support.factories import make_community, make_service

pytestmark = pytest.mark.django_db


def admin_url(view: str, *args) -> str:
    return reverse(f"admin:communities_{view}", args=args)


def test_the_service_changelist_runs_the_same_queries_for_3_and_30_rows(
    staff_client, django_assert_num_queries
):
    url = admin_url("propertyservice_changelist")
    for _row in range(3):
        make_service()
    staff_client.get(url)

    # session, user, district filter options, count, the page's rows (community and district
    # joined), date hierarchy bounds, date hierarchy dates
    with django_assert_num_queries(7):
        response = staff_client.get(url)
    assert response.context["cl"].result_count == 3
    for _row in range(27):
        make_service()
    with django_assert_num_queries(7):
        response = staff_client.get(url)

    assert response.context["cl"].result_count == 30


def test_the_service_changelist_filters_services_in_force_today(staff_client):
    today = date.today()
    current = make_service(contract_start=today - timedelta(days=30))
    make_service(contract_start=today + timedelta(days=1))
    make_service(contract_start=today - timedelta(days=400), contract_end=today - timedelta(days=1))

    response = staff_client.get(admin_url("propertyservice_changelist"), {"in_force": "current"})

    assert list(response.context["cl"].result_list) == [current]


@pytest.mark.parametrize(
    ("choice", "starts", "ends"),
    [("upcoming", 1, None), ("ended", -400, -1)],
)
def test_the_service_changelist_filters_services_not_in_force(staff_client, choice, starts, ends):
    today = date.today()
    make_service(contract_start=today - timedelta(days=30))
    wanted = make_service(
        contract_start=today + timedelta(days=starts),
        contract_end=None if ends is None else today + timedelta(days=ends),
    )

    response = staff_client.get(admin_url("propertyservice_changelist"), {"in_force": choice})

    assert list(response.context["cl"].result_list) == [wanted]


def test_the_service_changelist_filters_red_property_by_mode(staff_client):
    wanted = make_service(mode=ManagementMode.FALLBACK, is_red_property=True)
    make_service(mode=ManagementMode.FALLBACK)
    make_service(mode=ManagementMode.PROFESSIONAL, is_red_property=True)

    response = staff_client.get(
        admin_url("propertyservice_changelist"),
        {"mode__exact": ManagementMode.FALLBACK, "is_red_property__exact": "1"},
    )

    assert list(response.context["cl"].result_list) == [wanted]


def test_the_service_add_and_change_pages_render(staff_client, django_assert_max_num_queries):
    service = make_service()
    staff_client.get(admin_url("propertyservice_change", service.pk))

    # session, user; the change page adds the service and its community's autocomplete label
    with django_assert_max_num_queries(2):
        assert staff_client.get(admin_url("propertyservice_add")).status_code == 200
    with django_assert_max_num_queries(4):
        assert staff_client.get(admin_url("propertyservice_change", service.pk)).status_code == 200


def test_the_service_admin_refuses_a_contract_ending_before_it_starts(
    staff_client, admin_form_data, admin_errors
):
    service = make_service(contract_start=date(2022, 1, 1))
    url = admin_url("propertyservice_change", service.pk)
    data = admin_form_data(staff_client.get(url))
    data["contract_end"] = "2021-12-31"

    response = staff_client.post(url, data)

    assert admin_errors(response) == {"__all__": [_("The contract cannot end before it starts.")]}
    service.refresh_from_db()
    assert service.contract_end is None


def test_the_service_admin_refuses_a_trial_outlasting_the_contract(
    staff_client, admin_form_data, admin_errors
):
    service = make_service(contract_start=date(2022, 1, 1), contract_end=date(2022, 12, 31))
    url = admin_url("propertyservice_change", service.pk)
    data = admin_form_data(staff_client.get(url))
    data["trial_end"] = "2023-03-31"

    response = staff_client.post(url, data)

    assert admin_errors(response) == {"trial_end": [_("The trial cannot outlast the contract.")]}
    service.refresh_from_db()
    assert service.trial_end is None


def test_the_service_admin_refuses_a_negative_fee(staff_client, admin_form_data, admin_errors):
    service = make_service(fee_per_m2_month=Decimal("0.60"))
    url = admin_url("propertyservice_change", service.pk)
    data = admin_form_data(staff_client.get(url))
    data["fee_per_m2_month"] = "-0.10"

    response = staff_client.post(url, data)

    assert admin_errors(response) == {"__all__": [_("The fee cannot be negative.")]}
    service.refresh_from_db()
    assert service.fee_per_m2_month == Decimal("0.60")


def test_the_service_admin_refuses_a_second_service_at_the_same_time(
    staff_client, admin_form_data, admin_errors
):
    community = make_community()
    make_service(community=community, provider_name="甲物业", contract_start=date(2021, 1, 1))
    data = admin_form_data(staff_client.get(admin_url("propertyservice_add")))
    data.update(
        community=community.pk,
        mode=ManagementMode.FALLBACK,
        provider_name="东湖社区居委会",
        contract_start="2023-01-01",
    )

    response = staff_client.post(admin_url("propertyservice_add"), data)

    assert admin_errors(response) == {
        "contract_start": [
            _("This period overlaps the service of %(provider)s from %(start)s.")
            % {"provider": "甲物业", "start": date(2021, 1, 1)}
        ]
    }
    assert community.property_services.count() == 1


def test_the_service_admin_adds_a_red_property_service_after_the_last_one(
    staff_client, admin_form_data
):
    community = make_community(name="东湖社区")
    make_service(
        community=community, contract_start=date(2020, 1, 1), contract_end=date(2022, 12, 31)
    )
    data = admin_form_data(staff_client.get(admin_url("propertyservice_add")))
    data.update(
        community=community.pk,
        mode=ManagementMode.PROFESSIONAL,
        is_red_property="on",
        provider_name="泰安红心物业有限公司",
        contract_start="2023-01-01",
        trial_end="2023-06-30",
        fee_per_m2_month="0.50",
    )

    response = staff_client.post(admin_url("propertyservice_add"), data)

    assert response.status_code == 302
    service = PropertyService.objects.get(community=community, contract_start=date(2023, 1, 1))
    assert (service.is_red_property, service.trial_end) == (True, date(2023, 6, 30))


def test_the_service_history_page_lists_changes_made_through_the_admin(
    staff_client, admin_form_data, city_admin
):
    service = make_service()
    url = admin_url("propertyservice_change", service.pk)
    data = admin_form_data(staff_client.get(url))
    data["contact_phone"] = "0538-7654321"
    staff_client.post(url, data)

    response = staff_client.get(admin_url("propertyservice_history", service.pk))

    assert response.status_code == 200
    assert service.history.latest().contact_phone == "0538-7654321"
    assert city_admin.username in response.content.decode()
