"""Reads of elevator retrofits that the admin's filters and the staff desk share, in SQL.

``votes_short`` is ``ElevatorRetrofit.vote_summary().passes`` turned into one query: the tally
of ``policy.tally_vote`` by headcount and by floor area, compared with the rule's fractions by
cross-multiplication (``part * den >= num * whole``), exact on PostgreSQL's numerics and, with
areas counted in hundredths of a square metre, on SQLite's floats too.
"""

from datetime import date, timedelta

from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Round
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual

from communities.elevators.choices import ElevatorStage, VoteChoice
from communities.elevators.models import Household, OwnerVote

PARTICIPATING = [VoteChoice.AGREE, VoteChoice.DISAGREE, VoteChoice.ABSTAIN]


class DatePlusDays(Func):
    """``date + days`` as a date on every database (a date plus an integer on PostgreSQL,
    ``date(d, '+n days')`` on SQLite, where Django's duration arithmetic yields a timestamp)."""

    arity = 2
    output_field = DateField()

    def as_sql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" + ")

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="date(%(expressions)s || ' days')",
            arg_joiner=", '+' || ",
        )


def notice_end() -> DatePlusDays:
    """The day a retrofit's public notice ends: ``notice_on`` plus ``notice_days``."""
    return DatePlusDays(F("notice_on"), F("notice_days"))


def notices_ending(queryset: QuerySet, start: date, end: date) -> QuerySet:
    """Retrofits under public notice whose notice ends from ``start`` to ``end`` (both
    included); the stage index narrows them to the few under notice."""
    return (
        queryset.filter(stage=ElevatorStage.PUBLIC_NOTICE, notice_on__isnull=False)
        .alias(notice_ends_on=notice_end())
        .filter(notice_ends_on__gte=start, notice_ends_on__lte=end)
    )


def _subtotal(rows: QuerySet, group: str, expression) -> Coalesce:
    """One aggregate of the correlated ``rows`` as a scalar subquery (0 when none)."""
    rows = rows.order_by().values(group).annotate(total=expression).values("total")
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _hundredths(field: str) -> Round:
    """A sum of square metres in whole hundredths: exact comparisons on every database."""
    return Round(Sum(field) * Value(100))


def _meets(part: str, whole: str, threshold: str) -> Q:
    """``part / whole >= num / den`` of the rule's ``threshold``; a threshold of 0 is none."""
    num = F(f"vote_rule__{threshold}_num")
    den = F(f"vote_rule__{threshold}_den")
    return Q(**{f"vote_rule__{threshold}_num": 0}) | (
        Q(GreaterThan(F(whole), 0)) & Q(GreaterThanOrEqual(F(part) * den, num * F(whole)))
    )


def with_tally(queryset: QuerySet) -> QuerySet:
    """Retrofits with their entrance unit's tally as aliases (one subquery each, on the
    indexes ``household_unit_floor`` and the one vote per household and retrofit)."""
    unit = Household.objects.filter(
        building_id=OuterRef("building_id"), entrance_unit=OuterRef("entrance_unit")
    )
    votes = OwnerVote.objects.filter(
        retrofit_id=OuterRef("pk"),
        household__building_id=OuterRef("building_id"),
        household__entrance_unit=OuterRef("entrance_unit"),
    )
    taking_part = votes.filter(choice__in=PARTICIPATING)
    agreeing = votes.filter(choice=VoteChoice.AGREE)
    return queryset.alias(
        tally_households=_subtotal(unit, "building_id", Count("pk")),
        tally_area=_subtotal(unit, "building_id", _hundredths("floor_area_m2")),
        tally_taking_part=_subtotal(taking_part, "retrofit_id", Count("pk")),
        tally_taking_part_area=_subtotal(
            taking_part, "retrofit_id", _hundredths("household__floor_area_m2")
        ),
        tally_agree=_subtotal(agreeing, "retrofit_id", Count("pk")),
        tally_agree_area=_subtotal(
            agreeing, "retrofit_id", _hundredths("household__floor_area_m2")
        ),
        tally_disagree=_subtotal(
            votes.filter(choice=VoteChoice.DISAGREE), "retrofit_id", Count("pk")
        ),
    ).alias(
        tally_expected=expected_households(),
        tally_base=Case(
            When(vote_rule__approval_of_participants=True, then=F("tally_taking_part")),
            default=F("tally_households"),
        ),
        tally_base_area=Case(
            When(vote_rule__approval_of_participants=True, then=F("tally_taking_part_area")),
            default=F("tally_area"),
        ),
    )


def expected_households() -> Case:
    """``policy.unit_household_count`` in SQL: the building's households shared evenly over
    its entrance units, the first units taking one more each while some are left over."""
    households, units = F("building__households"), F("building__entrance_units")
    share = Cast(households / units, IntegerField())
    left = households - share * units
    return Case(
        When(GreaterThan(F("entrance_unit"), left), then=share),
        default=share + Value(1),
        output_field=IntegerField(),
    )


def passing_vote() -> Q:
    """The condition of ``with_tally`` rows whose vote passes under their rule, on a complete
    roster (as many households entered as the unit has)."""
    return (
        Q(tally_households__gt=0)
        & Q(tally_households=F("tally_expected"))
        & _meets("tally_taking_part_area", "tally_area", "participation_area")
        & _meets("tally_taking_part", "tally_households", "participation_headcount")
        & _meets("tally_agree_area", "tally_base_area", "approval_area")
        & _meets("tally_agree", "tally_base", "approval_headcount")
        & ~Q(vote_rule__no_objection=True, tally_disagree__gt=0)
    )


def votes_short(queryset: QuerySet) -> QuerySet:
    """Retrofits at the intention stage whose owners' vote does not pass (yet) under their
    rule: too few took part or agreed, someone objected where no objection is allowed, no
    household of the unit is recorded, or the roster is incomplete. The stage index narrows
    them first."""
    return with_tally(queryset.filter(stage=ElevatorStage.INTENTION)).filter(~passing_vote())


def week_left(today: date) -> tuple[date, date]:
    """From ``today`` to the Sunday of its week, both included."""
    return today, today + timedelta(days=6 - today.weekday())


def notices_ending_this_week(queryset: QuerySet, today: date) -> QuerySet:
    return notices_ending(queryset, *week_left(today))
