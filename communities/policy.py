"""Domain rules that are more than a constraint: pure functions, no I/O, tested directly.

Models' ``clean()``, the admin's formsets, the API and imports all call these, so a rule is
written once and holds on every surface.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

from communities.choices import ElevatorStage, SafetyGrade


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


def elevator_work_started(stage: str) -> bool:
    """Construction and every stage after it count as work on the building."""
    ordered = ElevatorStage.ordered()
    return stage in ordered and ordered.index(stage) >= ordered.index(ElevatorStage.CONSTRUCTION)


def stage_date_errors(*, stage: str, dates: dict, fields: dict) -> list[tuple[str, str]]:
    """Check the stage dates of a retrofit: the current stage has its date, dates only for
    stages reached, and never earlier than the stage before."""
    ordered = ElevatorStage.ordered()
    errors: list[tuple[str, str]] = []
    if stage == ElevatorStage.WITHDRAWN:
        if not dates.get(ElevatorStage.WITHDRAWN):
            errors.append((fields[ElevatorStage.WITHDRAWN], _("Give the date it was withdrawn.")))
        reached = [s for s in ordered if dates.get(s)]
    else:
        position = ordered.index(stage)
        reached = ordered[: position + 1]
        if not dates.get(stage):
            errors.append((fields[stage], _("Give the date this stage was reached.")))
        for later in ordered[position + 1 :]:
            if dates.get(later):
                errors.append((fields[later], _("This stage has not been reached yet.")))
        if dates.get(ElevatorStage.WITHDRAWN):
            errors.append((fields[ElevatorStage.WITHDRAWN], _("The retrofit is not withdrawn.")))
    previous = None
    for step in reached:
        current = dates.get(step)
        if current and previous and current < previous:
            errors.append((fields[step], _("A stage cannot be reached before the one before it.")))
        if current:
            previous = current
    return errors
