"""The works' rules as pure functions: funding within budget, reinforce-first, when a batch needs
an approved plan, a plan's notice state and the earliest approval."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from communities.places.choices import SafetyGrade
from communities.works.choices import NoticeState


def funding_within_budget(budget: Decimal, amounts: Iterable[Decimal | None]) -> bool:
    """Funding may fall short of the budget, never exceed it."""
    total = sum((amount or Decimal("0") for amount in amounts), Decimal("0"))
    return total <= (budget or Decimal("0"))


def blocked_by_reinforce_first(*, grade: str, is_reinforcement: bool, started: bool) -> bool:
    """Tai'an's rule: 先加固整治后改造提升.

    On a C or D building, nothing but structural reinforcement may start until the building is
    reinforced and re-appraised A or B. Planning and design may go ahead.
    """
    return started and grade in SafetyGrade.dangerous() and not is_reinforcement


def blocked_by_unreinforced_community(
    *, is_reinforcement: bool, starting: bool, unreinforced: list[str]
) -> bool:
    """Reinforce first, per community (issue 15): community-wide work in the common areas may
    not start while any C or D building of the community has no completed reinforcement.

    "Common areas" are what a community-wide item (one tied to no building) works on: roads,
    pipes, greening, lighting, facilities, so every non-reinforcement kind on such an item.
    Work already under way is not stopped by a later appraisal; planning and design go ahead.
    """
    return starting and not is_reinforcement and bool(unreinforced)


def accepted_move_refused(*, before: str | None, after: str) -> bool:
    """Acceptance (验收) is final and comes after completion: an item becomes ``accepted`` only
    from ``completed`` and never leaves it. ``before`` is None for a new item."""
    if before == "accepted":
        return after != "accepted"
    return after == "accepted" and before != "completed"


def design_plan_required(*, batch_year: int | None, required_from: int) -> bool:
    """Whether items of a community in ``batch_year`` need an approved design plan to start.

    Batches before ``RENOVATION["DESIGN_PLAN_REQUIRED_FROM_YEAR"]`` were approved on paper
    before the city kept plans here; a community without a batch year is not in the programme
    and has no plan to look for.
    """
    return batch_year is not None and batch_year >= required_from


def notice_state(*, start: date | None, end: date | None, on: date) -> str | None:
    """Upcoming, open (both days included) or closed; None without a notice period."""
    if start is None or end is None:
        return None
    if on < start:
        return NoticeState.UPCOMING
    if on <= end:
        return NoticeState.OPEN
    return NoticeState.CLOSED


def approval_too_early(*, notice_end: date | None, on: date) -> bool:
    """Approval comes after the notice has run its course: a notice ending 20 March allows
    approval from 21 March (residents may still comment on the last day)."""
    return notice_end is None or on <= notice_end
