"""The demo's timeline reaches the day it is loaded (issue 16): the report's six figures exact as
of 2023-03-25 and in the March 2023 return, the latest return agreeing with the statistics, and
every page alive on the day: recent completions, open repair requests, nothing after the day.

Loaded as of ``LATER`` here (test_demo_data.py loads it as of 2026-12-05); the real clock is
never read for a figure: the day is pinned with ``--today``.
"""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Max

from communities.demo import store, taian
from communities.demo.generate import build_city
from communities.demo.places import places
from communities.elevators.models import ElevatorRetrofit
from communities.participation.models import Proposal, Rating
from communities.places.models import Community
from communities.property.models import PropertyService
from communities.repairs.models import RepairEvent, RepairRequest
from communities.reporting.models import AnnualPlan
from communities.works.models.facilities import Facility
from communities.works.models.items import RenovationItem
from communities.works.models.quantities import ItemQuantity
from tests.demo.figures import THE_SIX_AS_JSON
from tests.support.api import API, api_client, make_user
from tests.support.ci import built_once

pytestmark = pytest.mark.django_db

LATER = date(2027, 6, 30)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):

    def load() -> SimpleNamespace:
        call_command("load_demo_data", "--today", LATER.isoformat(), stdout=StringIO())
        return SimpleNamespace(staff=make_user(is_staff=True, is_superuser=True))

    yield from built_once(django_db_blocker, load)


