"""A repair request's rules as pure functions: which move starts from which status, and its
deadline by category and emergency."""

import math
import re
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


# --- The public report form --------------------------------------------------------------------

# A mainland mobile number: 11 digits starting 13–19 (a +86 or 86 prefix and spaces or dashes
# are dropped first).
_MOBILE_PREFIXES = ("+86", "0086", "86")


def normalise_mobile(value: str) -> str | None:
    """``value`` as 11 plain digits if it is a mainland mobile number, else None."""
    digits = "".join(char for char in (value or "") if char not in " -")
    for prefix in _MOBILE_PREFIXES:
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix) :]
            break
    return digits if re.fullmatch(r"1[3-9][0-9]{9}", digits) else None


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lng2 - lng1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


def box_around(lat: float, lng: float, radius_m: float) -> tuple[float, float, float, float]:
    """``(min_lat, max_lat, min_lng, max_lng)`` of a box holding the circle of ``radius_m``
    around the point, for an indexed prefilter before ``distance_m``."""
    d_lat = radius_m / 111_000
    d_lng = radius_m / (111_000 * max(math.cos(math.radians(lat)), 0.01))
    return lat - d_lat, lat + d_lat, lng - d_lng, lng + d_lng
