"""The demo obeys the decisions it records: every retrofit's stage history is recorded as the
services record it, every vote was taken on a complete roster, and every community's elevator
item reconciles with its retrofits to the cent (no completed community with an open item is
checked by ``test_demo_data.py::test_the_demo_keeps_decisions_decided``). The demo is loaded
once for this module, in a transaction rolled back at its end."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum

from communities.elevators.choices import ElevatorStage
from communities.elevators.models import (
    STAGE_DATE_FIELDS,
    ElevatorRetrofit,
    Household,
    StageTransition,
)
from communities.elevators.policy import unit_household_count
from communities.places.choices import RenovationStatus
from communities.works.choices import FundingSource, ItemStatus
from communities.works.models.items import FundingLine, RenovationItem
from tests.support.ci import built_once

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    yield from built_once(
        django_db_blocker,
        lambda: call_command("load_demo_data", "--today", "2026-12-05", stdout=StringIO()),
    )


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


def test_every_elevator_item_reconciles_with_its_retrofits_to_the_cent(demo):
    """Budget = the retrofits' total cost; funding lines = their subsidy (local budget), other
    funding and the owners' part (the rest, maintenance fund included); withdrawn ones left out."""
    retrofits = {
        row["building__community"]: row
        for row in ElevatorRetrofit.objects.exclude(stage=ElevatorStage.WITHDRAWN)
        .values("building__community")
        .annotate(
            n=Count("pk"),
            cost=Sum("total_cost"),
            subsidy=Sum("subsidy"),
            other=Sum("other_funding"),
            fund=Sum("maintenance_fund"),
        )
    }
    items = {
        item.community_id: item
        for item in RenovationItem.objects.filter(kind__code="elevator").exclude(
            status=ItemStatus.CANCELLED
        )
    }
    funding: dict[tuple[int, str], object] = {
        (row["item"], row["source"]): row["amount"]
        for row in FundingLine.objects.filter(item__kind__code="elevator")
        .values("item", "source")
        .annotate(amount=Sum("amount"))
    }

    assert len(retrofits) > 100
    assert set(items) == set(retrofits)  # no community with retrofits lacks its item
    for community, row in retrofits.items():
        item = items[community]
        assert item.quantity == row["n"], item
        assert item.budget == row["cost"], item
        by_source = {
            source: funding.get((item.pk, source), 0)
            for source in (FundingSource.LOCAL_BUDGET, FundingSource.RESIDENTS, FundingSource.OTHER)
        }
        assert by_source == {
            FundingSource.LOCAL_BUDGET: row["subsidy"],
            FundingSource.RESIDENTS: row["cost"] - row["subsidy"] - row["other"],
            FundingSource.OTHER: row["other"],
        }, item
        # The maintenance fund is the owners' money: part of the owners' part.
        assert by_source[FundingSource.RESIDENTS] >= row["fund"]
        assert not [key for key in funding if key[0] == item.pk and key[1] not in by_source]
    total = ElevatorRetrofit.objects.exclude(stage=ElevatorStage.WITHDRAWN).aggregate(
        cost=Sum("total_cost")
    )["cost"]
    assert sum(item.budget for item in items.values()) == total
    # Open items (retrofits still under way) only where the community's works are not done.
    open_items = [i for i in items.values() if i.status not in ItemStatus.finished()]
    assert open_items
    assert not RenovationItem.objects.filter(
        pk__in=[i.pk for i in open_items], community__renovation_status=RenovationStatus.COMPLETED
    )
