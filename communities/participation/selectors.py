"""Reads of residents' participation, shared by the API, the admin and the public site.

Satisfaction figures are counted and summed in SQL (one query per breakdown, grouped by the
subject); the averages and shares are then divided exactly from those integers, so the API,
the admin, the pages and the tests agree to the last digit:

- a rating gives 1 to 5 on each of three aspects (the work itself, the process, management
  afterwards), as the national satisfaction survey asks;
- an **average** is the mean of the scores concerned (overall: of all three aspects of every
  rating), rounded half up to 2 decimals;
- a household is **satisfied** when its three scores average 4 or more (their sum is at least
  12); per aspect, when it gave that aspect 4 or 5. The **share satisfied** is a percentage,
  rounded half up to 1 decimal.

Which ratings count where: an item's ratings count for the item and its contractor; every
rating in a community (of an item or of the whole community) counts for the community, its
district and its renovation batch year. Rankings leave out subjects with fewer ratings than
``RENOVATION["SATISFACTION_MIN_RATINGS"]``.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.conf import settings
from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone

from communities.participation.choices import ProposalStatus
from communities.participation.models import Proposal, Rating
from communities.participation.policy import ASPECTS, SATISFIED_FROM
from communities.places.models import Community
from communities.works.choices import DesignPlanStatus, ItemStatus
from communities.works.models.plans import DesignDocument, DesignPlan

HUNDREDTH = Decimal("0.01")
TENTH = Decimal("0.1")
LATEST_COMMENTS = 8


def min_ratings_setting() -> int:
    return settings.RENOVATION["SATISFACTION_MIN_RATINGS"]


# --- The figures of a set of ratings ----------------------------------------------------------


def _round(value: Fraction, places: Decimal) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        places, rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class Satisfaction:
    """Counts and sums of a set of ratings; every figure derives from these integers."""

    ratings: int = 0
    work_total: int = 0
    process_total: int = 0
    management_total: int = 0
    satisfied: int = 0
    work_satisfied: int = 0
    process_satisfied: int = 0
    management_satisfied: int = 0

    def __add__(self, other: "Satisfaction") -> "Satisfaction":
        """Sums of disjoint sets of ratings add up exactly (a community = its subjects)."""
        return Satisfaction(
            *(getattr(self, name) + getattr(other, name) for name in self.__dataclass_fields__)
        )

    @classmethod
    def from_row(cls, row: dict) -> "Satisfaction":
        return cls(**{name: row[name] or 0 for name in cls.__dataclass_fields__})

    # Exact values

    @property
    def exact_average(self) -> Fraction | None:
        """The mean of every aspect score, as an exact fraction (for ranking)."""
        if not self.ratings:
            return None
        total = self.work_total + self.process_total + self.management_total
        return Fraction(total, 3 * self.ratings)

    @property
    def exact_share(self) -> Fraction | None:
        return Fraction(self.satisfied, self.ratings) if self.ratings else None

    # Rounded, for people

    @property
    def average(self) -> Decimal | None:
        value = self.exact_average
        return None if value is None else _round(value, HUNDREDTH)

    @property
    def share_satisfied(self) -> Decimal | None:
        value = self.exact_share
        return None if value is None else _round(value * 100, TENTH)

    def aspect_average(self, aspect: str) -> Decimal | None:
        total = getattr(self, f"{_aspect_key(aspect)}_total")
        return _round(Fraction(total, self.ratings), HUNDREDTH) if self.ratings else None

    def aspect_share_satisfied(self, aspect: str) -> Decimal | None:
        satisfied = getattr(self, f"{_aspect_key(aspect)}_satisfied")
        return _round(Fraction(satisfied * 100, self.ratings), TENTH) if self.ratings else None

    @property
    def aspects(self) -> list[dict]:
        """Per aspect: its code, average and share satisfied (the page's table)."""
        labels = {name: Rating._meta.get_field(name).verbose_name for name in ASPECTS}
        return [
            {
                "aspect": _aspect_key(name),
                "label": labels[name],
                "average": self.aspect_average(name),
                "share_satisfied": self.aspect_share_satisfied(name),
            }
            for name in ASPECTS
        ]

    def as_dict(self) -> dict:
        """The figures as the API gives them."""
        return {
            "ratings": self.ratings,
            "satisfied": self.satisfied,
            "average": self.average,
            "share_satisfied": self.share_satisfied,
            **{f"{_aspect_key(name)}_average": self.aspect_average(name) for name in ASPECTS},
            **{
                f"{_aspect_key(name)}_share_satisfied": self.aspect_share_satisfied(name)
                for name in ASPECTS
            },
        }


def _aspect_key(aspect: str) -> str:
    """``work_score`` → ``work``; ``work`` stays ``work``."""
    return aspect.removesuffix("_score")


def satisfied_condition() -> Q:
    """A rating whose three scores average 4 or more, in SQL (``models.is_satisfied``)."""
    total = F("work_score") + F("process_score") + F("management_score")
    return Q(GreaterThanOrEqual(total, SATISFIED_FROM * len(ASPECTS)))


def _aggregates() -> dict:
    """The SQL of ``Satisfaction``: counts and integer sums, nothing divided in the database."""
    return {
        "ratings": Count("id"),
        "work_total": Coalesce(Sum("work_score"), 0),
        "process_total": Coalesce(Sum("process_score"), 0),
        "management_total": Coalesce(Sum("management_score"), 0),
        "satisfied": Count("id", filter=satisfied_condition()),
        "work_satisfied": Count("id", filter=Q(work_score__gte=SATISFIED_FROM)),
        "process_satisfied": Count("id", filter=Q(process_score__gte=SATISFIED_FROM)),
        "management_satisfied": Count("id", filter=Q(management_score__gte=SATISFIED_FROM)),
    }


def satisfaction(ratings: QuerySet | None = None) -> Satisfaction:
    """The figures of a set of ratings (all of them by default): one query."""
    ratings = Rating.objects.all() if ratings is None else ratings
    return Satisfaction.from_row(ratings.order_by().aggregate(**_aggregates()))


def _grouped(
    ratings: QuerySet, *keys: str, min_ratings: int = 0
) -> list[tuple[dict, Satisfaction]]:
    """The figures per distinct value of ``keys`` (one query); groups with fewer than
    ``min_ratings`` ratings are left out in SQL (HAVING)."""
    rows = ratings.order_by().values(*keys).annotate(**_aggregates())
    if min_ratings:
        rows = rows.filter(ratings__gte=min_ratings)
    return [({key: row[key] for key in keys}, Satisfaction.from_row(row)) for row in rows]


def scoped_ratings(
    *, district: str | None = None, year: int | None = None, community: int | None = None
) -> QuerySet:
    """Ratings of one district (code), batch year and/or community (id)."""
    ratings = Rating.objects.all()
    if district:
        ratings = ratings.filter(community__district__code=district)
    if year:
        ratings = ratings.filter(community__renovation_year=year)
    if community:
        ratings = ratings.filter(community_id=community)
    return ratings


# --- Breakdowns -------------------------------------------------------------------------------


def by_district(ratings: QuerySet) -> list[dict]:
    rows = _grouped(ratings, "community__district__code", "community__district__name")
    return [
        {
            "district": key["community__district__code"],
            "district_name": key["community__district__name"],
            "figures": figures,
        }
        for key, figures in sorted(rows, key=lambda row: row[0]["community__district__code"])
    ]


def by_year(ratings: QuerySet) -> list[dict]:
    """Per renovation batch year of the communities rated."""
    rows = _grouped(
        ratings.filter(community__renovation_year__isnull=False), "community__renovation_year"
    )
    return [
        {"year": key["community__renovation_year"], "figures": figures}
        for key, figures in sorted(rows, key=lambda row: row[0]["community__renovation_year"])
    ]


def by_item(ratings: QuerySet) -> list[dict]:
    """Per rated item (ratings of whole communities left out), in the items' order."""
    rows = _grouped(
        ratings.filter(item__isnull=False),
        "item_id",
        "item__title",
        "item__contractor",
        "item__kind__category",
    )
    return [
        {
            "item": key["item_id"],
            "title": key["item__title"],
            "contractor": key["item__contractor"],
            "category": key["item__kind__category"],
            "figures": figures,
        }
        for key, figures in sorted(rows, key=lambda row: row[0]["item_id"])
    ]


@dataclass(frozen=True)
class Ranked:
    """One row of a ranking: its place (equal figures share a place), what it is, and its
    figures."""

    rank: int
    key: dict
    figures: Satisfaction


def _rank(rows: list[tuple[dict, Satisfaction]], name_key: str) -> list[Ranked]:
    """Best average first, then the larger share satisfied; equal on both, equal rank
    (1, 2, 2, 4), listed by number of ratings and then name."""

    def merit(row):
        return (row[1].exact_average, row[1].exact_share)

    ordered = sorted(
        rows,
        key=lambda row: (-merit(row)[0], -merit(row)[1], -row[1].ratings, str(row[0][name_key])),
    )
    ranked: list[Ranked] = []
    for position, (key, figures) in enumerate(ordered, start=1):
        if ranked and merit((ranked[-1].key, ranked[-1].figures)) == merit((key, figures)):
            rank = ranked[-1].rank
        else:
            rank = position
        ranked.append(Ranked(rank=rank, key=key, figures=figures))
    return ranked


def community_ranking(ratings: QuerySet, *, min_ratings: int) -> list[Ranked]:
    """Communities by satisfaction, those with at least ``min_ratings`` ratings (one query).
    Keys: ``community`` (id), ``name``, ``district``, ``district_name``, ``year``."""
    rows = _grouped(
        ratings,
        "community_id",
        "community__name",
        "community__district__code",
        "community__district__name",
        "community__renovation_year",
        min_ratings=min_ratings,
    )
    renamed = [
        (
            {
                "community": key["community_id"],
                "name": key["community__name"],
                "district": key["community__district__code"],
                "district_name": key["community__district__name"],
                "year": key["community__renovation_year"],
            },
            figures,
        )
        for key, figures in rows
    ]
    return _rank(renamed, "name")


def contractor_ranking(ratings: QuerySet, *, min_ratings: int) -> list[Ranked]:
    """Contractors by the satisfaction with the items they built, those with at least
    ``min_ratings`` ratings (one query). Keys: ``contractor``, ``items`` (rated items)."""
    rows = (
        ratings.filter(item__isnull=False)
        .exclude(item__contractor="")
        .order_by()
        .values("item__contractor")
        .annotate(items=Count("item_id", distinct=True), **_aggregates())
        .filter(ratings__gte=max(1, min_ratings))
    )
    renamed = [
        ({"contractor": row["item__contractor"], "items": row["items"]}, Satisfaction.from_row(row))
        for row in rows
    ]
    return _rank(renamed, "contractor")


def city_satisfaction(
    *,
    district: str | None = None,
    year: int | None = None,
    community: int | None = None,
    min_ratings: int | None = None,
) -> dict:
    """Everything the satisfaction page and ``/api/v1/stats/satisfaction/`` show (6 queries;
    7 with ``community``, which adds its items' figures).

    ``overall`` and the breakdowns by district and year count every rating in scope; the two
    rankings only subjects with at least ``min_ratings`` ratings (default the setting).
    """
    min_ratings = min_ratings_setting() if min_ratings is None else min_ratings
    ratings = scoped_ratings(district=district, year=year, community=community)
    return {
        "district": district,
        "year": year,
        "community": community,
        "min_ratings": min_ratings,
        "overall": satisfaction(ratings),
        "by_district": by_district(ratings),
        "by_year": by_year(ratings),
        "communities": community_ranking(ratings, min_ratings=min_ratings),
        "contractors": contractor_ranking(ratings, min_ratings=min_ratings),
        "unranked_communities": _count_unranked(ratings, min_ratings),
        "by_item": by_item(ratings) if community else None,
    }


def _count_unranked(ratings: QuerySet, min_ratings: int) -> int:
    """Communities rated, but too few times to be ranked (one query)."""
    if min_ratings <= 1:
        return 0
    return (
        ratings.order_by()
        .values("community_id")
        .annotate(n=Count("id"))
        .filter(n__lt=min_ratings)
        .count()
    )


# --- A community's page: you asked, we did; the plan; the ratings -----------------------------


@dataclass
class ProposalCounts:
    received: int = 0
    adopted: int = 0
    declined: int = 0
    pending: int = 0
    # Adopted proposals whose item is completed or accepted: "we did".
    done: int = 0


@dataclass
class CommunityParticipation:
    """What the community page shows of residents' participation."""

    proposals: list[Proposal]
    counts: ProposalCounts
    plans: list[DesignPlan]
    current_plan: DesignPlan | None
    satisfaction: Satisfaction
    whole_community: Satisfaction
    items: list[dict]
    comments: list[Rating]
    on: date
    min_ratings: int = 0
    ranked: bool = field(default=False)


def you_asked_we_did(community: Community) -> list[Proposal]:
    """The community's proposals, newest first, each with the item it became or joined (its
    status and progress: what became of it). One query."""
    return list(
        Proposal.objects.filter(community=community)
        .select_related("kind", "item")
        .order_by("-submitted_on", "-id")
    )


def proposal_counts(proposals: list[Proposal]) -> ProposalCounts:
    counts = ProposalCounts(received=len(proposals))
    for proposal in proposals:
        if proposal.status == ProposalStatus.ADOPTED:
            counts.adopted += 1
            if proposal.item.status in ItemStatus.finished():
                counts.done += 1
        elif proposal.status == ProposalStatus.DECLINED:
            counts.declined += 1
        else:
            counts.pending += 1
    return counts


def public_plans(community: Community) -> list[DesignPlan]:
    """The plans the public may see (no drafts), newest batch and version first, with their
    documents. Two queries."""
    return list(
        DesignPlan.objects.public()
        .filter(community=community)
        .prefetch_related(Prefetch("documents", queryset=DesignDocument.objects.order_by("id")))
        .order_by("-batch_year", "-version")
    )


def current_plan(plans: list[DesignPlan], community: Community) -> DesignPlan | None:
    """The plan that matters now: the approved one of the community's batch, else the latest
    in notice, else the latest approved of any batch."""
    batch = [plan for plan in plans if plan.batch_year == community.renovation_year]
    for candidates in (batch, plans):
        for status in (DesignPlanStatus.APPROVED, DesignPlanStatus.NOTICE):
            for plan in candidates:
                if plan.status == status:
                    return plan
    return None


def community_participation(
    community: Community, *, on: date | None = None
) -> CommunityParticipation:
    """Proposals and their fate, the public plans and the ratings of one community
    (5 queries: proposals, plans, their documents, ratings per subject, latest comments)."""
    on = on or timezone.localdate()
    proposals = you_asked_we_did(community)
    plans = public_plans(community)
    rows = _grouped(Rating.objects.filter(community=community), "item_id", "item__title")
    total = sum((figures for _key, figures in rows), Satisfaction())
    whole = next((figures for key, figures in rows if key["item_id"] is None), Satisfaction())
    items = sorted(
        (
            {"item": key["item_id"], "title": key["item__title"], "figures": figures}
            for key, figures in rows
            if key["item_id"] is not None
        ),
        key=lambda row: (-row["figures"].ratings, row["item"]),
    )
    comments = list(
        Rating.objects.filter(community=community, comment_hidden=False)
        .exclude(comment="")
        .select_related("item")
        .order_by("-rated_on", "-id")[:LATEST_COMMENTS]
    )
    minimum = min_ratings_setting()
    return CommunityParticipation(
        proposals=proposals,
        counts=proposal_counts(proposals),
        plans=plans,
        current_plan=current_plan(plans, community),
        satisfaction=total,
        whole_community=whole,
        items=items,
        comments=comments,
        on=on,
        min_ratings=minimum,
        ranked=total.ratings >= minimum,
    )
