"""Construction supervision's writes: a rectification order issued, reported fixed, closed or
reopened. Each checks the order's state first (``WrongState``, nothing saved), then the model's
rules (``full_clean()``), then saves, in one transaction."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from communities.construction.choices import OrderStatus
from communities.construction.models import Finding, Party, RectificationOrder
from communities.core import clock
from communities.core.errors import WrongState


def _locked(order: RectificationOrder) -> RectificationOrder:
    return RectificationOrder.objects.select_for_update().get(pk=order.pk)


def _save(order: RectificationOrder) -> RectificationOrder:
    order.full_clean()
    order.save()
    return order


@transaction.atomic
def rectification_order_issue(
    *,
    finding: Finding,
    contractor: Party,
    deadline: date,
    issued_on: date | None = None,
) -> RectificationOrder:
    """A finding that needs work becomes an order to ``contractor`` (one order per finding)."""
    if RectificationOrder.objects.filter(finding=finding).exists():
        raise WrongState(_("This finding already has a rectification order."))
    order = RectificationOrder(
        finding=finding,
        contractor=contractor,
        deadline=deadline,
        issued_on=issued_on or clock.today(),
    )
    return _save(order)


@transaction.atomic
def rectification_order_report_fixed(
    *, order: RectificationOrder, note: str, fixed_on: date | None = None, photo=None
) -> RectificationOrder:
    """The contractor says the work is done: an open order becomes reported fixed."""
    current = _locked(order)
    if current.status != OrderStatus.OPEN:
        raise WrongState(_("Only an open order can be reported fixed."))
    if not (note or "").strip():
        raise ValidationError({"fix_note": _("Say what was done.")})
    current.status = OrderStatus.REPORTED_FIXED
    current.fixed_on = fixed_on or clock.today()
    current.fix_note = note.strip()
    if photo:
        current.fix_photo = photo
    return _save(current)


@transaction.atomic
def rectification_order_close(
    *, order: RectificationOrder, closed_on: date | None = None
) -> RectificationOrder:
    """The inspector accepts the fix: a reported-fixed order is closed (and a major hazard no
    longer stops its item)."""
    current = _locked(order)
    if current.status != OrderStatus.REPORTED_FIXED:
        raise WrongState(_("Only an order reported fixed can be closed."))
    current.status = OrderStatus.CLOSED
    current.closed_on = closed_on or clock.today()
    return _save(current)


@transaction.atomic
def rectification_order_reopen(
    *, order: RectificationOrder, reason: str, deadline: date | None = None
) -> RectificationOrder:
    """The inspector does not accept the fix (or finds the problem back after closing): the
    order is open again, with the reason and, if given, a new deadline."""
    current = _locked(order)
    if current.status == OrderStatus.OPEN:
        raise WrongState(_("The order is already open."))
    if not (reason or "").strip():
        raise ValidationError({"reopen_note": _("Say why the order is reopened.")})
    current.status = OrderStatus.OPEN
    current.fixed_on = None
    current.closed_on = None
    current.reopen_note = reason.strip()
    current.times_reopened += 1
    if deadline is not None:
        current.deadline = deadline
    return _save(current)
