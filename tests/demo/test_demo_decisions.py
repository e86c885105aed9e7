"""The demo obeys the decisions it records: every retrofit's stage history is recorded as the
services record it, and every vote was taken on a complete roster. (The demo is loaded once for
this module, in a transaction rolled back at its end.)"""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from communities.elevators.choices import ElevatorStage
from communities.elevators.models import (
    STAGE_DATE_FIELDS,
    ElevatorRetrofit,
    Household,
    StageTransition,
)
from communities.elevators.policy import unit_household_count

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo_data", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def test_every_retrofit_has_its_stage_history_matching_its_stage_dates(demo):
    moves: dict[int, list] = {}
    for move in StageTransition.objects.order_by("retrofit_id", "on", "id"):
        moves.setdefault(move.retrofit_id, []).append(move)
    retrofits = list(ElevatorRetrofit.objects.all())

    assert len(retrofits) > 242
    for retrofit in retrofits:
        reached = [
            (stage, day)
            for stage, day in (
                (stage, getattr(retrofit, STAGE_DATE_FIELDS[stage]))
                for stage in [*ElevatorStage.ordered(), ElevatorStage.WITHDRAWN]
            )
            if day
        ]
        history = moves[retrofit.pk]
        assert [(m.to_stage, m.on) for m in history] == reached
        assert [m.from_stage for m in history] == ["", *(stage for stage, _ in reached[:-1])]
        assert history[-1].to_stage == retrofit.stage


def test_every_retrofit_unit_has_its_whole_roster(demo):
    entered = Counter(
        {
            (row["building"], row["entrance_unit"]): row["n"]
            for row in Household.objects.values("building", "entrance_unit").annotate(n=Count("pk"))
        }
    )
    retrofits = ElevatorRetrofit.objects.select_related("building")

    for retrofit in retrofits:
        building = retrofit.building
        expected = unit_household_count(
            households=building.households,
            entrance_units=building.entrance_units,
            unit=retrofit.entrance_unit,
        )
        assert entered[(building.pk, retrofit.entrance_unit)] == expected, retrofit
