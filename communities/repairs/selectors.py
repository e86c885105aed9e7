"""Reads for repair requests and property services: who handles a request, what each reader
may see, the measures (by community, property company, district and month), the
classified-management view and the renewal reminders.

The measures are computed in SQL on every database: counts, shares and averages as
aggregates, and the medians with window functions (the row numbers of the middle one or two
durations of each group), which SQLite and PostgreSQL both run; Python only averages the one
or two middle values each group returns.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext

from communities.core.clock import local_midnight
from communities.core.masking import public_text
from communities.places.models import Community
from communities.property.choices import ManagementMode
from communities.property.models import PropertyService
from communities.repairs.choices import HandlerKind, RepairAction, RepairCategory, RepairStatus
from communities.repairs.models import RepairEvent, RepairRequest
from communities.repairs.policy import box_around, distance_m

# --- Dispatch ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DispatchTarget:
    kind: str
    service: PropertyService | None
    name: str


def dispatch_target(*, community: Community, on: date) -> DispatchTarget:
    """Who handles a request about ``community`` submitted on ``on`` (one or two queries).

    1. The property service whose contract covers the community that day (whatever its mode:
       a company, the owners themselves, or a fallback arrangement recorded for it).
    2. Otherwise the neighbourhood's fallback service (社区兜底): a fallback-mode service that
       covers another community of the same neighbourhood committee that day, if one is
       recorded; else the neighbourhood committee itself, by name.
    """
    covering = (
        PropertyService.objects.covering(on)
        .filter(community=community)
        .order_by("-contract_start", "pk")
        .first()
    )
    if covering is not None:
        return DispatchTarget(HandlerKind.COVERING_SERVICE, covering, covering.provider_name)
    fallback = None
    if community.neighbourhood:
        fallback = (
            PropertyService.objects.covering(on)
            .filter(
                mode=ManagementMode.FALLBACK,
                community__district_id=community.district_id,
                community__subdistrict=community.subdistrict,
                community__neighbourhood=community.neighbourhood,
            )
            .order_by("-contract_start", "pk")
            .first()
        )
    if fallback is not None:
        return DispatchTarget(HandlerKind.NEIGHBOURHOOD_FALLBACK, fallback, fallback.provider_name)
    name = community.neighbourhood or community.subdistrict or gettext("Neighbourhood committee")
    return DispatchTarget(HandlerKind.NEIGHBOURHOOD_FALLBACK, None, name)


def repair_requests_visible_to(user) -> QuerySet:
    """Staff see every request; everybody else only those marked public."""
    requests = RepairRequest.objects.all()
    if user is not None and user.is_authenticated and user.is_staff:
        return requests
    return requests.public()


def repair_request_list(*, queryset: QuerySet | None = None) -> QuerySet:
    """Requests with what a list shows joined in (community, district, building)."""
    queryset = RepairRequest.objects.all() if queryset is None else queryset
    return queryset.select_related("community__district", "building")


# --- Measures ---------------------------------------------------------------------------------


def _duration(end: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(end) - F("submitted_at"), output_field=DurationField())


def _hours(value: timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 3600, 2)


def _medians(queryset: QuerySet, keys: list[str], end: str) -> dict[tuple, timedelta]:
    """The median of ``end - submitted_at`` per group of ``keys`` (one query).

    Each row gets its rank within its group (ordered by duration) and the group's size; only
    the middle row (odd size) or the two middle rows (even size) come back:
    ``rank = (size + 1) / 2`` or ``rank = (size + 2) / 2`` in integer division.
    """
    partition = [F(key) for key in keys] or None
    rows = (
        queryset.filter(**{f"{end}__isnull": False})
        .annotate(_duration=_duration(end))
        .annotate(
            _rank=Window(
                RowNumber(), partition_by=partition, order_by=[F("_duration").asc(), F("pk").asc()]
            ),
            _size=Window(Count("pk"), partition_by=partition),
        )
        .filter(Q(_rank=(F("_size") + 1) / 2) | Q(_rank=(F("_size") + 2) / 2))
        .values_list(*keys, "_duration")
        .order_by()
    )
    middles: dict[tuple, list[timedelta]] = defaultdict(list)
    for *key, duration in rows:
        middles[tuple(key)].append(duration)
    return {key: sum(values, timedelta()) / len(values) for key, values in middles.items()}


def _measure_aggregates(now: datetime) -> dict:
    open_ = Q(status__in=RepairStatus.open())
    resolved = Q(resolved_at__isnull=False)
    return {
        "requests": Count("pk"),
        "open": Count("pk", filter=open_),
        "overdue": Count("pk", filter=open_ & Q(deadline_at__lt=now)),
        "resolved": Count("pk", filter=resolved),
        "resolved_within_deadline": Count(
            "pk", filter=resolved & Q(resolved_at__lte=F("deadline_at"))
        ),
        "rated": Count("rating"),
        "average_rating": Avg("rating"),
        "reopened": Coalesce(Sum("reopen_count"), 0),
    }


def _finish(row: dict, to_dispatch: timedelta | None, to_resolve: timedelta | None) -> dict:
    resolved = row["resolved"]
    average = row["average_rating"]
    return {
        "requests": row["requests"],
        "open": row["open"],
        "overdue": row["overdue"],
        "resolved": resolved,
        "resolved_within_deadline": row["resolved_within_deadline"],
        "share_resolved_within_deadline": (
            round(row["resolved_within_deadline"] / resolved, 4) if resolved else None
        ),
        "median_hours_to_dispatch": _hours(to_dispatch),
        "median_hours_to_resolve": _hours(to_resolve),
        "rated": row["rated"],
        "average_rating": None if average is None else round(float(average), 2),
        "reopened": row["reopened"],
    }


def _grouped(queryset: QuerySet, keys: list[str], now: datetime) -> list[dict]:
    """The measures per group of ``keys`` (three queries: aggregates, two medians)."""
    rows = queryset.values(*keys).annotate(**_measure_aggregates(now)).order_by(*keys)
    to_dispatch = _medians(queryset, keys, "dispatched_at")
    to_resolve = _medians(queryset, keys, "resolved_at")
    result = []
    for row in rows:
        key = tuple(row[name] for name in keys)
        result.append(
            {
                **{name: row[name] for name in keys},
                **_finish(row, to_dispatch.get(key), to_resolve.get(key)),
            }
        )
    return result


def repair_request_scope(
    *,
    district: str | None = None,
    community: int | None = None,
    category: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet:
    """The requests the measures cover: submitted between ``since`` and ``until`` (local dates,
    both included), optionally of one district (code), community (id) or category."""
    requests = RepairRequest.objects.all()
    if district:
        requests = requests.filter(community__district__code=district)
    if community:
        requests = requests.filter(community_id=community)
    if category:
        requests = requests.filter(category=category)
    return submitted_between(requests, since=since, until=until)


def submitted_between(
    requests: QuerySet, *, since: date | None = None, until: date | None = None
) -> QuerySet:
    """Requests submitted on or after ``since`` and on or before ``until`` (local dates).

    A range of instants from local midnights, which the index on ``submitted_at`` serves
    (``submitted_at__date`` would convert every row's time first and read the whole table).
    The first and last days a date can have bound nothing (and have no midnight in UTC).
    """
    if since and since > date.min:
        requests = requests.filter(submitted_at__gte=local_midnight(since))
    if until and until < date.max:
        requests = requests.filter(submitted_at__lt=local_midnight(until + timedelta(days=1)))
    return requests


# City-wide measures read every request they cover: past this many (a province's worth) they
# take longer than a reader waits (the API's /stats/ and the admin's measures page alike), and
# the answer asks for a district or a community instead.
CITYWIDE_MEASURES_MAX = 200_000


def citywide_measures_refusal(
    *, category: str | None = None, since: date | None = None, until: date | None = None
) -> str | None:
    """Why the measures of every district are not computed, when they would cover more than
    ``CITYWIDE_MEASURES_MAX`` requests; else None (1 query, counting no further than that)."""
    scope = repair_request_scope(category=category, since=since, until=until)
    if scope.order_by()[: CITYWIDE_MEASURES_MAX + 1].count() <= CITYWIDE_MEASURES_MAX:
        return None
    return gettext("More than %(max)s repair requests match: choose a district or a community.") % {
        "max": f"{CITYWIDE_MEASURES_MAX:,}"
    }


def repair_measures(
    *,
    district: str | None = None,
    community: int | None = None,
    category: str | None = None,
    since: date | None = None,
    until: date | None = None,
    now: datetime | None = None,
) -> dict:
    """Everything the API's ``/service-requests/stats/`` and the admin's measures page show
    (17 queries, whatever the number of requests).

    - ``by_status``, ``by_category``: request counts, every code present (0 when none).
    - ``overall`` and per ``by_community``, ``by_handler`` (property company, or the
      neighbourhood fallback), ``by_district``, ``by_month`` (of submission, local time):
      requests, open, overdue (open past the deadline at ``now``), resolved, resolved within
      the deadline and its share, median hours from submission to dispatch and to resolution,
      ratings and their average, reopenings.
    """
    now = now or timezone.now()
    scope = repair_request_scope(
        district=district, community=community, category=category, since=since, until=until
    )
    by_status = dict.fromkeys(RepairStatus.values, 0)
    by_status.update(scope.values_list("status").annotate(n=Count("pk")).order_by())
    by_category = dict.fromkeys(RepairCategory.values, 0)
    by_category.update(scope.values_list("category").annotate(n=Count("pk")).order_by())

    overall_row = scope.aggregate(**_measure_aggregates(now))
    overall = _finish(
        overall_row,
        _medians(scope, [], "dispatched_at").get(()),
        _medians(scope, [], "resolved_at").get(()),
    )

    by_community = [
        {
            "community": row["community_id"],
            "community_name": row["community__name"],
            "district": row["community__district__code"],
            **_measures_of(row),
        }
        for row in _grouped(
            scope, ["community_id", "community__name", "community__district__code"], now
        )
    ]
    by_handler = [
        {
            "handler_kind": row["handler_kind"] or None,
            "handler_name": row["handler_name"] or None,
            **_measures_of(row),
        }
        for row in _grouped(scope, ["handler_kind", "handler_name"], now)
    ]
    by_district = [
        {
            "district": row["community__district__code"],
            "district_name": row["community__district__name"],
            **_measures_of(row),
        }
        for row in _grouped(scope, ["community__district__code", "community__district__name"], now)
    ]
    monthly = scope.annotate(
        month=TruncMonth("submitted_at", tzinfo=timezone.get_current_timezone())
    )
    by_month = [
        {"month": _month_label(row["month"]), **_measures_of(row)}
        for row in _grouped(monthly, ["month"], now)
    ]
    return {
        "total": sum(by_status.values()),
        "by_status": by_status,
        "by_category": by_category,
        "overall": overall,
        "by_community": by_community,
        "by_handler": by_handler,
        "by_district": by_district,
        "by_month": by_month,
    }


_MEASURES = (
    "requests",
    "open",
    "overdue",
    "resolved",
    "resolved_within_deadline",
    "share_resolved_within_deadline",
    "median_hours_to_dispatch",
    "median_hours_to_resolve",
    "rated",
    "average_rating",
    "reopened",
)


def _measures_of(row: dict) -> dict:
    return {name: row[name] for name in _MEASURES}


def _month_label(value) -> str:
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value:%Y-%m}"


# --- The public report form and the tracking link ---------------------------------------------

# The timeline entries a resident and the Open311 readers see: the lifecycle, not staff edits
# or publication switches.
PUBLIC_ACTIONS = (
    RepairAction.SUBMIT,
    RepairAction.DISPATCH,
    RepairAction.START,
    RepairAction.RESOLVE,
    RepairAction.RATE,
    RepairAction.AUTO_CLOSE,
    RepairAction.REOPEN,
    RepairAction.REJECT,
)
# Whose note may be shown: what was done, why it was rejected, why the reporter reopened it
# (a dispatch shows the handler's name instead of the dispatcher's note; a start, none).
PUBLIC_NOTE_ACTIONS = frozenset(
    {RepairAction.RESOLVE, RepairAction.REJECT, RepairAction.REOPEN, RepairAction.RATE}
)


def public_events() -> QuerySet:
    """Timeline entries of the public kinds, oldest first (prefetch them per request)."""
    return RepairEvent.objects.filter(action__in=PUBLIC_ACTIONS).order_by("at", "id")


def repair_request_by_token(token: str) -> RepairRequest | None:
    """The request a tracking link opens, with its public timeline, photos and me-too count
    (3 queries: the request with its places, the timeline, the photos)."""
    return (
        RepairRequest.objects.filter(token=token)
        .select_related("community__district", "building")
        .annotate(supporters=Count("supports"))
        .prefetch_related(
            Prefetch("timeline", queryset=public_events(), to_attr="public_events"),
            "more_photos",
        )
        .first()
    )


def nearby_open_requests(
    *, category: str, latitude: float, longitude: float, radius_m: int | None = None
) -> list[tuple[RepairRequest, int]]:
    """Open public requests of ``category`` whose point (their own, else their community's
    centre) lies within ``radius_m`` of the point, nearest first, with their distance in whole
    metres and their me-too count (one query: the box around the point in SQL, the circle in
    Python; the ``repair_status_category`` index serves the status and category)."""
    radius_m = settings.RENOVATION["REPORT_NEARBY_RADIUS_M"] if radius_m is None else radius_m
    min_lat, max_lat, min_lng, max_lng = box_around(latitude, longitude, radius_m)
    candidates = (
        RepairRequest.objects.public()
        .open()
        .filter(category=category)
        .annotate(
            point_lat=Coalesce("latitude", "community__latitude"),
            point_lng=Coalesce("longitude", "community__longitude"),
        )
        .filter(
            point_lat__gte=min_lat,
            point_lat__lte=max_lat,
            point_lng__gte=min_lng,
            point_lng__lte=max_lng,
        )
        .select_related("community__district", "building")
        .annotate(supporters=Count("supports"))
        .order_by("-submitted_at", "-id")[:50]
    )
    found = []
    for row in candidates:
        distance = distance_m(latitude, longitude, float(row.point_lat), float(row.point_lng))
        if distance <= radius_m:
            found.append((row, round(distance)))
    found.sort(key=lambda pair: pair[1])
    return found


def public_note(event: RepairEvent, repair_request: RepairRequest) -> str:
    """What a public timeline entry says: the handler's name for a dispatch, what was done,
    why it was rejected or reopened, the rating; phone numbers and the reporter's name masked
    (``core.masking.public_text``). Staff notes on other steps stay internal."""
    if event.action == RepairAction.DISPATCH:
        return repair_request.handler_name
    if event.action in PUBLIC_NOTE_ACTIONS:
        return public_text(event.note, names=(repair_request.reporter_name,))
    return ""
