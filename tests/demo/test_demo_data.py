"""`manage.py load_demo_data`: Tai'an's demo data reproduces the city's headline figures exactly
as of the report day (2023-03-25), and continues the programme up to the day it is loaded.

The demo is loaded once for this module, as of a pinned day (``DAY``, never the real clock),
inside a transaction that is rolled back when the module ends (each test runs in a savepoint
within it), so its ~110,000 rows are written once (about 8 s). Every check of the demo as of
that day lives here for that reason, the statistics API's, the decisions' and the participation
pages' among them: each module that loaded the demo for a test of its own paid those seconds
again, on each database.
"""

import hashlib
import itertools
import random
import re
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from io import StringIO
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Min, Q, Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.demo import store, taian
from communities.demo.generate import build_city
from communities.demo.places import NAME_PARTS
from communities.elevators.choices import ElevatorStage
from communities.elevators.models import (
    STAGE_DATE_FIELDS,
    ElevatorRetrofit,
    Household,
    OwnerVote,
    StageTransition,
)
from communities.elevators.objection_models import ElevatorObjection
from communities.elevators.policy import unit_household_count
from communities.participation.choices import ProposalStatus
from communities.participation.models import Proposal, Rating
from communities.places.choices import RenovationStatus, SafetyGrade
from communities.places.models import Building, Community, District
from communities.property.choices import ManagementMode
from communities.property.models import PropertyService
from communities.repairs.models import RepairEvent, RepairRequest
from communities.reporting import selectors
from communities.works.choices import (
    Category,
    DesignPlanStatus,
    FacilityKind,
    FundingSource,
    ItemStatus,
)
from communities.works.models.facilities import Facility
from communities.works.models.items import FundingLine, RenovationItem, unreinforced_buildings
from communities.works.models.objections import DesignPlanObjection
from communities.works.models.plans import DesignPlan
from tests.demo.figures import THE_SIX_AS_JSON, THE_SIX_FIGURES
from tests.support.api import API, api_client, assert_matches_schema
from tests.support.ci import built_once

pytestmark = pytest.mark.django_db

# The day the demo is loaded as of in this module (tests/demo/test_demo_today.py tries others).
DAY = date(2026, 12, 5)
REPORT_DAY = taian.REPORT_DAY

