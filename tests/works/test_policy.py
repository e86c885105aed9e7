"""The domain rules in communities/py, as pure functions: no database."""

from datetime import date
from decimal import Decimal

import pytest

from communities.elevators.choices import ElevatorStage
from communities.elevators.models import STAGE_DATE_FIELDS
from communities.elevators.policy import elevator_work_started, stage_date_errors
from communities.places.choices import SafetyGrade
from communities.works.policy import blocked_by_reinforce_first, funding_within_budget

# funding_within_budget


@pytest.mark.parametrize(
    ("budget", "amounts"),
    [
        (Decimal("100"), []),
        (Decimal("100"), [Decimal("40"), Decimal("60")]),
        (Decimal("100"), [Decimal("99.99")]),
        (Decimal("0"), [Decimal("0")]),
        (Decimal("100"), [None, Decimal("100")]),
    ],
)
def test_it_accepts_funding_up_to_the_budget(budget, amounts):
    assert funding_within_budget(budget, amounts) is True


@pytest.mark.parametrize(
    ("budget", "amounts"),
    [
        (Decimal("100"), [Decimal("100.01")]),
        (Decimal("100"), [Decimal("40"), Decimal("60"), Decimal("0.01")]),
        (Decimal("0"), [Decimal("1")]),
        (None, [Decimal("1")]),
    ],
)
def test_it_rejects_funding_beyond_the_budget(budget, amounts):
    assert funding_within_budget(budget, amounts) is False


def test_it_counts_funding_to_the_cent_without_float_error():
    # 0.1 + 0.2 is 0.30000000000000004 in floats; in Decimal it is exactly 0.3.
    assert funding_within_budget(Decimal("0.3"), [Decimal("0.1"), Decimal("0.2")])


def test_it_reads_funding_amounts_from_any_iterable_once():
    amounts = (Decimal(n) for n in ["30", "30", "40"])

    assert funding_within_budget(Decimal("100"), amounts)


# blocked_by_reinforce_first


@pytest.mark.parametrize("grade", [SafetyGrade.C, SafetyGrade.D])
def test_it_blocks_other_work_starting_on_a_dangerous_building(grade):
    assert blocked_by_reinforce_first(grade=grade, is_reinforcement=False, started=True)


@pytest.mark.parametrize("grade", [SafetyGrade.C, SafetyGrade.D])
def test_it_lets_reinforcement_start_on_a_dangerous_building(grade):
    assert not blocked_by_reinforce_first(grade=grade, is_reinforcement=True, started=True)


@pytest.mark.parametrize("grade", [SafetyGrade.C, SafetyGrade.D])
def test_it_lets_work_on_a_dangerous_building_be_planned(grade):
    assert not blocked_by_reinforce_first(grade=grade, is_reinforcement=False, started=False)


@pytest.mark.parametrize("grade", [SafetyGrade.UNAPPRAISED, SafetyGrade.A, SafetyGrade.B])
def test_it_lets_work_start_on_a_building_not_graded_dangerous(grade):
    assert not blocked_by_reinforce_first(grade=grade, is_reinforcement=False, started=True)


# elevator_work_started


@pytest.mark.parametrize(
    "stage",
    [
        ElevatorStage.INTENTION,
        ElevatorStage.CONSENT,
        ElevatorStage.DESIGN,
        ElevatorStage.PUBLIC_NOTICE,
        ElevatorStage.APPROVAL,
        ElevatorStage.WITHDRAWN,
    ],
)
def test_it_counts_stages_before_construction_as_no_work_on_the_building(stage):
    assert elevator_work_started(stage) is False


@pytest.mark.parametrize(
    "stage", [ElevatorStage.CONSTRUCTION, ElevatorStage.ACCEPTANCE, ElevatorStage.IN_SERVICE]
)
def test_it_counts_construction_and_after_as_work_on_the_building(stage):
    assert elevator_work_started(stage) is True


# stage_date_errors


def _dates(**by_stage) -> dict:
    return {stage: by_stage.get(stage) for stage in ElevatorStage.values}


def _errors(stage, **by_stage) -> list[tuple[str, str]]:
    return stage_date_errors(stage=stage, dates=_dates(**by_stage), fields=STAGE_DATE_FIELDS)


def test_it_accepts_a_retrofit_with_a_date_for_each_stage_reached_in_order():
    errors = _errors(
        ElevatorStage.APPROVAL,
        intention=date(2021, 3, 1),
        consent=date(2021, 4, 1),
        design=date(2021, 5, 1),
        public_notice=date(2021, 6, 1),
        approval=date(2021, 7, 1),
    )

    assert errors == []


def test_it_accepts_earlier_stages_left_undated():
    assert _errors(ElevatorStage.DESIGN, design=date(2021, 5, 1)) == []


def test_it_accepts_two_stages_reached_on_the_same_day():
    assert (
        _errors(ElevatorStage.CONSENT, intention=date(2021, 3, 1), consent=date(2021, 3, 1)) == []
    )


def test_it_rejects_a_current_stage_without_its_date(english):
    errors = _errors(ElevatorStage.CONSENT, intention=date(2021, 3, 1))

    assert errors == [("consent_on", "Give the date this stage was reached.")]


def test_it_rejects_a_date_for_a_stage_not_reached(english):
    errors = _errors(ElevatorStage.CONSENT, consent=date(2021, 4, 1), in_service=date(2022, 1, 1))

    assert errors == [("in_service_on", "This stage has not been reached yet.")]


def test_it_rejects_a_stage_reached_before_the_one_before_it(english):
    errors = _errors(ElevatorStage.CONSENT, intention=date(2021, 5, 1), consent=date(2021, 4, 1))

    assert errors == [("consent_on", "A stage cannot be reached before the one before it.")]


def test_it_compares_a_stage_with_the_last_dated_stage_before_it(english):
    errors = _errors(ElevatorStage.DESIGN, intention=date(2021, 5, 1), design=date(2021, 4, 1))

    assert errors == [("design_on", "A stage cannot be reached before the one before it.")]


def test_it_rejects_a_withdrawal_without_its_date(english):
    errors = _errors(ElevatorStage.WITHDRAWN, intention=date(2021, 3, 1))

    assert errors == [("withdrawn_on", "Give the date it was withdrawn.")]


def test_it_accepts_a_withdrawal_after_any_stages_reached():
    errors = _errors(
        ElevatorStage.WITHDRAWN,
        intention=date(2021, 3, 1),
        consent=date(2021, 4, 1),
        withdrawn=date(2021, 6, 1),
    )

    assert errors == []


def test_it_rejects_stages_out_of_order_on_a_withdrawn_retrofit(english):
    errors = _errors(
        ElevatorStage.WITHDRAWN,
        intention=date(2021, 5, 1),
        consent=date(2021, 4, 1),
        withdrawn=date(2021, 6, 1),
    )

    assert errors == [("consent_on", "A stage cannot be reached before the one before it.")]


def test_it_rejects_a_withdrawal_date_on_a_retrofit_not_withdrawn(english):
    errors = _errors(ElevatorStage.CONSENT, consent=date(2021, 4, 1), withdrawn=date(2021, 6, 1))

    assert errors == [("withdrawn_on", "The retrofit is not withdrawn.")]


def test_it_reports_every_stage_date_problem_at_once(english):
    errors = _errors(ElevatorStage.DESIGN, acceptance=date(2022, 1, 1))

    assert errors == [
        ("design_on", "Give the date this stage was reached."),
        ("accepted_on", "This stage has not been reached yet."),
    ]
