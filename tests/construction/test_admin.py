"""The admin: the credit code refused on the party form, the order actions with their state
rules, the overdue filter, and changelists whose query count does not grow."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from communities.construction.choices import OrderStatus
from communities.construction.models import Party
from tests.support.construction import (
    VALID_CODE,
    make_finding,
    make_inspection,
    make_order,
    make_party,
)

pytestmark = pytest.mark.django_db


def url(view: str, *args) -> str:
    return reverse(f"admin:communities_{view}", args=args)


def test_the_party_form_refuses_a_wrong_check_character(
    staff_client, admin_form_data, admin_errors
):
    data = admin_form_data(staff_client.get(url("party_add")))
    data.update({"name": "某建设", "credit_code": VALID_CODE[:-1] + "7", "is_contractor": "on"})

    response = staff_client.post(url("party_add"), data)

    assert list(admin_errors(response)) == ["credit_code"]
    data["credit_code"] = VALID_CODE
    assert staff_client.post(url("party_add"), data).status_code == 302
    assert Party.objects.get().credit_code == VALID_CODE


def _act(client, action, orders, **form):
    return client.post(
        url("rectificationorder_changelist"),
        {"action": action, "_selected_action": [o.pk for o in orders], **form},
        follow=True,
    )


def test_the_actions_move_orders_by_the_services_rules(staff_client):
    order = make_order()

    _act(staff_client, "close_selected", [order])
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN  # not reported fixed: refused

    _act(staff_client, "report_fixed_selected", [order], note="已整改")
    order.refresh_from_db()
    assert (order.status, order.fix_note) == (OrderStatus.REPORTED_FIXED, "已整改")

    _act(staff_client, "close_selected", [order])
    order.refresh_from_db()
    assert order.status == OrderStatus.CLOSED


def test_reporting_fixed_without_a_note_changes_nothing(staff_client):
    order = make_order()

    response = _act(staff_client, "report_fixed_selected", [order])

    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN
    shown = " ".join(str(m) for m in response.context["messages"])
    assert gettext("Say what was done.") in shown


def test_the_overdue_filter_lists_open_orders_past_their_deadline(staff_client):
    late = make_order(days_left=-1)
    make_order(days_left=3)

    response = staff_client.get(url("rectificationorder_changelist"), {"overdue": "yes"})

    assert [o.pk for o in response.context["cl"].result_list] == [late.pk]


@pytest.mark.parametrize("n", [3, 30])
def test_changelists_run_a_fixed_number_of_queries(n, staff_client, django_assert_num_queries):
    party = make_party()
    inspection = make_inspection()
    for _ in range(n):
        make_order(finding=make_finding(inspection=inspection), contractor=party)
    for view in ("rectificationorder_changelist", "party_changelist", "inspection_changelist"):
        staff_client.get(url(view))
    # session, user, count, page (contractor, finding, inspection, community joined), filter
    # options (parties, districts)
    with django_assert_num_queries(6):
        assert staff_client.get(url("rectificationorder_changelist")).status_code == 200
    with django_assert_num_queries(4):
        assert staff_client.get(url("party_changelist")).status_code == 200
