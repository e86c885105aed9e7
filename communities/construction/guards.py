"""A major hazard stops its item, registered with the works' guards (``works.guards``) so that
every path that validates an item (admin, API, imports, services, history revert) asks it."""

from django.utils.translation import gettext as _

from communities.construction.choices import OrderStatus, Severity
from communities.construction.policy import status_moves_forward


def major_hazard_guard(item) -> list[tuple[str, str]]:
    """While an order from a major-hazard finding on ``item`` is not closed, the item's progress
    cannot go past the percentage saved, nor its status move forward.

    Runs one query for a saved item, and one more when such an order is open.
    """
    from communities.construction.models import RectificationOrder
    from communities.works.models.items import RenovationItem

    if item.pk is None:
        return []
    order = (
        RectificationOrder.objects.filter(
            finding__inspection__item_id=item.pk, finding__severity=Severity.MAJOR_HAZARD
        )
        .exclude(status=OrderStatus.CLOSED)
        .order_by("id")
        .values_list("pk", "deadline")
        .first()
    )
    if order is None:
        return []
    saved = RenovationItem.objects.filter(pk=item.pk).values("progress", "status").first()
    if saved is None:
        return []
    number, deadline = order
    errors = []
    if item.progress is not None and item.progress > saved["progress"]:
        errors.append(
            (
                "progress",
                _(
                    "Work is stopped by rectification order %(order)s (a major hazard, due "
                    "%(deadline)s): progress cannot go past %(progress)s%% until the order is "
                    "closed."
                )
                % {
                    "order": number,
                    "deadline": deadline.isoformat(),
                    "progress": saved["progress"],
                },
            )
        )
    if status_moves_forward(before=saved["status"], after=item.status or ""):
        errors.append(
            (
                "status",
                _(
                    "Work is stopped by rectification order %(order)s (a major hazard, due "
                    "%(deadline)s): the status cannot move forward until the order is closed."
                )
                % {"order": number, "deadline": deadline.isoformat()},
            )
        )
    return errors


def acceptance_guard(item) -> list[tuple[str, str]]:
    """An item becomes ``accepted`` only through an acceptance record (竣工验收) whose
    conclusion accepts it: ``services.acceptance_record`` records one and moves the item.
    Any other move to ``accepted`` (a form, the API, an import, a history revert) is refused.

    No query unless the item is saved and is being set to accepted; then up to two.
    """
    from communities.construction.acceptance import Acceptance
    from communities.construction.choices import AcceptanceConclusion
    from communities.works.choices import ItemStatus
    from communities.works.models.items import RenovationItem

    if item.pk is None or item.status != ItemStatus.ACCEPTED:
        return []
    before = RenovationItem.objects.filter(pk=item.pk).values_list("status", flat=True).first()
    if before in (None, ItemStatus.ACCEPTED):
        return []  # not a move (a new item, or one already accepted)
    recorded = Acceptance.objects.filter(
        item_id=item.pk,
        conclusion__in=AcceptanceConclusion.accepting(),
        recorded_on__isnull=False,
    ).exists()
    if recorded:
        return []
    return [
        (
            "status",
            _(
                "An item becomes accepted only through an acceptance record (竣工验收): record "
                "the acceptance, with its date, the parties present and its conclusion."
            ),
        )
    ]