def _monthly(demo, period: str) -> dict:
    response = api_client(demo.staff).get(
        f"{API}/reports/monthly/", {"period": period, "region": "3709"}
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_the_six_figures_are_exact_as_of_the_report_day_through_the_api(demo):
    body = api_client().get(f"{API}/stats/", {"as_of": "2023-03-25"}).json()

    assert {key: body[key] for key in THE_SIX_AS_JSON} == THE_SIX_AS_JSON


def test_the_march_2023_return_gives_the_report_figures(demo):
    figures = _monthly(demo, "2023-03")

    completed = figures["progress"]["completed"]["cumulative"]
    assert (completed["communities"], completed["households"]) == (367, 83000)
    assert Decimal(figures["quantities"]["elevators"]["cumulative"]) == 242
    # The return carries no floor area, play area or services: those are the records' as of
    # the day (the API above); the completed communities' floor area is what the report says.
    done = Community.objects.completed().filter(completed_on__lte=date(2023, 3, 31))
    assert sum(c.floor_area_m2 for c in done) == Decimal("7530000.00")


def test_the_latest_return_agrees_with_the_statistics(demo):
    figures = _monthly(demo, f"{LATER:%Y-%m}")
    stats = api_client().get(f"{API}/stats/").json()

    completed = figures["progress"]["completed"]["cumulative"]
    assert completed["communities"] == stats["communities_renovated"] > 367
    assert completed["households"] == stats["households_benefited"] > 83000
    elevators = Decimal(figures["quantities"]["elevators"]["cumulative"])
    assert elevators == stats["elevators_in_service"] > 242
    assert figures["plan"]["communities"] > 0  # this year's plan


def test_every_year_from_2019_has_plans_and_the_series_shows_the_pace(demo):
    years = set(AnnualPlan.objects.values_list("year", flat=True))
    assert years == set(range(2019, LATER.year + 2))  # next year's plans too
    for year in range(2019, LATER.year):
        series = api_client().get(f"{API}/stats/", {"year": year}).json()
        assert series["communities_renovated"] > 0, year
    started = RenovationItem.objects.filter(status__in=["under_construction", "completed"])
    assert not started.filter(actual_start__isnull=True)
    assert not RenovationItem.objects.filter(
        status__in=["under_construction", "completed", "accepted"],
        kind__measures__isnull=False,
        quantities__isnull=True,
    )
    assert ItemQuantity.objects.count() > 3000


def test_nothing_is_dated_after_the_day(demo):
    day = LATER
    assert not Community.objects.filter(completed_on__gt=day)
    assert not Community.objects.filter(started_on__gt=day)
    assert not RenovationItem.objects.filter(actual_start__gt=day)
    assert not RenovationItem.objects.filter(actual_end__gt=day)
    assert not ElevatorRetrofit.objects.filter(in_service_on__gt=day)
    assert not ElevatorRetrofit.objects.filter(intention_on__gt=day)
    assert not Facility.objects.filter(opened_on__gt=day)
    assert not PropertyService.objects.filter(contract_start__gt=day)
    assert not Rating.objects.filter(rated_on__gt=day)
    assert not Proposal.objects.filter(submitted_on__gt=day)
    midnight = RepairRequest.objects.aggregate(latest=Max("submitted_at"))["latest"]
    assert midnight.date() <= day
    assert not RepairEvent.objects.filter(at__date__gt=day)


def test_the_pages_look_alive_on_the_day(demo, client):
    completed = Community.objects.completed().order_by("-completed_on")
    assert completed[0].completed_on >= LATER - timedelta(days=60)
    assert completed.filter(completed_on__gte=LATER - timedelta(days=365)).count() >= 20
    response = client.get("/")
    assert response.status_code == 200
    assert completed[0].name in response.content.decode()
    # Repair requests: a steady stream, open ones within the last 90 days (open311's window).
    recent = RepairRequest.objects.filter(submitted_at__date__gte=LATER - timedelta(days=90))
    assert recent.count() >= 40
    assert recent.exclude(status__in=["closed", "rejected"]).exists()
    assert RepairRequest.objects.aggregate(latest=Max("submitted_at"))["latest"].date() >= (
        LATER - timedelta(days=7)
    )
    window = {"start_date": (LATER - timedelta(days=89)).isoformat(), "end_date": str(LATER)}
    answered = client.get("/open311/v2/requests.json", window)
    assert answered.status_code == 200
    assert len(answered.json()) >= 40


def test_the_history_is_the_same_whatever_the_day():
    """Two days, two cities; the report's communities and their figures are the same."""
    vote_rule, subsidy_rule = store.elevator_rules()

    def early(today: date) -> list[tuple]:
        city = build_city(
            districts=store.ensure_districts(),
            kinds=store.national_kinds(),
            vote_rule=vote_rule,
            subsidy_rule=subsidy_rule,
            today=today,
            steps=[places],
        )
        return [
            (s.key, s.community.households, s.community.floor_area_m2, s.community.completed_on)
            for s in city.history
        ]

    first = early(date(2026, 12, 5))
    assert len(first) == 367
    assert early(LATER) == first
    assert early(taian.EARLIEST_TODAY) == first


def test_another_day_gives_another_city():
    """(The same day gives the same city: test_demo_data's test_generation_is_deterministic.)
    The communities step alone: every later step draws from the communities it made."""
    vote_rule, subsidy_rule = store.elevator_rules()

    def sites(today: date) -> list:
        city = build_city(
            districts=store.ensure_districts(),
            kinds=store.national_kinds(),
            vote_rule=vote_rule,
            subsidy_rule=subsidy_rule,
            today=today,
            steps=[places],
        )
        return [(s.key, s.status, s.community.started_on) for s in city.sites]

    earlier, later = sites(date(2026, 12, 5)), sites(LATER)
    assert earlier != later
    assert len(later) > len(earlier)  # later batches begun by then


def test_a_day_before_the_earliest_is_refused(db):
    before = Community.objects.count()
    with pytest.raises(CommandError, match=str(taian.EARLIEST_TODAY)):
        call_command("load_demo_data", "--today", "2023-03-31", stdout=StringIO())
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("load_demo_data", "--today", "31/03/2027", stdout=StringIO())
    assert Community.objects.count() == before


def test_a_demo_loaded_as_of_another_day_is_left_as_it_is(demo):
    communities = Community.objects.count()
    output = StringIO()

    call_command("load_demo_data", "--today", "2027-12-31", stdout=output)

    assert "as of another day; nothing changed" in output.getvalue()
    assert "--reset reloads it as of 2027-12-31" in output.getvalue()
    assert Community.objects.count() == communities


def test_a_reset_to_an_earlier_day_leaves_none_of_the_later_communities(demo):
    """Back to the earliest day a demo can be loaded as of: the most later communities to
    remove (and the smallest city to load again)."""
    earliest = taian.EARLIEST_TODAY
    call_command("load_demo_data", "--reset", "--today", earliest.isoformat(), stdout=StringIO())

    assert not Community.objects.filter(completed_on__gt=earliest)
    assert not Community.objects.filter(started_on__gt=earliest)
    vote_rule, subsidy_rule = store.elevator_rules()
    city = build_city(
        districts=store.ensure_districts(),
        kinds=store.national_kinds(),
        vote_rule=vote_rule,
        subsidy_rule=subsidy_rule,
        today=earliest,
        steps=[places],
    )
    assert Community.objects.count() == len(city.sites)