DISTRICTS = {
    "370902": "泰山区",
    "370911": "岱岳区",
    "370921": "宁阳县",
    "370923": "东平县",
    "370982": "新泰市",
    "370983": "肥城市",
}
DEMO_MODELS = [
    Community,
    Building,
    RenovationItem,
    FundingLine,
    ElevatorRetrofit,
    PropertyService,
    Facility,
    DesignPlan,
    Proposal,
    Rating,
    RepairRequest,
    RepairEvent,
    Household,
    OwnerVote,
    ElevatorObjection,
    DesignPlanObjection,
]
# How each demo row is known without its ids, for comparing two loads.
NATURAL = {
    Community: ["district__code"],
    Building: ["community__district__code", "community__name"],
    RenovationItem: ["community__district__code", "community__name", "building__label"],
    FundingLine: ["item__community__name", "item__title", "item__building__label"],
    ElevatorRetrofit: ["building__community__name", "building__label", "vote_rule__code"],
    PropertyService: ["community__district__code", "community__name"],
    Facility: ["community__district__code", "community__name", "renovation_item__title"],
    DesignPlan: ["community__district__code", "community__name"],
    Proposal: ["community__district__code", "community__name", "kind__code"],
    Rating: ["community__district__code", "community__name", "item__title"],
    RepairRequest: ["community__district__code", "community__name", "status"],
    RepairEvent: ["request__community__name", "action"],
    Household: [
        "building__community__district__code",
        "building__community__name",
        "building__label",
    ],
    OwnerVote: [
        "retrofit__building__community__name",
        "retrofit__building__label",
        "retrofit__stage",
        "household__room_number",
    ],
    ElevatorObjection: ["retrofit__building__community__name", "retrofit__building__label"],
    DesignPlanObjection: ["plan__community__name", "building__label"],
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Run the command once for the module; roll everything back afterwards."""

    def load() -> SimpleNamespace:
        output = StringIO()
        with CaptureQueriesContext(connection) as queries:
            call_command("load_demo_data", "--today", DAY.isoformat(), stdout=output)
        return SimpleNamespace(output=output.getvalue(), queries=len(queries))

    yield from built_once(django_db_blocker, load)


def fingerprint(*, with_ids: bool) -> str:
    """A digest of every demo row: with ids and timestamps (nothing changed at all), or by
    content only, relations by their natural keys (the same data, loaded again)."""
    digest = hashlib.sha256()
    for model in DEMO_MODELS:
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if with_ids
            or not (field.primary_key or field.is_relation or field.name.endswith("_at"))
        ]
        if not with_ids:
            fields += NATURAL[model]
        rows = sorted(map(repr, model.objects.values_list(*fields)))
        digest.update(f"{model.__name__}:{len(rows)}:{rows}".encode())
    return digest.hexdigest()


def covered_on(day: date) -> set[int]:
    return set(PropertyService.objects.covering(day).values_list("community", flat=True))


# --- the figures --------------------------------------------------------------------------


def test_it_reproduces_the_six_headline_figures_exactly_as_of_the_report_day(demo):
    assert selectors.headline_figures(as_of=REPORT_DAY) == THE_SIX_FIGURES
    # Nothing that counts happens in the rest of March (the March 2023 return agrees).
    assert selectors.headline_figures(as_of=date(2023, 3, 31)) == THE_SIX_FIGURES


def test_city_statistics_report_the_same_figures(demo):
    statistics = selectors.city_statistics(as_of=REPORT_DAY)

    assert {key: statistics[key] for key in THE_SIX_FIGURES} == THE_SIX_FIGURES


def test_the_statistics_api_reports_the_same_figures_and_breakdowns_that_add_up(demo):
    body = api_client().get(f"{API}/stats/", {"as_of": "2023-03-25"}).json()

    assert {key: body[key] for key in list(body)[2:8]} == THE_SIX_AS_JSON
    # The breakdowns add up to the headline figures.
    for rows in (body["by_district"], body["by_year"]):
        assert sum(row["communities_renovated"] for row in rows) == 367
        assert sum(row["households_benefited"] for row in rows) == 83000
        assert sum(Decimal(row["renovated_floor_area_m2"]) for row in rows) == Decimal("7530000")
    play = [row for row in body["facilities_by_kind"] if row["kind"] == "children_play_area"]
    assert play[0]["area_m2"] == "1100.00"
    assert_matches_schema(body, "/api/v1/stats/")


def test_the_programme_went_on_after_the_report_and_todays_figures_are_the_days(demo):
    today = selectors.headline_figures()

    assert selectors.headline_figures(as_of=DAY) == today
    assert all(today[key] > THE_SIX_FIGURES[key] for key in THE_SIX_FIGURES)
    # Open-ended: the day's figures hold on any later day.
    for day in (date(2027, 1, 1), date(2035, 6, 30)):
        assert selectors.headline_figures(on=day) == today


def test_planned_and_under_construction_communities_exist_and_do_not_count(demo):
    by_status = {
        row["renovation_status"]: row
        for row in Community.objects.values("renovation_status").annotate(
            communities=Count("id"), households=Sum("households"), area=Sum("floor_area_m2")
        )
    }

    assert by_status[RenovationStatus.COMPLETED]["communities"] > 367
    for status in (RenovationStatus.UNDER_CONSTRUCTION, RenovationStatus.PLANNED):
        assert by_status[status]["communities"] >= 30
        assert by_status[status]["households"] > 0
        assert by_status[status]["area"] > 0
    assert by_status[RenovationStatus.NOT_STARTED]["communities"] > 0
    assert Community.objects.aggregate(total=Sum("households"))["total"] > 83000
    assert selectors.headline_figures(as_of=REPORT_DAY)["households_benefited"] == 83000


def test_the_district_breakdown_adds_up_to_the_city_figures(demo):
    rows = selectors.breakdown_by_district(as_of=REPORT_DAY)

    assert {row["district"]: row["district_name"] for row in rows} == DISTRICTS
    assert sum(row["communities_renovated"] for row in rows) == 367
    assert sum(row["renovated_floor_area_m2"] for row in rows) == Decimal("7530000.00")
    assert sum(row["households_benefited"] for row in rows) == 83000
    today = selectors.breakdown_by_district()
    assert sum(row["under_construction"] for row in today) == (
        Community.objects.filter(renovation_status=RenovationStatus.UNDER_CONSTRUCTION).count()
    )
    assert sum(row["planned"] for row in today) == (
        Community.objects.filter(renovation_status=RenovationStatus.PLANNED).count()
    )
    assert all(row["communities_renovated"] > 0 and row["budget"] > 0 for row in rows)
    per_district = [
        selectors.headline_figures(district=code, as_of=REPORT_DAY) for code in DISTRICTS
    ]
    assert {key: sum(f[key] for f in per_district) for key in THE_SIX_FIGURES} == THE_SIX_FIGURES


def test_batches_run_from_2019_to_next_year_and_completed_ones_end_before_the_day(demo):
    rows = selectors.breakdown_by_year()

    assert [row["year"] for row in rows] == list(range(2019, DAY.year + 2))
    assert sum(row["communities_renovated"] for row in rows) > 367
    assert rows[-1]["communities_renovated"] == 0  # next year's batch is only planned
    assert all(row["communities_renovated"] > 0 for row in rows[:-2])
    completed = Community.objects.completed()
    assert not completed.filter(completed_on__gt=DAY)
    # The report's: batches up to 2022, done by the report day; nothing else done in March.
    by_report = completed.filter(completed_on__lte=date(2023, 3, 31))
    assert by_report.count() == 367
    assert not by_report.filter(Q(renovation_year__gt=2022) | Q(completed_on__gt=REPORT_DAY))


# --- elevators, play areas, property services ----------------------------------------------


def test_retrofits_at_other_stages_and_withdrawn_ones_do_not_count(demo):
    stages = Counter(ElevatorRetrofit.objects.values_list("stage", flat=True))

    assert set(stages) == set(ElevatorStage.values)
    assert stages[ElevatorStage.IN_SERVICE] > 242  # more after the report
    assert selectors.headline_figures()["elevators_in_service"] == stages[ElevatorStage.IN_SERVICE]
    assert selectors.headline_figures(as_of=REPORT_DAY)["elevators_in_service"] == 242


def test_elevators_in_service_each_serve_their_own_unit_of_a_building_of_4_storeys_or_more(demo):
    running = ElevatorRetrofit.objects.in_service()

    assert running.values("building", "entrance_unit").distinct().count() == running.count()
    assert not running.filter(building__storeys__lt=4)
    assert not running.filter(entrance_unit__gt=F("building__entrance_units"))
    assert not running.filter(building__safety_grade__in=SafetyGrade.dangerous())
    assert not running.filter(registration_number="")
    assert running.values("registration_number").distinct().count() == running.count()


def test_111_elevators_were_in_service_by_2020_and_242_by_march_2023_more_later(demo):
    running = ElevatorRetrofit.objects.in_service()

    assert running.filter(in_service_on__lte=date(2020, 12, 31)).count() == 111
    assert running.filter(in_service_on__lte=date(2023, 3, 31)).count() == 242
    later = running.filter(in_service_on__gt=date(2023, 3, 31))
    assert later.count() >= 30
    assert not later.filter(in_service_on__gt=DAY)


def test_a_withdrawn_unit_can_have_a_new_retrofit(demo):
    withdrawn = ElevatorRetrofit.objects.filter(stage=ElevatorStage.WITHDRAWN)
    retried = ElevatorRetrofit.objects.exclude(stage=ElevatorStage.WITHDRAWN).filter(
        building__in=withdrawn.values("building")
    )

    assert withdrawn.count() >= 3
    assert any(
        retry.entrance_unit
        in {w.entrance_unit for w in withdrawn if w.building_id == retry.building_id}
        for retry in retried
    )


def _summaries(retrofits) -> dict[int, object]:
    return {
        retrofit.pk: retrofit.vote_summary() for retrofit in retrofits.select_related("vote_rule")
    }


def test_every_retrofit_that_reached_consent_has_a_vote_that_passes(demo):
    reached = ElevatorRetrofit.objects.filter(consent_on__isnull=False)

    summaries = _summaries(reached)

    assert len(summaries) > 242
    assert all(summary.passes for summary in summaries.values())
    assert all(summary.households > 0 for summary in summaries.values())


def test_votes_that_fail_a_withdrawn_retrofit_and_one_at_intention(demo):
    withdrawn = ElevatorRetrofit.objects.filter(
        stage=ElevatorStage.WITHDRAWN, consent_on__isnull=True, votes__isnull=False
    ).distinct()
    intention = ElevatorRetrofit.objects.filter(
        stage=ElevatorStage.INTENTION, votes__isnull=False
    ).distinct()

    failed_withdrawn = [s for s in _summaries(withdrawn).values() if not s.passes]
    intention_votes = list(_summaries(intention).values())
    assert failed_withdrawn
    assert any(summary.passes for summary in intention_votes)  # waiting for consent
    # Short of the rule by little: only the approval thresholds fail.
    short = [summary for summary in intention_votes if not summary.passes]
    assert short
    assert all(set(summary.failed) <= {"approval_area", "approval_headcount"} for summary in short)
    assert ElevatorRetrofit.objects.filter(stage=ElevatorStage.INTENTION, votes__isnull=True)


def test_votes_are_dated_between_the_intention_and_the_decision(demo):
    votes = OwnerVote.objects.exclude(choice="absent")

    assert votes.count() > 2000
    assert not votes.filter(voted_on__lt=F("retrofit__intention_on"))
    assert not votes.filter(voted_on__gt=F("retrofit__consent_on"))
    assert not votes.filter(voted_on__gt=F("retrofit__withdrawn_on"))
    assert not votes.filter(voted_on__gt=DAY)
    assert not OwnerVote.objects.filter(choice="absent", voted_on__isnull=False)
    assert not OwnerVote.objects.exclude(
        household__building=F("retrofit__building"),
        household__entrance_unit=F("retrofit__entrance_unit"),
    )


def test_every_retrofit_unit_has_its_households_and_only_those_units_do(demo):
    units = set(ElevatorRetrofit.objects.values_list("building", "entrance_unit"))
    with_households = set(Household.objects.values_list("building", "entrance_unit").distinct())

    assert with_households == units
    assert not Household.objects.filter(floor__gt=F("building__storeys"))
    assert not Household.objects.filter(entrance_unit__gt=F("building__entrance_units"))
    counted = Building.objects.filter(household_records__isnull=False).annotate(
        recorded=Count("household_records")
    )
    assert not counted.filter(recorded__gt=F("households"))
    assert not Household.objects.filter(owner_name="")  # staff know every owner
    for household in random.Random(4).sample(list(Household.objects.order_by("pk")), 25):
        household.full_clean()


def test_cost_shares_show_on_the_demo_pages_and_add_up(demo, client):
    noticed = [
        retrofit
        for retrofit in ElevatorRetrofit.objects.exclude(stage=ElevatorStage.WITHDRAWN)
        if retrofit.shares_published
    ]
    assert len(noticed) > 242
    for retrofit in random.Random(5).sample(noticed, 20):
        sharing = retrofit.cost_sharing()
        assert sharing.problem is None
        assert sum(household.share for household in sharing.households) == sharing.owners_part
        assert all(h.share == 0 for h in sharing.households if h.coefficient == 0)
    assert ElevatorRetrofit.objects.exclude(floor_coefficients={}).exists()
    mudan = Community.objects.get(name="牡丹花园")
    content = client.get(f"/communities/{mudan.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "How the owners share the cost of each elevator" in content
    owners = Household.objects.filter(building__community=mudan).values_list(
        "owner_name", flat=True
    )
    assert owners
    assert not [name for name in owners if name in content]


def test_the_play_area_not_yet_open_does_not_count(demo):
    play_areas = Facility.objects.filter(kind=FacilityKind.CHILDREN_PLAY_AREA)
    not_open = play_areas.filter(opened_on__isnull=True)

    assert not_open.exists()
    assert not_open.aggregate(area=Sum("area_m2"))["area"] > 0
    assert play_areas.filter(opened_on__lte=REPORT_DAY).aggregate(area=Sum("area_m2"))[
        "area"
    ] == Decimal("1100.00")
    assert not play_areas.filter(opened_on__gt=REPORT_DAY, opened_on__lt=date(2023, 4, 1))
    assert play_areas.filter(opened_on__gt=REPORT_DAY, opened_on__lte=DAY).exists()


def test_360_communities_were_under_property_service_on_the_report_day_more_now(demo):
    assert len(covered_on(REPORT_DAY)) == 360
    assert covered_on(date(2023, 3, 31)) == covered_on(REPORT_DAY)
    services = PropertyService.objects.covering(DAY)

    assert len(covered_on(DAY)) > 360
    assert not services.exclude(contract_end__isnull=True)  # so the figure holds on any day
    assert services.count() == len(covered_on(DAY))  # one service at a time
    assert set(services.values_list("mode", flat=True)) == set(ManagementMode.values)
    assert services.filter(is_red_property=True).count() >= 20
    assert services.filter(trial_end__isnull=False).count() >= 10
    fees = services.values_list("fee_per_m2_month", flat=True)
    assert all(Decimal("0.30") <= fee <= Decimal("1.50") for fee in fees)


def test_expired_contracts_are_history_and_do_not_count(demo):
    expired = PropertyService.objects.filter(contract_end__lt=DAY)
    lapsed = set(expired.values_list("community", flat=True)) - covered_on(DAY)

    assert expired.count() >= 20
    assert lapsed  # communities whose contract ended and that now have none
    assert Community.objects.completed().exclude(pk__in=covered_on(DAY)).count() > 0


# --- the named places ----------------------------------------------------------------------


def test_the_named_places_carry_what_the_report_says(demo):
    named = {c.name: c for c in Community.objects.filter(district__code="370902")}
    for name in ("乐园小区", "松园小区", "天平花园", "牡丹花园", "岱西花园"):
        assert named[name].renovation_status == RenovationStatus.COMPLETED, name
    canteen = Facility.objects.get(community=named["乐园小区"], kind=FacilityKind.CANTEEN)
    assert canteen.capacity == 50 and canteen.opened_on
    assert Facility.objects.filter(
        community=named["乐园小区"], kind=FacilityKind.DAY_CARE, opened_on__isnull=False
    ).exists()
    assert named["松园小区"].is_demonstration
    assert "2022" in named["松园小区"].demonstration_note
    assert Facility.objects.filter(
        community=named["天平花园"], kind=FacilityKind.GRID_STATION, opened_on__isnull=False
    ).exists()
    assert ElevatorRetrofit.objects.in_service().filter(building__community=named["牡丹花园"])
    assert Facility.objects.filter(
        community=named["岱西花园"], kind=FacilityKind.LEISURE_SQUARE, opened_on__isnull=False
    ).exists()


def test_the_east_lake_neighbourhood_is_under_red_property(demo):
    east_lake = Community.objects.filter(neighbourhood="东湖社区")
    services = PropertyService.objects.covering(DAY).filter(community__in=east_lake)

    assert east_lake.count() >= 2
    assert east_lake.completed().count() == east_lake.count()
    assert services.count() == east_lake.count()
    assert all(service.is_red_property for service in services)


def test_the_six_districts_have_their_real_codes(demo):
    assert dict(District.objects.values_list("code", "name")) == DISTRICTS


def test_communities_are_realistic_old_communities_inside_their_districts(demo):
    suffixes = ("小区", "花园", "宿舍", "新村", "家园", "家属院")
    boxes = {spec.code: spec for spec in taian.DISTRICTS}
    communities = list(Community.objects.select_related("district"))

    assert len({(c.district_id, c.name) for c in communities}) == len(communities)
    for community in communities:
        spec = boxes[community.district.code]
        plain = community.name
        for part in NAME_PARTS:  # 东岳小区二期: once the plain names run out
            plain = plain.removesuffix(part)
        assert plain.endswith(suffixes), community.name
        assert community.year_built < 2001
        # (to the 6 decimal places stored: a point on the box's edge is inside)
        assert abs(float(community.latitude) - spec.centre[0]) <= spec.spread[0] + 1e-9
        assert abs(float(community.longitude) - spec.centre[1]) <= spec.spread[1] + 1e-9
        assert community.address.startswith(community.district.name)
        assert community.subdistrict


# --- every row follows the rules -----------------------------------------------------------


def test_every_named_object_and_a_sample_of_the_rest_pass_full_clean(demo):
    named = Community.objects.filter(name__in=[entry.name for entry in taian.NAMED])
    chosen = {
        Community: list(named),
        Building: list(Building.objects.filter(community__in=named)),
        RenovationItem: list(RenovationItem.objects.filter(community__in=named)),
        FundingLine: list(FundingLine.objects.filter(item__community__name="乐园小区")),
        ElevatorRetrofit: list(ElevatorRetrofit.objects.filter(building__community__in=named)),
        PropertyService: list(PropertyService.objects.filter(community__in=named)),
        Facility: list(Facility.objects.filter(community__in=named)),
        DesignPlan: [],
    }
    sampler = random.Random(20230323)
    for model, objects in chosen.items():
        ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
        objects += list(model.objects.filter(pk__in=sampler.sample(ids, min(25, len(ids)))))
    # Every dangerous building and every retrofit under way: the rows rules are most about.
    chosen[Building] += list(Building.objects.filter(safety_grade__in=SafetyGrade.dangerous()))
    chosen[ElevatorRetrofit] += list(ElevatorRetrofit.objects.exclude(stage="in_service"))

    failures = []
    for model, objects in chosen.items():
        for obj in objects:
            try:
                obj.full_clean()
            except ValidationError as error:
                failures.append((model.__name__, obj.pk, error.message_dict))
    assert failures == []


def test_reinforce_first_holds_on_every_dangerous_building(demo):
    dangerous = Building.objects.filter(safety_grade__in=SafetyGrade.dangerous())
    reinforcement = RenovationItem.objects.filter(kind__code="structural-reinforcement")

    assert dangerous.filter(safety_grade=SafetyGrade.C).exists()
    assert dangerous.filter(safety_grade=SafetyGrade.D).exists()
    assert not dangerous.exclude(community__renovation_status=RenovationStatus.NOT_STARTED).exclude(
        pk__in=reinforcement.values("building")
    )
    assert not RenovationItem.objects.filter(
        building__in=dangerous, status__in=ItemStatus.started()
    ).exclude(kind__is_reinforcement=True)
    on_dangerous = ElevatorRetrofit.objects.filter(building__in=dangerous)
    assert on_dangerous.exists()  # planning may go ahead (intention, consent)…
    assert not on_dangerous.filter(  # …building may not
        stage__in=[ElevatorStage.CONSTRUCTION, ElevatorStage.ACCEPTANCE, ElevatorStage.IN_SERVICE]
    )
    # Reinforced during completed works: re-appraised after the reinforcement was done.
    done = reinforcement.filter(community__renovation_status=RenovationStatus.COMPLETED)
    assert done.exists()
    assert not done.exclude(building__safety_grade__in=[SafetyGrade.A, SafetyGrade.B])
    assert not done.filter(building__appraised_on__lt=F("actual_end"))


def test_the_demo_keeps_decisions_decided(demo):
    """Issue 15: no community completed with open items, its dates its items', every graded
    building's grade resting on its newest appraisal record, reinforce first per community
    (``manage.py check_integrity`` finds nothing)."""
    out = StringIO()
    call_command("check_integrity", stdout=out)
    assert "Every community follows its items" in out.getvalue()

    completed = Community.objects.completed()
    assert not completed.filter(
        Q(items__status__in=[ItemStatus.PLANNED, ItemStatus.DESIGNING])
        | Q(items__status=ItemStatus.UNDER_CONSTRUCTION)
    )
    graded = Building.objects.exclude(safety_grade=SafetyGrade.UNAPPRAISED)
    assert graded.exists()
    for building in graded.prefetch_related("appraisals"):
        newest = max(building.appraisals.all(), key=lambda a: (a.appraised_on, a.pk))
        assert (newest.grade, newest.appraised_on) == (building.safety_grade, building.appraised_on)
    # Re-appraised after the reinforcement: C first, then B.
    assert Building.objects.filter(appraisals__grade=SafetyGrade.C, safety_grade=SafetyGrade.B)
    # Reinforce first holds per community: each community with a started whole-community item
    # is asked once (its 5,000 items asked it again for every item).
    started = RenovationItem.objects.filter(
        building__isnull=True, status__in=ItemStatus.started(), kind__is_reinforcement=False
    )
    for community_id in started.order_by().values_list("community_id", flat=True).distinct():
        assert not unreinforced_buildings(community_id), started.filter(
            community_id=community_id
        ).first()


def test_items_follow_their_community_status(demo):
    items = RenovationItem.objects.all()

    completed = items.filter(community__renovation_status=RenovationStatus.COMPLETED)
    assert not completed.exclude(status__in=ItemStatus.finished())
    assert not completed.exclude(progress=100)
    assert not completed.filter(Q(actual_start__isnull=True) | Q(actual_end__isnull=True))
    planned = items.filter(community__renovation_status=RenovationStatus.PLANNED)
    assert not planned.filter(status__in=ItemStatus.started())
    assert not planned.filter(actual_start__isnull=False)
    under_way = items.filter(community__renovation_status=RenovationStatus.UNDER_CONSTRUCTION)
    assert set(under_way.values_list("status", flat=True)) >= {
        ItemStatus.PLANNED,
        ItemStatus.DESIGNING,
        ItemStatus.UNDER_CONSTRUCTION,
        ItemStatus.COMPLETED,
    }
    assert not items.filter(community__renovation_status=RenovationStatus.NOT_STARTED)
    assert not items.filter(Q(actual_end__gt=DAY) | Q(actual_start__gt=DAY))


def test_budgets_are_plausible_spent_within_and_funding_within_them(demo):
    items = RenovationItem.objects.annotate(funded=Sum("funding__amount"))

    assert not items.filter(spent__gt=F("budget"))
    assert not items.filter(funded__gt=F("budget"))
    # Unfunded only with nothing to fund: the elevator item of retrofits not yet designed
    # (their cost is estimated at design), which reconciles with them at ¥0.
    unfunded = items.filter(funded__isnull=True)
    assert not unfunded.exclude(budget=0, kind__code="elevator", status=ItemStatus.PLANNED)
    works = items.exclude(kind__code="elevator")  # one item for all of a community's elevators
    assert not works.filter(Q(budget__lt=50_000) | Q(budget__gt=3_000_000))
    sources = set(FundingLine.objects.values_list("source", flat=True))
    assert {"central_subsidy", "local_budget", "special_bonds", "utility_companies"} <= sources
    assert {"social_capital", "residents"} <= sources


def test_items_use_the_seeded_kinds_in_all_three_categories(demo):
    by_category = dict(RenovationItem.objects.values_list("kind__category").annotate(n=Count("id")))

    assert set(by_category) == set(Category.values)
    assert all(count >= 100 for count in by_category.values())
    assert RenovationItem.objects.values("kind").distinct().count() >= 25


def test_buildings_hold_their_community_households(demo):
    buildings = Community.objects.annotate(
        in_buildings=Sum("buildings__households"), entered=Count("buildings")
    )

    assert not buildings.exclude(in_buildings=F("households"))
    assert not buildings.exclude(entered=F("buildings_count"))
    storeys = Counter(Building.objects.values_list("storeys", flat=True))
    assert set(storeys) == {2, 3, 4, 5, 6, 7}
    assert sum(storeys[n] for n in (4, 5, 6, 7)) > 0.8 * sum(storeys.values())
    assert not Building.objects.filter(households__gt=F("storeys") * F("entrance_units") * 3)


def test_works_of_recent_batches_began_under_an_approved_design_plan(demo):
    required_from = settings.RENOVATION["DESIGN_PLAN_REQUIRED_FROM_YEAR"]
    started = RenovationItem.objects.filter(
        status__in=ItemStatus.started(), community__renovation_year__gte=required_from
    )
    plans = {
        (plan.community_id, plan.batch_year): plan
        for plan in DesignPlan.objects.filter(status="approved")
    }

    assert started.exists()
    for item in started.select_related("community"):
        plan = plans[(item.community_id, item.community.renovation_year)]
        assert plan.notice_end < plan.approved_on <= item.actual_start


def test_facilities_of_many_kinds_open_only_in_the_past(demo):
    kinds = set(Facility.objects.values_list("kind", flat=True))

    assert len(kinds) >= 15
    assert not Facility.objects.filter(opened_on__gt=DAY)
    assert not Facility.objects.exclude(renovation_item__community=F("community"))


def test_no_community_has_two_services_at_once(demo):
    periods = defaultdict(list)
    for service in PropertyService.objects.order_by("contract_start"):
        periods[service.community_id].append(service)

    for services in periods.values():
        for earlier, later in itertools.pairwise(services):
            assert earlier.contract_end is not None
            assert earlier.contract_end < later.contract_start


def test_objections_were_filed_in_their_notice_and_answered_before_any_approval(demo):
    """Objections to notices (communities/demo/objections.py) obey the rules the services
    apply: filed during the notice by a resident of the unit / community, answered before the
    notice was approved; some notices awaiting approval still have objections to answer."""
    elevator_objections = list(
        ElevatorObjection.objects.select_related("retrofit__building", "household")
    )
    plan_objections = list(DesignPlanObjection.objects.select_related("plan", "building"))
    assert len(elevator_objections) > 20 and len(plan_objections) > 5
    waiting = 0
    for objection in elevator_objections:
        objection.full_clean()
        retrofit = objection.retrofit
        assert retrofit.notice_on <= objection.filed_at.date()
        assert objection.household.room_number == objection.room
        if retrofit.approved_on:
            assert objection.answered_on and objection.answered_on < retrofit.approved_on
        waiting += objection.answered_on is None
    for objection in plan_objections:
        objection.full_clean()
        plan = objection.plan
        assert plan.notice_start <= objection.filed_at.date() <= plan.notice_end
        if plan.approved_on:
            assert objection.answered_on and objection.answered_on < plan.approved_on
        waiting += objection.answered_on is None
    assert waiting > 0


# --- the command ---------------------------------------------------------------------------


def test_it_prints_the_headline_figures_of_the_report_day_and_of_the_day(demo):
    assert "Tai'an demo data loaded" in demo.output
    assert "as of 2026-12-05" in demo.output
    for text in (
        "On 2023-03-25: 367 communities renovated",
        "7,530,000.00 m²",
        "83,000 households",
        "242 elevators in service",
        "1,100.00 m² of children's play area",
        "360 communities under property service",
    ):
        assert text in demo.output
    today = selectors.headline_figures()
    assert f"Today: {today['communities_renovated']} communities renovated" in demo.output


def test_loading_runs_a_few_queries_per_model_not_per_row(demo):
    rows = sum(model.objects.count() for model in DEMO_MODELS)

    # About 30 to find and make the districts and read the kinds and rules, 4 for the figures,
    # one insert per batch (up to 500 rows, fewer on SQLite: 999 parameters a query), and the
    # repair requests' dispatch lookups (one per request, through the same selector the
    # service uses, ~360 in all).
    assert rows > 30000
    assert demo.queries < rows / 25


def test_a_second_run_changes_nothing(demo, django_assert_num_queries):
    before = fingerprint(with_ids=True)
    output = StringIO()

    # savepoint, districts, kinds, vote rule, subsidy rule, demo present?, release savepoint,
    # then the 4 queries of the headline figures.
    with django_assert_num_queries(15):
        call_command("load_demo_data", "--today", DAY.isoformat(), stdout=output)

    assert "already loaded; nothing changed" in output.getvalue()
    assert fingerprint(with_ids=True) == before


def test_it_refuses_a_partial_demo_without_reset(demo):
    Community.objects.filter(renovation_status=RenovationStatus.NOT_STARTED).exclude(
        buildings__elevator_retrofits__isnull=False
    ).first().delete()

    with pytest.raises(CommandError, match="--reset"):
        call_command("load_demo_data", "--today", DAY.isoformat(), stdout=StringIO())


def test_reset_deletes_and_reloads_the_same_data(demo):
    before = fingerprint(with_ids=False)
    first_id = Community.objects.order_by("pk").values_list("pk", flat=True).first()
    Community.objects.filter(name="乐园小区").update(households=1)  # a change reset undoes

    call_command("load_demo_data", "--reset", "--today", DAY.isoformat(), stdout=StringIO())

    assert Community.objects.order_by("pk").values_list("pk", flat=True).first() != first_id
    assert fingerprint(with_ids=False) == before
    assert selectors.headline_figures(as_of=REPORT_DAY) == THE_SIX_FIGURES
    assert not hasattr(settings, "SIMPLE_HISTORY_ENABLED")  # history is back on


# --- the generator -------------------------------------------------------------------------


def _city(seed: int):
    vote_rule, subsidy_rule = store.elevator_rules()
    return build_city(
        districts=store.ensure_districts(),
        kinds=store.national_kinds(),
        vote_rule=vote_rule,
        subsidy_rule=subsidy_rule,
        seed=seed,
        today=DAY,
    )


def _rows(city) -> list:
    """The generated rows as plain values (foreign keys by the related object's position)."""
    position = {
        id(obj): index for objects in city.rows.values() for index, obj in enumerate(objects)
    }
    rows = []
    for model, objects in city.rows.items():
        for obj in objects:
            values = []
            for field in model._meta.concrete_fields:
                if field.is_relation:
                    related = getattr(obj, field.name)
                    values.append(position.get(id(related), getattr(related, "pk", None)))
                elif not field.primary_key:
                    values.append(getattr(obj, field.attname))
            rows.append((model.__name__, *values))
    return rows


@pytest.fixture(scope="module")
def seeded_city(demo, django_db_blocker):
    """The city the demo's seed generates, generated once for the module (never saved)."""
    with django_db_blocker.unblock():
        return _city(taian.SEED)


@pytest.fixture(scope="module")
def seeded_rows(seeded_city):
    """The rows the demo's seed generates."""
    return _rows(seeded_city)


def test_generation_is_deterministic(seeded_rows):
    assert _rows(_city(taian.SEED)) == seeded_rows


def test_the_exact_figures_do_not_depend_on_the_seed(seeded_rows):
    city = _city(seed=7)
    completed = [
        site.community
        for site in city.sites
        if site.status == RenovationStatus.COMPLETED and site.community.completed_on <= REPORT_DAY
    ]
    running = [
        e
        for e in city.rows[ElevatorRetrofit]
        if e.stage == ElevatorStage.IN_SERVICE and e.in_service_on <= REPORT_DAY
    ]
    play = [
        f
        for f in city.rows[Facility]
        if f.kind == FacilityKind.CHILDREN_PLAY_AREA and f.opened_on and f.opened_on <= REPORT_DAY
    ]
    covered = {
        id(s.community)
        for s in city.rows[PropertyService]
        if s.contract_start <= REPORT_DAY and (s.contract_end or REPORT_DAY) >= REPORT_DAY
    }

    assert len(completed) == 367
    assert sum(community.floor_area_m2 for community in completed) == Decimal("7530000.00")
    assert sum(community.households for community in completed) == 83000
    assert len(running) == 242
    assert sum(f.area_m2 for f in play) == Decimal("1100.00")
    assert len(covered) == 360
    assert _rows(city) != seeded_rows


# --- photos (issue 17) ---------------------------------------------------------------------


def test_named_communities_have_before_and_after_photos_dated_by_their_records(demo, client):
    from communities.construction.photo_models import Photo

    photos = list(Photo.objects.select_related("item", "inspection", "community"))
    compared = [photo for photo in photos if photo.inspection is None]
    inspected = [photo for photo in photos if photo.inspection is not None]
    assert Counter(photo.phase for photo in compared) == {"before": 10, "after": 10}
    assert len(inspected) == 3
    for photo in compared:
        item = photo.item
        assert photo.taken_on == (item.actual_start if photo.phase == "before" else item.actual_end)
        assert photo.community.name in {entry.name for entry in taian.NAMED}
    for photo in inspected:
        assert photo.taken_on == photo.inspection.visited_on
    for photo in photos:
        assert photo.taken_on <= DAY
        assert 0 < photo.thumbnail_width <= 400 and 0 < photo.width <= 1600
        assert photo.image.storage.exists(photo.image.name)
        assert photo.thumbnail.storage.exists(photo.thumbnail.name)
        photo.full_clean()
    page = client.get(compared[0].community.get_absolute_url()).content.decode()
    assert 'class="compare"' in page and compared[0].thumbnail.url in page


def test_generating_the_city_draws_no_photo(seeded_city):
    from communities.construction.photo_models import Photo

    city = seeded_city

    assert city.rows[Photo]
    assert all(photo.image.file._content is None for photo in city.rows[Photo])


# --- the decisions it records, as the services record them ---------------------------------


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


# --- residents' participation ------------------------------------------------------------------


def english_page(client, url: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def test_the_demo_fills_the_participation_pages_with_real_content(demo, client):
    # Every kind of record, in every state, following the rules.
    assert set(Proposal.objects.values_list("status", flat=True)) == set(ProposalStatus.values)
    assert {"approved", "superseded", "notice", "draft"} <= set(
        DesignPlan.objects.values_list("status", flat=True)
    )
    assert Rating.objects.count() > 5000
    assert (
        Rating.objects.filter(item__isnull=True).exists()
        and Rating.objects.filter(item__isnull=False).exists()
    )
    assert not Proposal.objects.adopted().exclude(item__community=F("community"))
    sampler = random.Random(370900)
    for model in (Proposal, DesignPlan, Rating):
        ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
        for obj in model.objects.filter(pk__in=sampler.sample(ids, 40)):
            obj.full_clean()
    # Works began under an approved plan; ratings came after completion.
    begun = Community.objects.filter(
        renovation_status__in=[RenovationStatus.COMPLETED, RenovationStatus.UNDER_CONSTRUCTION]
    ).annotate(first_start=Min("items__actual_start"))
    approved = dict(
        DesignPlan.objects.filter(status=DesignPlanStatus.APPROVED).values_list(
            "community_id", "approved_on"
        )
    )
    for community in begun:
        assert approved[community.pk] <= min(community.started_on, community.first_start)
    assert not Rating.objects.filter(item__isnull=True, rated_on__lt=F("community__completed_on"))
    assert not Rating.objects.filter(item__isnull=False, rated_on__lt=F("item__actual_end"))
    assert not Rating.objects.filter(rated_on__gt=DAY)
    per_community = Rating.objects.values("community").annotate(n=Count("id"))
    assert per_community.filter(n__gte=10).exists() and per_community.filter(n__lt=10).exists()

    # The city-wide page ranks communities and contractors, and says who is left out.
    html = english_page(client, reverse("site:satisfaction"))
    ranking = html.split('id="community-ranking"')[1].split("</table>")[0]
    # Over 100 ranked, shown a page of 25 at a time.
    assert ranking.count("<tr data-community=") == 25
    pages = int(re.search(r"page 1 of (\d+)", ranking).group(1))
    assert pages > 4
    assert "have fewer than 10 ratings and are not ranked." in html
    assert html.split('id="contractor-ranking"')[1].split("</table>")[0].count("<tr>") >= 5

    # A named community's page: what residents asked for, its plan, its ratings.
    leyuan = Community.objects.get(name="乐园小区")
    page = english_page(client, reverse("site:community", args=[leyuan.pk]))
    assert "建老年食堂和日间照料中心" in page.split('id="proposals"')[1].split("</section>")[0]
    assert "乐园小区2021年老旧小区改造设计方案" in page
    assert re.search(r"\d+ ratings?: average \d\.\d\d out of 5", page)
