"""Construction supervision's writes: a rectification order issued, reported fixed, closed or
reopened; an acceptance recorded (and its item accepted), a condition met, a settlement. Each
checks the record's state first (``WrongState``, nothing saved), then the model's rules
(``full_clean()``), then saves, in one transaction."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.construction.acceptance import (
    Acceptance,
    AcceptanceCondition,
    AcceptanceParty,
    AcceptanceResident,
    Settlement,
)
from communities.construction.choices import AcceptanceConclusion, OrderStatus
from communities.construction.models import Finding, Party, RectificationOrder
from communities.construction.policy import acceptance_refusal
from communities.core import clock
from communities.core.errors import WrongState
from communities.works.choices import ItemStatus
from communities.works.models.items import RenovationItem
from communities.works.services import renovation_item_saved


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


# --- Completion acceptance (竣工验收) and settlement (结算审计) ---------------------------------

ACCEPTANCE_REFUSALS = {
    "already_accepted": gettext_lazy("This item has already been accepted."),
    "not_completed": gettext_lazy("Only a completed item is inspected for acceptance."),
}


def acceptance_errors(*, item: RenovationItem, conclusion: str, conditions: int) -> list[str]:
    """Why an acceptance with this conclusion and this many conditions cannot be recorded for
    ``item`` (empty when it can): the admin's form asks before saving, the service again."""
    errors = []
    refusal = acceptance_refusal(item_status=item.status)
    if refusal:
        errors.append(str(ACCEPTANCE_REFUSALS[refusal]))
    if conclusion == AcceptanceConclusion.WITH_CONDITIONS and conditions == 0:
        errors.append(str(_("An acceptance with conditions lists its conditions.")))
    if conclusion != AcceptanceConclusion.WITH_CONDITIONS and conditions:
        errors.append(str(_("Only an acceptance with conditions has conditions.")))
    return errors


@transaction.atomic
def acceptance_record(*, acceptance: Acceptance, by=None) -> Acceptance:
    """Record an acceptance: from now on its date, conclusion, builder and attendees are a
    decision. If it accepts the item, the item moves from completed to accepted (the only way
    it can: ``guards.acceptance_guard``), and its community follows its items. A refusal
    leaves the item completed; a later acceptance may accept it."""
    current = Acceptance.objects.select_for_update().get(pk=acceptance.pk)
    if current.is_recorded:
        raise WrongState(_("This acceptance is already recorded."))
    item = RenovationItem.objects.select_for_update().get(pk=current.item_id)
    current.item = item
    problems = acceptance_errors(
        item=item, conclusion=current.conclusion, conditions=current.conditions.count()
    )
    if problems:
        raise WrongState(" ".join(problems), code="acceptance")
    current.recorded_on = clock.today()
    current.full_clean()
    current.save()
    if current.accepts:
        item.status = ItemStatus.ACCEPTED
        if by is not None:
            item._history_user = by
        item._change_reason = "acceptance"
        item.full_clean()
        item.save()
        renovation_item_saved(item=item, created=False, by=by)
    acceptance.recorded_on = current.recorded_on
    acceptance._remember_stored()
    return current


def _saved(row):
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def acceptance_create(
    *,
    item: RenovationItem,
    accepted_on: date,
    conclusion: str,
    builder: str,
    note: str = "",
    parties: list[dict] = (),
    residents: list[dict] = (),
    conditions: list[dict] = (),
    by=None,
) -> Acceptance:
    """An acceptance with its attendees and conditions, recorded at once (the API's create):
    ``parties`` as ``{"party": Party, "role": str}``, ``residents`` as ``{"name", "building",
    "entrance_unit", "room_number"}``, ``conditions`` as ``{"description", "deadline"}``."""
    acceptance = _saved(
        Acceptance(
            item=item, accepted_on=accepted_on, conclusion=conclusion, builder=builder, note=note
        )
    )
    for row in parties:
        _saved(AcceptanceParty(acceptance=acceptance, **row))
    for row in residents:
        _saved(AcceptanceResident(acceptance=acceptance, **row))
    for row in conditions:
        _saved(AcceptanceCondition(acceptance=acceptance, **row))
    return acceptance_record(acceptance=acceptance, by=by)


@transaction.atomic
def acceptance_condition_meet(
    *, condition: AcceptanceCondition, note: str, met_on: date | None = None
) -> AcceptanceCondition:
    """A condition of an accepted item is met: the day and how (then frozen)."""
    current = AcceptanceCondition.objects.select_for_update().get(pk=condition.pk)
    if not current.acceptance.is_recorded:
        raise WrongState(_("The acceptance is not recorded yet."))
    if current.met_on is not None:
        raise WrongState(_("This condition has already been met."))
    if not (note or "").strip():
        raise ValidationError({"met_note": _("Say how the condition was met.")})
    current.met_on = met_on or clock.today()
    current.met_note = note.strip()
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def settlement_record(
    *,
    item: RenovationItem,
    settled_amount,
    auditor: str,
    audited_on: date,
    explanation: str = "",
) -> Settlement:
    """The audited final amount of a completed or accepted item (then frozen)."""
    return _saved(
        Settlement(
            item=item,
            settled_amount=settled_amount,
            auditor=auditor,
            audited_on=audited_on,
            explanation=explanation,
        )
    )
