"""A repair request's rules as pure functions: which move starts from which status, and its
deadline by category and emergency."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from communities.repairs.choices import RepairAction, RepairStatus

# --- Rules (pure) -----------------------------------------------------------------------------

# The lifecycle: which action may start from which status, and where it leads. Reject may come
# at any point before the work is resolved; reopen sends a resolved request back to its handler.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    RepairAction.DISPATCH: (frozenset({RepairStatus.SUBMITTED}), RepairStatus.DISPATCHED),
    RepairAction.START: (frozenset({RepairStatus.DISPATCHED}), RepairStatus.IN_PROGRESS),
    RepairAction.RESOLVE: (frozenset({RepairStatus.IN_PROGRESS}), RepairStatus.RESOLVED),
    RepairAction.RATE: (frozenset({RepairStatus.RESOLVED}), RepairStatus.CLOSED),
    RepairAction.AUTO_CLOSE: (frozenset({RepairStatus.RESOLVED}), RepairStatus.CLOSED),
    RepairAction.REOPEN: (frozenset({RepairStatus.RESOLVED}), RepairStatus.DISPATCHED),
    RepairAction.REJECT: (
        frozenset({RepairStatus.SUBMITTED, RepairStatus.DISPATCHED, RepairStatus.IN_PROGRESS}),
        RepairStatus.REJECTED,
    ),
}


def move_allowed(status: str, action: str) -> bool:
    """Whether ``action`` may be taken on a request in ``status``."""
    sources, _target = TRANSITIONS[action]
    return status in sources


def move_target(action: str) -> str:
    return TRANSITIONS[action][1]


def allowed_moves(status: str) -> list[str]:
    """The lifecycle actions open to a request in ``status``, in lifecycle order."""
    return [action for action, (sources, _target) in TRANSITIONS.items() if status in sources]


def deadline_hours(*, category: str, is_emergency: bool, table: dict | None = None) -> int:
    """Hours the handler has to resolve a request: the emergency deadline for any emergency,
    else the category's (``RENOVATION["REPAIR_DEADLINE_HOURS"]``)."""
    table = settings.RENOVATION["REPAIR_DEADLINE_HOURS"] if table is None else table
    key = "emergency" if is_emergency else category
    try:
        hours = int(table[key])
    except (KeyError, TypeError, ValueError) as exc:
        raise ImproperlyConfigured(
            f'RENOVATION["REPAIR_DEADLINE_HOURS"] needs a whole number of hours for {key!r}'
        ) from exc
    if hours <= 0:
        raise ImproperlyConfigured(f'RENOVATION["REPAIR_DEADLINE_HOURS"][{key!r}] must be > 0')
    return hours


def deadline_for(*, submitted_at: datetime, category: str, is_emergency: bool) -> datetime:
    return submitted_at + timedelta(
        hours=deadline_hours(category=category, is_emergency=is_emergency)
    )


def is_overdue(*, status: str, deadline_at: datetime | None, now: datetime) -> bool:
    """Still waiting for the handler past its deadline. Computed, never stored, so it is never
    stale; ``RepairRequestQuerySet.overdue()`` is the same rule in SQL."""
    return status in RepairStatus.open() and deadline_at is not None and deadline_at < now
