"""The SQL reads the staff desk and the admin's filters share: the tally of ``votes_short``
agrees with ``ElevatorRetrofit.vote_summary()`` and notices end on the right day."""

import itertools
from datetime import date, timedelta

import pytest

from communities.elevators.choices import ElevatorStage, VoteChoice
from communities.elevators.models import ElevatorRetrofit, VoteRule
from communities.elevators.selectors import notices_ending, votes_short
from tests.support.elevators import add_households, cast, new_retrofit, taian_building
from tests.support.factories import make_elevator

pytestmark = pytest.mark.django_db

A, D, S, X = VoteChoice.AGREE, VoteChoice.DISAGREE, VoteChoice.ABSTAIN, VoteChoice.ABSENT
# Three households: 80, 70.01 and 49.99 m² (shares near the thresholds' edges).
ROWS = [(2, "201", "80.00"), (3, "301", "70.01"), (4, "401", "49.99")]


@pytest.mark.parametrize("rule_code", ["civil-code-278", "chengdu-2018"])
def test_votes_short_agrees_with_the_python_tally(rule_code):
    rule = VoteRule.objects.get(code=rule_code)
    combos = list(itertools.product([A, D, S, X, None], repeat=3))[::4]
    expected = set()
    for combo in combos:
        building = taian_building(entrance_units=1, households=3)
        retrofit = new_retrofit(building=building, vote_rule=rule)
        households = add_households(building, ROWS)
        voted = [(h, c) for h, c in zip(households, combo, strict=True) if c is not None]
        cast(retrofit, [h for h, _ in voted], [c for _, c in voted])
        if not retrofit.vote_summary().passes:
            expected.add(retrofit.pk)
    assert 1 < len(expected) < len(combos)  # some pass, some do not
    empty = new_retrofit(building=taian_building(), vote_rule=rule)  # no household recorded
    expected.add(empty.pk)
    # All agree, but only three of the unit's four households are entered.
    building = taian_building(entrance_units=1, households=4)
    incomplete = new_retrofit(building=building, vote_rule=rule)
    cast(incomplete, add_households(building, ROWS), [A, A, A])
    expected.add(incomplete.pk)
    found = set(votes_short(ElevatorRetrofit.objects.all()).values_list("pk", flat=True))
    assert found == expected


def test_only_retrofits_at_intention_are_short():
    make_elevator(stage=ElevatorStage.DESIGN)
    assert not votes_short(ElevatorRetrofit.objects.all()).exists()


def test_notices_ending_counts_the_last_day_of_the_notice():
    start = date(2026, 3, 2)
    ending = make_elevator(stage=ElevatorStage.PUBLIC_NOTICE, notice_on=start, notice_days=20)
    make_elevator(stage=ElevatorStage.PUBLIC_NOTICE, notice_on=start, notice_days=30)
    make_elevator(stage=ElevatorStage.APPROVAL)
    end = start + timedelta(days=20)
    found = notices_ending(ElevatorRetrofit.objects.all(), end, end)
    assert list(found) == [ending]
    assert not notices_ending(
        ElevatorRetrofit.objects.all(), end + timedelta(days=1), end + timedelta(days=5)
    ).exists()
