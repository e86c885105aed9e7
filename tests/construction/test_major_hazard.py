"""A major hazard stops its item: while the order from a major-hazard finding on an item is not
closed, the item's progress cannot go past its current percentage nor its status move forward,
through the API, the admin and the model alike; closing the order lets the work go on."""

import pytest
from django.urls import reverse

from communities.construction.choices import Severity
from communities.construction.services import (
    rectification_order_close,
    rectification_order_report_fixed,
)
from communities.places.choices import RenovationStatus
from communities.works.choices import ItemStatus
from tests.support.api import API, writer
from tests.support.construction import make_finding, make_inspection, make_order
from tests.support.factories import make_community, make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def stopped():
    # In a community under way, where work may go on (issue 15's rule of the community).
    community = make_community(renovation_status=RenovationStatus.UNDER_CONSTRUCTION)
    item = make_item(community=community, status=ItemStatus.UNDER_CONSTRUCTION, progress=40)
    finding = make_finding(inspection=make_inspection(item=item), severity=Severity.MAJOR_HAZARD)
    return item, make_order(finding=finding)


def test_the_api_refuses_progress_past_the_stop_and_names_the_order(stopped):
    item, order = stopped

    response = writer("renovationitem").patch(
        f"{API}/renovation-items/{item.pk}/", {"progress": 50}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["progress"]
    message = response.json()["progress"][0]
    assert str(order.pk) in message and "40%" in message
    item.refresh_from_db()
    assert item.progress == 40


def test_the_api_refuses_moving_the_status_forward(stopped):
    item, _order = stopped

    response = writer("renovationitem").patch(
        f"{API}/renovation-items/{item.pk}/",
        {"status": "completed", "progress": 40, "actual_end": "2022-10-01"},
        format="json",
    )

    assert response.status_code == 400
    assert "status" in response.json()
    item.refresh_from_db()
    assert item.status == ItemStatus.UNDER_CONSTRUCTION


def test_other_changes_and_going_back_are_still_allowed(stopped):
    item, _order = stopped
    client = writer("renovationitem")

    assert (
        client.patch(
            f"{API}/renovation-items/{item.pk}/", {"title": "外墙保温（停工整改）"}, format="json"
        ).status_code
        == 200
    )
    assert (
        client.patch(
            f"{API}/renovation-items/{item.pk}/", {"progress": 35}, format="json"
        ).status_code
        == 200
    )


def test_closing_the_order_lets_the_work_go_on(stopped):
    item, order = stopped
    rectification_order_close(order=rectification_order_report_fixed(order=order, note="已加固"))

    response = writer("renovationitem").patch(
        f"{API}/renovation-items/{item.pk}/", {"progress": 60}, format="json"
    )

    assert response.status_code == 200
    item.refresh_from_db()
    assert item.progress == 60


def test_a_serious_finding_does_not_stop_the_item():
    # In a community under way, where work may go on (issue 15's rule of the community).
    community = make_community(renovation_status=RenovationStatus.UNDER_CONSTRUCTION)
    item = make_item(community=community, status=ItemStatus.UNDER_CONSTRUCTION, progress=40)
    make_order(finding=make_finding(inspection=make_inspection(item=item), severity="serious"))

    response = writer("renovationitem").patch(
        f"{API}/renovation-items/{item.pk}/", {"progress": 50}, format="json"
    )

    assert response.status_code == 200


def test_a_reported_fix_still_stops_the_item_until_it_is_closed(stopped):
    item, order = stopped
    rectification_order_report_fixed(order=order, note="已加固")

    response = writer("renovationitem").patch(
        f"{API}/renovation-items/{item.pk}/", {"progress": 41}, format="json"
    )

    assert response.status_code == 400


def test_the_admin_refuses_progress_past_the_stop(
    stopped, staff_client, admin_form_data, admin_errors
):
    item, order = stopped
    url = reverse("admin:communities_renovationitem_change", args=[item.pk])
    data = admin_form_data(staff_client.get(url))
    data["progress"] = "55"

    response = staff_client.post(url, data)

    errors = admin_errors(response)
    assert list(errors) == ["progress"]
    assert str(order.pk) in errors["progress"][0]
    item.refresh_from_db()
    assert item.progress == 40
