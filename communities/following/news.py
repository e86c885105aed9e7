"""A community's or a district's news, read from the records: what its Atom feed and its email
alerts carry.

News is public only: items started, halfway and finished, accepted; design plans put up for
public notice and approved; elevators in public notice, accepted and in service; communities
whose renovation began or was completed; public repair requests resolved. Nothing a resident
gave (names, phones, rooms, descriptions of a repair) is read.

Each piece has the day it happened (``on``, the date the record carries) and the moment it
was recorded (``recorded``): the first historical version (simple_history) in which the record
was in that state, or, for a record without history (bulk loads), the start of its day.
Alerts send what was recorded after a subscriber's last alert, so a back-dated entry made today
still reaches them once.

``news_for`` runs a fixed number of queries whatever the target's size: five reads of the
records, each the ``limit`` most recently changed, and four of their history (see
tests/following/test_news.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Min, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.core.clock import local_midnight, today
from communities.elevators.choices import ElevatorStage
from communities.elevators.models import ElevatorRetrofit
from communities.places.models import Community, District
from communities.repairs.choices import RepairStatus
from communities.repairs.models import RepairRequest
from communities.works.choices import DesignPlanStatus, ItemStatus
from communities.works.models import DesignPlan, RenovationItem

NEWS_LIMIT = 30
HALFWAY = 50


@dataclass(frozen=True)
class News:
    key: str
    title: str
    summary: str
    on: date
    recorded: datetime
    community_id: int
    community_name: str
    anchor: str = ""

    @property
    def link(self) -> str:
        return reverse("site:community", args=[self.community_id]) + self.anchor


def _target(queryset: QuerySet, path: str, community: Community | None, district: District | None):
    if community is not None:
        return queryset.filter(**{path: community.pk})
    return queryset.filter(**{f"{path}__district": district.pk})


def _first_recorded(model, ids: list[int], states: dict[str, Q]) -> dict[int, dict[str, datetime]]:
    """For each id, the moment of its first historical version in each state: one query."""
    if not ids:
        return {}
    rows = (
        model.history.model.objects.filter(id__in=ids)
        .order_by()
        .values("id")
        .annotate(
            **{name: Min("history_date", filter=condition) for name, condition in states.items()}
        )
    )
    return {row.pop("id"): row for row in rows}


def _recorded(first: dict, pk: int, state: str, on: date) -> datetime:
    """When the news became news: recorded in that state, and its day come (a start entered
    ahead of its day is news on that day, for the feed and for the next alert)."""
    midnight = local_midnight(on)
    return max((first.get(pk) or {}).get(state) or midnight, midnight)


def news_for(
    *,
    community: Community | None = None,
    district: District | None = None,
    since: datetime | None = None,
    limit: int = NEWS_LIMIT,
) -> list[News]:
    """The target's news, newest first, at most ``limit`` (recorded after ``since`` if given).
    Nine queries."""
    if (community is None) == (district is None):
        raise ValueError("news_for needs a community or a district")
    day = today()
    news: list[News] = []
    news += _community_news(community, district, limit, day)
    news += _item_news(community, district, limit, day)
    news += _plan_news(community, district, limit, day)
    news += _elevator_news(community, district, limit, day)
    news += _repair_news(community, district, limit)
    if since is not None:
        news = [piece for piece in news if piece.recorded > since]
    news.sort(key=lambda piece: (piece.on, piece.recorded, piece.key), reverse=True)
    return news[:limit]


def _community_news(community, district, limit, day) -> list[News]:
    queryset = Community.objects.filter(Q(started_on__isnull=False) | Q(completed_on__isnull=False))
    queryset = (
        queryset.filter(pk=community.pk)
        if community is not None
        else queryset.filter(district=district)
    )
    rows = list(
        queryset.only("id", "name", "started_on", "completed_on").order_by(
            Coalesce("completed_on", "started_on").desc(), "-id"
        )[:limit]
    )
    first = _first_recorded(
        Community,
        [row.pk for row in rows],
        {
            "started": Q(started_on__isnull=False),
            "completed": Q(completed_on__isnull=False),
        },
    )
    news = []
    for row in rows:
        if row.started_on and row.started_on <= day:
            news.append(
                News(
                    f"community-{row.pk}-started",
                    _("Renovation began: %s") % row.name,
                    _("The renovation of %(name)s began on %(on)s.")
                    % {"name": row.name, "on": row.started_on.isoformat()},
                    row.started_on,
                    _recorded(first, row.pk, "started", row.started_on),
                    row.pk,
                    row.name,
                )
            )
        if row.completed_on and row.completed_on <= day:
            news.append(
                News(
                    f"community-{row.pk}-completed",
                    _("Renovation completed: %s") % row.name,
                    _("The renovation of %(name)s was completed on %(on)s.")
                    % {"name": row.name, "on": row.completed_on.isoformat()},
                    row.completed_on,
                    _recorded(first, row.pk, "completed", row.completed_on),
                    row.pk,
                    row.name,
                )
            )
    return news


def _item_news(community, district, limit, day) -> list[News]:
    rows = list(
        _target(
            RenovationItem.objects.filter(status__in=ItemStatus.started()),
            "community",
            community,
            district,
        )
        .select_related("community")
        .only(
            "id",
            "title",
            "status",
            "progress",
            "actual_start",
            "actual_end",
            "updated_at",
            "community__id",
            "community__name",
        )
        .order_by("-updated_at", "-id")[:limit]
    )
    first = _first_recorded(
        RenovationItem,
        [row.pk for row in rows],
        {
            "started": Q(status__in=ItemStatus.started()),
            "halfway": Q(status__in=ItemStatus.started(), progress__gte=HALFWAY),
            "finished": Q(status__in=ItemStatus.finished()),
            "accepted": Q(status=ItemStatus.ACCEPTED),
        },
    )
    news = []
    for row in rows:
        where = {"title": row.title, "community": row.community.name}

        def add(state: str, title: str, summary: str, on: date, _row=row) -> None:
            if on and on <= day:
                news.append(
                    News(
                        f"item-{_row.pk}-{state}",
                        title,
                        summary,
                        on,
                        _recorded(first, _row.pk, state, on),
                        _row.community.pk,
                        _row.community.name,
                        "#items",
                    )
                )

        if row.actual_start:
            add(
                "started",
                _("Work began: %s") % row.title,
                _("Work began on %(title)s in %(community)s on %(on)s.")
                % {**where, "on": row.actual_start.isoformat()},
                row.actual_start,
            )
        halfway = (first.get(row.pk) or {}).get("halfway")
        if row.progress >= HALFWAY and row.status not in ItemStatus.finished():
            on = timezone.localdate(halfway or row.updated_at)
            add(
                "halfway",
                _("Halfway: %s") % row.title,
                _("%(title)s in %(community)s is %(progress)s%% done.")
                % {**where, "progress": row.progress},
                on,
            )
        if row.status in ItemStatus.finished() and row.actual_end:
            add(
                "finished",
                _("Work finished: %s") % row.title,
                _("Work on %(title)s in %(community)s was finished on %(on)s.")
                % {**where, "on": row.actual_end.isoformat()},
                row.actual_end,
            )
        if row.status == ItemStatus.ACCEPTED:
            accepted = (first.get(row.pk) or {}).get("accepted")
            add(
                "accepted",
                _("Accepted: %s") % row.title,
                _("The work on %(title)s in %(community)s passed its acceptance.") % where,
                timezone.localdate(accepted) if accepted else row.actual_end,
            )
    return news


def _plan_news(community, district, limit, day) -> list[News]:
    rows = list(
        _target(DesignPlan.objects.public(), "community", community, district)
        .select_related("community")
        .only(
            "id",
            "title",
            "version",
            "status",
            "notice_start",
            "notice_end",
            "approved_on",
            "community__id",
            "community__name",
        )
        .order_by("-updated_at", "-id")[:limit]
    )
    first = _first_recorded(
        DesignPlan,
        [row.pk for row in rows],
        {
            "notice": Q(status__in=DesignPlanStatus.public()),
            "approved": Q(approved_on__isnull=False),
        },
    )
    news = []
    for row in rows:
        anchor = f"#plan-{row.pk}"
        if row.notice_start and row.notice_start <= day:
            news.append(
                News(
                    f"plan-{row.pk}-notice",
                    _("Design plan in public notice: %s") % row.title,
                    _(
                        "The design plan %(title)s for %(community)s is in public notice from "
                        "%(start)s to %(end)s: residents may comment."
                    )
                    % {
                        "title": row.title,
                        "community": row.community.name,
                        "start": row.notice_start.isoformat(),
                        "end": row.notice_end.isoformat(),
                    },
                    row.notice_start,
                    _recorded(first, row.pk, "notice", row.notice_start),
                    row.community.pk,
                    row.community.name,
                    anchor,
                )
            )
        if row.approved_on and row.approved_on <= day:
            news.append(
                News(
                    f"plan-{row.pk}-approved",
                    _("Design plan approved: %s") % row.title,
                    _("The design plan %(title)s for %(community)s was approved on %(on)s.")
                    % {
                        "title": row.title,
                        "community": row.community.name,
                        "on": row.approved_on.isoformat(),
                    },
                    row.approved_on,
                    _recorded(first, row.pk, "approved", row.approved_on),
                    row.community.pk,
                    row.community.name,
                    anchor,
                )
            )
    return news


ELEVATOR_NEWS = {
    "notice": ("notice_on", ElevatorStage.PUBLIC_NOTICE),
    "accepted": ("accepted_on", ElevatorStage.ACCEPTANCE),
    "in_service": ("in_service_on", ElevatorStage.IN_SERVICE),
}


def _elevator_news(community, district, limit, day) -> list[News]:
    rows = list(
        _target(
            ElevatorRetrofit.objects.filter(notice_on__isnull=False),
            "building__community",
            community,
            district,
        )
        .select_related("building__community")
        .only(
            "id",
            "entrance_unit",
            "notice_on",
            "accepted_on",
            "in_service_on",
            "building__label",
            "building__community__id",
            "building__community__name",
        )
        .order_by("-updated_at", "-id")[:limit]
    )
    first = _first_recorded(
        ElevatorRetrofit,
        [row.pk for row in rows],
        {
            state: Q(**{f"{field}__isnull": False})
            for state, (field, _stage) in ELEVATOR_NEWS.items()
        },
    )
    titles = {
        "notice": _("Elevator in public notice: %(place)s, %(community)s"),
        "accepted": _("Elevator accepted: %(place)s, %(community)s"),
        "in_service": _("Elevator in service: %(place)s, %(community)s"),
    }
    summaries = {
        "notice": _(
            "The elevator retrofit of %(place)s in %(community)s went into public notice on %(on)s."
        ),
        "accepted": _(
            "The elevator of %(place)s in %(community)s passed its acceptance on %(on)s."
        ),
        "in_service": _("The elevator of %(place)s in %(community)s went into service on %(on)s."),
    }
    news = []
    for row in rows:
        community_row = row.building.community
        place = _("%(building)s, unit %(unit)s") % {
            "building": row.building.label,
            "unit": row.entrance_unit,
        }
        for state, (field, _stage) in ELEVATOR_NEWS.items():
            on = getattr(row, field)
            if not on or on > day:
                continue
            values = {"place": place, "community": community_row.name, "on": on.isoformat()}
            news.append(
                News(
                    f"elevator-{row.pk}-{state}",
                    titles[state] % values,
                    summaries[state] % values,
                    on,
                    _recorded(first, row.pk, state, on),
                    community_row.pk,
                    community_row.name,
                    "#elevators",
                )
            )
    return news


def _repair_news(community, district, limit) -> list[News]:
    rows = list(
        _target(
            RepairRequest.objects.public().filter(
                status__in=[RepairStatus.RESOLVED, RepairStatus.CLOSED],
                resolved_at__isnull=False,
            ),
            "community",
            community,
            district,
        )
        .select_related("community")
        # Never the reporter's name, phone, address or description: the category only.
        .only("id", "category", "resolved_at", "community__id", "community__name")
        .order_by("-resolved_at", "-id")[:limit]
    )
    news = []
    for row in rows:
        values = {"category": row.get_category_display(), "community": row.community.name}
        news.append(
            News(
                f"repair-{row.pk}-resolved",
                _("Repair done: %(category)s, %(community)s") % values,
                _("A reported %(category)s problem in %(community)s was resolved.") % values,
                timezone.localdate(row.resolved_at),
                row.resolved_at,
                row.community.pk,
                row.community.name,
            )
        )
    return news
