"""Rectification orders move open → reported fixed → closed, or back to open, and only so."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from communities.construction.choices import OrderStatus
from communities.construction.services import (
    rectification_order_close,
    rectification_order_issue,
    rectification_order_reopen,
    rectification_order_report_fixed,
)
from communities.core import clock
from communities.core.errors import WrongState
from tests.support.construction import make_finding, make_order, make_party

pytestmark = pytest.mark.django_db


def test_an_order_goes_from_open_to_reported_fixed_to_closed():
    order = make_order()
    assert order.status == OrderStatus.OPEN
    order = rectification_order_report_fixed(order=order, note="已补设连墙件")
    assert (order.status, order.fixed_on, order.fix_note) == (
        OrderStatus.REPORTED_FIXED,
        clock.today(),
        "已补设连墙件",
    )
    order = rectification_order_close(order=order)
    assert (order.status, order.closed_on) == (OrderStatus.CLOSED, clock.today())


def test_it_refuses_to_close_an_order_not_reported_fixed():
    order = make_order()
    with pytest.raises(WrongState):
        rectification_order_close(order=order)
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN


def test_it_refuses_to_report_fixed_twice_or_after_closing():
    order = rectification_order_report_fixed(order=make_order(), note="done")
    with pytest.raises(WrongState):
        rectification_order_report_fixed(order=order, note="again")
    rectification_order_close(order=order)
    with pytest.raises(WrongState):
        rectification_order_report_fixed(order=order, note="again")


def test_a_report_needs_a_note_and_a_day_in_range():
    order = make_order(issued_days_ago=5)
    with pytest.raises(ValidationError) as caught:
        rectification_order_report_fixed(order=order, note="  ")
    assert "fix_note" in caught.value.message_dict
    with pytest.raises(ValidationError):
        rectification_order_report_fixed(
            order=order, note="done", fixed_on=clock.today() - timedelta(days=6)
        )
    with pytest.raises(ValidationError):
        rectification_order_report_fixed(
            order=order, note="done", fixed_on=clock.today() + timedelta(days=1)
        )
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN and order.fixed_on is None


def test_reopening_clears_the_fix_and_counts_the_reopening():
    order = rectification_order_report_fixed(order=make_order(), note="done")
    new_deadline = clock.today() + timedelta(days=3)
    order = rectification_order_reopen(order=order, reason="仍有缺失", deadline=new_deadline)
    assert (order.status, order.fixed_on, order.times_reopened, order.deadline) == (
        OrderStatus.OPEN,
        None,
        1,
        new_deadline,
    )
    # A closed order can be reopened too (the problem came back).
    order = rectification_order_report_fixed(order=order, note="done")
    order = rectification_order_close(order=order)
    order = rectification_order_reopen(order=order, reason="复查又发现")
    assert (order.status, order.closed_on, order.times_reopened) == (OrderStatus.OPEN, None, 2)


def test_an_open_order_cannot_be_reopened_and_a_reason_is_needed():
    order = make_order()
    with pytest.raises(WrongState):
        rectification_order_reopen(order=order, reason="x")
    order = rectification_order_report_fixed(order=order, note="done")
    with pytest.raises(ValidationError):
        rectification_order_reopen(order=order, reason="")


def test_one_order_per_finding_to_a_contractor_with_a_deadline_not_before_the_issue():
    finding = make_finding()
    today = clock.today()
    with pytest.raises(ValidationError) as caught:
        rectification_order_issue(
            finding=finding,
            contractor=make_party(is_contractor=False, is_supervisor=True),
            deadline=today,
            issued_on=today,
        )
    assert "contractor" in caught.value.message_dict
    with pytest.raises(ValidationError):
        rectification_order_issue(
            finding=finding,
            contractor=make_party(),
            deadline=today - timedelta(days=1),
            issued_on=today,
        )
    make_order(finding=finding)
    with pytest.raises(WrongState):
        make_order(finding=finding)


def test_an_order_is_not_issued_before_its_inspection():
    finding = make_finding()
    visited = finding.inspection.visited_on
    with pytest.raises(ValidationError) as caught:
        rectification_order_issue(
            finding=finding,
            contractor=make_party(),
            issued_on=visited - timedelta(days=1),
            deadline=visited,
        )
    assert "issued_on" in caught.value.message_dict
