"""Inspections, findings and rectification orders through the API: the overdue list, the state
actions, odd input, and lists whose query count does not grow with their length."""

from datetime import timedelta

import pytest

from communities.construction.choices import OrderStatus
from communities.construction.models import Inspection, RectificationOrder
from communities.construction.services import rectification_order_report_fixed
from communities.core import clock
from tests.support.api import API, api_client, make_user, writer
from tests.support.construction import (
    make_finding,
    make_inspection,
    make_order,
    make_party,
)
from tests.support.factories import make_community, make_district, make_item

pytestmark = pytest.mark.django_db


def orders_client():
    return api_client(
        make_user(
            "communities.view_rectificationorder",
            "communities.add_rectificationorder",
            "communities.change_rectificationorder",
        )
    )


def test_overdue_lists_only_open_orders_past_their_deadline_per_contractor_and_district():
    taishan = make_district(code="370902", name="泰山区")
    daiyue = make_district(code="370911", name="岱岳区")
    late = make_party(name="迟延建设")
    ours = make_inspection(community=make_community(district=taishan))
    theirs = make_inspection(community=make_community(district=daiyue))
    overdue = make_order(finding=make_finding(inspection=ours), contractor=late, days_left=-1)
    make_order(finding=make_finding(inspection=ours), contractor=late, days_left=0)
    make_order(finding=make_finding(inspection=theirs), days_left=-5)

    def ids(**params):
        response = api_client().get(f"{API}/rectification-orders/", params)
        assert response.status_code == 200
        return [row["id"] for row in response.json()["results"]]

    assert len(ids(overdue="true")) == 2
    assert ids(overdue="true", contractor=late.pk) == [overdue.pk]
    assert ids(overdue="true", district="370902") == [overdue.pk]
    assert len(ids(overdue="false")) == 1
    row = api_client().get(f"{API}/rectification-orders/{overdue.pk}/").json()
    assert (row["overdue"], row["status"], row["contractor_name"]) == (True, "open", "迟延建设")


def test_an_order_is_issued_reported_fixed_and_closed_through_the_api():
    finding = make_finding()
    client = orders_client()
    today = clock.today()

    created = client.post(
        f"{API}/rectification-orders/",
        {
            "finding": finding.pk,
            "contractor": make_party().pk,
            "issued_on": today.isoformat(),
            "deadline": (today + timedelta(days=7)).isoformat(),
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    url = created.json()["url"]

    assert client.post(f"{url}close/", {}, format="json").status_code == 409
    fixed = client.post(f"{url}report-fixed/", {"note": "已整改"}, format="json")
    assert fixed.status_code == 200 and fixed.json()["status"] == "reported_fixed"
    closed = client.post(f"{url}close/", {}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    reopened = client.post(f"{url}reopen/", {"reason": "复查不合格"}, format="json")
    assert reopened.json()["status"] == "open" and reopened.json()["times_reopened"] == 1


def test_the_status_cannot_be_written_directly():
    order = make_order()

    response = writer("rectificationorder").patch(
        f"{API}/rectification-orders/{order.pk}/", {"status": "closed"}, format="json"
    )

    assert response.status_code == 400
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN


def test_the_actions_need_the_change_permission():
    order = make_order()
    client = api_client(make_user("communities.view_rectificationorder"))

    response = client.post(
        f"{API}/rectification-orders/{order.pk}/report-fixed/", {"note": "x"}, format="json"
    )

    assert response.status_code == 403


@pytest.mark.parametrize(
    "payload",
    [
        {"visited_on": "9999-12-31"},
        {"visited_on": "2024-13-01"},
        {"inspector": "张\x00工"},
        {"community": 12345678901234567890},
        {"kind": {"nested": ["json"]}},
        {"item": "abc"},
    ],
)
def test_odd_input_is_a_400_and_saves_nothing(payload):
    item = make_item()
    body = {
        "community": item.community_id,
        "item": item.pk,
        "visited_on": "2024-05-10",
        "inspector": "张工",
        "kind": "safety",
        **payload,
    }

    response = writer("inspection").post(f"{API}/inspections/", body, format="json")

    assert response.status_code == 400
    assert not Inspection.objects.exists()


def test_a_visit_cannot_be_in_the_future_nor_to_another_communitys_item():
    item = make_item()
    client = writer("inspection")
    body = {"community": item.community_id, "item": item.pk, "inspector": "张工", "kind": "safety"}

    future = client.post(
        f"{API}/inspections/",
        {**body, "visited_on": (clock.today() + timedelta(days=1)).isoformat()},
        format="json",
    )
    other = client.post(
        f"{API}/inspections/",
        {**body, "visited_on": "2024-05-10", "community": make_community().pk},
        format="json",
    )

    assert future.status_code == 400 and "visited_on" in future.json()
    assert other.status_code == 400 and "item" in other.json()


def test_a_party_needs_a_valid_credit_code():
    response = writer("party").post(
        f"{API}/parties/",
        {"name": "某公司", "credit_code": "914403001922038217", "is_contractor": True},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["credit_code"]


def _orders(n):
    party = make_party()
    inspection = make_inspection()
    for _ in range(n):
        make_order(finding=make_finding(inspection=inspection), contractor=party)


@pytest.mark.parametrize("n", [3, 30])
def test_lists_run_a_fixed_number_of_queries(n, django_assert_num_queries):
    _orders(n)
    client = api_client()
    for path in ("rectification-orders", "inspections", "findings", "parties"):
        client.get(f"{API}/{path}/")
    # orders: count, page (order, contractor, finding, inspection in one join)
    with django_assert_num_queries(2):
        assert len(client.get(f"{API}/rectification-orders/").json()["results"]) == n
    # inspections: count, page, findings (one prefetch)
    with django_assert_num_queries(3):
        client.get(f"{API}/inspections/")
    # findings: count, page (with inspection and order joined)
    with django_assert_num_queries(2):
        assert len(client.get(f"{API}/findings/").json()["results"]) == n
    # parties: count, page with the scorecard's subqueries
    with django_assert_num_queries(2):
        client.get(f"{API}/parties/")
    assert RectificationOrder.objects.count() == n


@pytest.mark.parametrize(
    ("action", "payload"),
    [
        ("report-fixed", {"note": {"nested": "json"}}),
        ("report-fixed", {"note": "x\x00"}),
        ("report-fixed", {"note": "x", "fixed_on": "9999-12-31"}),
        ("report-fixed", {"note": "x", "fixed_on": "0001-01-01"}),
        ("report-fixed", {}),
        ("reopen", {"reason": "x", "deadline": "0001-01-01"}),
        ("close", {"closed_on": "2024-02-30"}),
    ],
)
def test_odd_input_to_the_actions_is_a_400_and_changes_nothing(action, payload):
    order = make_order()
    if action != "report-fixed":
        rectification_order_report_fixed(order=order, note="done")
    order.refresh_from_db()
    before = (order.status, order.fixed_on, order.deadline)

    response = orders_client().post(
        f"{API}/rectification-orders/{order.pk}/{action}/", payload, format="json"
    )

    assert response.status_code == 400, response.content
    order.refresh_from_db()
    assert (order.status, order.fixed_on, order.deadline) == before
