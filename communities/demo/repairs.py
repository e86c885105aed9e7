"""Demo repair requests (报修): a year of them up to the day the demo is loaded, in every state.

Each request is walked through its lifecycle in memory by the same rules the services apply —
the transition table (``move_allowed``/``move_target``), the deadline of its category, the
dispatch route on the day it was submitted (``dispatch_target``) — with a timeline entry per
step, then bulk-created like the rest of the demo (without history records): the services'
row checks cost ~25 queries a step, far too slow for a year of requests. ``tests`` check that
every demo request passes ``full_clean()`` and that its timeline chains from status to status.
Deterministic: the same database and the same random generator give the same requests.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from communities.places.choices import RenovationStatus
from communities.places.models import Community
from communities.repairs.choices import (
    ClosedBy,
    RepairAction,
    RepairCategory,
    RepairSource,
    RepairStatus,
)
from communities.repairs.models import (
    GridAssignment,
    RepairEvent,
    RepairRequest,
    RepairSupport,
    supporter_key,
)
from communities.repairs.policy import deadline_for, move_allowed, move_target
from communities.repairs.selectors import dispatch_target

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A fixed moment, the default of ``generate_repair_requests`` (its own tests); the demo loader
# passes ``reference_moment(city.today)``.
REFERENCE = datetime(2025, 12, 31, 18, tzinfo=SHANGHAI)


def reference_moment(today: date) -> datetime:
    """The first moment of ``today`` in Tai'an: the demo's requests run over the year before it,
    the latest a few hours old, so none is dated after the day the demo is loaded as of."""
    return datetime.combine(today, time.min, SHANGHAI)


YEAR = timedelta(days=365)
# Requests whose steps are all done by the reference moment, and those still under way.
SETTLED_BEFORE = timedelta(days=21)
# The demo's requests close by time after a week unrated, whatever the city's setting says.
AUTO_CLOSE_AFTER = timedelta(days=7)
AUTO_CLOSED = "auto_closed"  # a target state of the draw: closed without a rating
BATCH_SIZE = 500

CATEGORY_WEIGHTS = {
    RepairCategory.PLUMBING: 26,
    RepairCategory.ELECTRICAL: 16,
    RepairCategory.ELEVATOR: 7,
    RepairCategory.ROOF_LEAK: 12,
    RepairCategory.SANITATION: 12,
    RepairCategory.GREENING: 6,
    RepairCategory.SECURITY: 8,
    RepairCategory.PUBLIC_FACILITY: 9,
    RepairCategory.OTHER: 4,
}
SOURCE_WEIGHTS = {
    RepairSource.WECHAT: 45,
    RepairSource.HOTLINE_12345: 30,
    RepairSource.GRID_PATROL: 12,
    RepairSource.WALK_IN: 8,
    RepairSource.STAFF: 5,
}
# Typical hours of work by category (resolution comes this long after the work starts).
WORK_HOURS = {
    RepairCategory.PLUMBING: (1, 30),
    RepairCategory.ELECTRICAL: (1, 24),
    RepairCategory.ELEVATOR: (2, 20),
    RepairCategory.ROOF_LEAK: (6, 96),
    RepairCategory.SANITATION: (1, 20),
    RepairCategory.GREENING: (4, 120),
    RepairCategory.SECURITY: (2, 48),
    RepairCategory.PUBLIC_FACILITY: (4, 90),
    RepairCategory.OTHER: (2, 60),
}
DESCRIPTIONS = {
    RepairCategory.PLUMBING: [
        "楼道水管漏水",
        "下水道堵塞，污水外溢",
        "单元供水管爆裂",
        "水表井盖破损",
    ],
    RepairCategory.ELECTRICAL: ["楼道声控灯不亮", "单元门口路灯损坏", "配电箱门脱落", "电线裸露"],
    RepairCategory.ELEVATOR: ["电梯停运", "电梯门关不严", "电梯运行异响", "电梯按钮失灵"],
    RepairCategory.ROOF_LEAK: ["顶楼屋面漏雨", "外墙渗水", "楼顶防水层破损", "雨水管断裂"],
    RepairCategory.SANITATION: ["垃圾桶满溢未清运", "楼道杂物堆积", "化粪池返味", "绿化带垃圾多"],
    RepairCategory.GREENING: ["树枝遮挡窗户", "草坪枯死需补种", "枯树有倒伏危险", "绿篱需修剪"],
    RepairCategory.SECURITY: ["单元门禁损坏", "监控摄像头不工作", "消防通道被占", "灭火器过期"],
    RepairCategory.PUBLIC_FACILITY: ["健身器材损坏", "路面塌陷", "充电桩故障", "休闲座椅断裂"],
    RepairCategory.OTHER: ["井盖松动", "宣传栏玻璃破碎", "快递柜屏幕黑屏", "小区大门道闸故障"],
}
RESOLUTIONS = ["已更换损坏部件，恢复正常", "已维修完毕并回访", "已清理并消毒", "已加固处理"]
REJECTIONS = ["属户内设施，由业主自行维修", "重复报修，已合并处理", "不属于物业服务范围"]
REOPEN_REASONS = ["问题仍未解决", "维修后再次出现", "处理不彻底"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ["秀英", "桂英", "建国", "玉兰", "志强", "海燕", "立新", "淑珍", "国华", "红梅"]
OPERATOR = "kefu-12345"
PROPERTY_STAFF = "wuye-demo"
INSPECTORS = ("wangge-01", "wangge-02", "wangge-03")


class _Draft:
    """A request and its timeline, built step by step before anything is saved."""

    def __init__(self, request: RepairRequest):
        self.request = request
        self.events: list[RepairEvent] = []

    def record(self, action: str, at: datetime, actor, note: str = "") -> None:
        request = self.request
        if action == RepairAction.SUBMIT:
            from_status = ""
        else:
            if not move_allowed(request.status, action):
                raise ValueError(f"demo: {action} is not allowed from {request.status}")
            from_status = request.status
            request.status = move_target(action)
        request.updated_at = at
        self.events.append(
            RepairEvent(
                action=action,
                from_status=from_status,
                to_status=request.status,
                at=at,
                actor=actor,
                actor_label=actor.get_username() if actor is not None else gettext("automatic"),
                note=note,
            )
        )


def _user(username: str):
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"is_staff": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _hours(rng: random.Random, low: float, high: float) -> timedelta:
    """A duration skewed towards ``low``: most jobs are quick, a few drag on."""
    return timedelta(hours=low + (high - low) * rng.random() ** 2.2)


def _inspectors(communities: list[Community], start: datetime) -> dict[int, object]:
    """Three grid inspectors sharing the communities, each patrolling its own from a month
    before the demo year (an assignment already there is kept)."""
    users = [_user(name) for name in INSPECTORS]
    existing = {
        (assignment.inspector_id, assignment.community_id)
        for assignment in GridAssignment.objects.filter(inspector__in=users)
    }
    patrols, new = {}, []
    for index, community in enumerate(communities):
        inspector = users[index % len(users)]
        patrols[community.pk] = inspector
        if (inspector.pk, community.pk) not in existing:
            new.append(
                GridAssignment(
                    inspector=inspector,
                    community=community,
                    grid=f"第{index % 12 + 1}网格",
                    started_on=start.date() - timedelta(days=30),
                )
            )
    GridAssignment.objects.bulk_create(new, batch_size=BATCH_SIZE)
    return patrols


def generate_repair_requests(
    rng: random.Random,
    *,
    communities: Iterable[Community] | None = None,
    reference: datetime = REFERENCE,
    count: int = 360,
) -> list[RepairRequest]:
    """About ``count`` requests over the year before ``reference``, in every state.

    ``communities`` defaults to the completed ones (they are the ones under maintenance). Does
    nothing and returns ``[]`` when any of them already has a request, so a second run of the
    demo loader changes nothing. Requests from three weeks before ``reference`` are settled
    (closed by a rating or by time, or rejected; a few reopened first, a few left open and
    overdue); the later ones are spread over every state.
    """
    if communities is None:
        communities = Community.objects.filter(renovation_status=RenovationStatus.COMPLETED)
    pool = sorted(communities, key=lambda c: (c.district_id, c.name, c.pk))
    if not pool or RepairRequest.objects.filter(community__in=pool).exists():
        return []
    start = reference - YEAR
    with transaction.atomic():
        people = {
            "operator": _user(OPERATOR),
            "handler": _user(PROPERTY_STAFF),
            "patrols": _inspectors(pool, start),
        }
        moments = sorted(start + YEAR * rng.random() for _ in range(count))
        drafts = [_one(rng, rng.choice(pool), when, reference, people) for when in moments]
        _cover_every_state(rng, pool, reference, people, drafts)
        requests = RepairRequest.objects.bulk_create(
            [draft.request for draft in drafts], batch_size=BATCH_SIZE
        )
        events = []
        for draft in drafts:
            for event in draft.events:
                event.request = draft.request
                events.append(event)
        RepairEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
        _supports(rng, requests, reference)
    return requests


def _supports(rng: random.Random, requests: list[RepairRequest], reference: datetime) -> None:
    """Residents' "me too" on some of the open public requests (the report form's), from
    made-up numbers kept only as hashes, after the request was filed and before the reference
    moment. Drawn after everything else, so the requests themselves stay as they were."""
    supports = []
    for request in requests:
        if not (request.is_public and request.status in RepairStatus.open()):
            continue
        for n in range(rng.choice([0, 0, 1, 2, 3])):
            span = (reference - request.submitted_at).total_seconds()
            supports.append(
                RepairSupport(
                    request=request,
                    supporter_hash=supporter_key(f"1380000{request.pk % 1000:03d}{n}"),
                    at=request.submitted_at + timedelta(seconds=span * rng.random()),
                )
            )
    RepairSupport.objects.bulk_create(supports, batch_size=BATCH_SIZE)


def _one(rng, community, submitted, reference, people) -> _Draft:
    category = rng.choices(list(CATEGORY_WEIGHTS), weights=list(CATEGORY_WEIGHTS.values()))[0]
    source = rng.choices(list(SOURCE_WEIGHTS), weights=list(SOURCE_WEIGHTS.values()))[0]
    settled = submitted < reference - SETTLED_BEFORE
    target = _settled_state(rng) if settled else _recent_state(rng)
    return _build(rng, community, category, source, submitted, reference, target, people)


def _settled_state(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.05:
        return RepairStatus.REJECTED
    if roll < 0.08:
        return RepairStatus.IN_PROGRESS  # stuck: overdue
    if roll < 0.30:
        return AUTO_CLOSED
    return RepairStatus.CLOSED


def _recent_state(rng: random.Random) -> str:
    return rng.choice(
        [
            RepairStatus.SUBMITTED,
            RepairStatus.DISPATCHED,
            RepairStatus.IN_PROGRESS,
            RepairStatus.RESOLVED,
            RepairStatus.CLOSED,
            RepairStatus.REJECTED,
        ]
    )


def _build(rng, community, category, source, submitted, reference, target, people) -> _Draft:
    operator, handler = people["operator"], people["handler"]
    emergency = rng.random() < 0.1
    inspector = people["patrols"][community.pk] if source == RepairSource.GRID_PATROL else None
    draft = _Draft(
        RepairRequest(
            # Drawn from the seeded generator, so a reload gives every request the same token.
            token=f"{rng.getrandbits(128):032x}",
            community=community,
            category=category,
            is_emergency=emergency,
            description=rng.choice(DESCRIPTIONS[category]),
            source=source,
            grid_inspector=inspector,
            filed_by=inspector,
            reporter_name="" if inspector else rng.choice(SURNAMES) + rng.choice(GIVEN),
            reporter_phone=(
                "" if inspector else f"1{rng.choice('3589')}{rng.randint(0, 10**9 - 1):09d}"
            ),
            is_public=rng.random() < 0.6,
            status=RepairStatus.SUBMITTED,
            submitted_at=submitted,
            deadline_at=deadline_for(
                submitted_at=submitted, category=category, is_emergency=emergency
            ),
        )
    )
    request = draft.request
    draft.record(RepairAction.SUBMIT, submitted, inspector)
    if target == RepairStatus.SUBMITTED:
        return draft
    clock = submitted + _hours(rng, 0.1, 1.5 if emergency else 10)

    def step(delta: timedelta) -> datetime:
        nonlocal clock
        clock = min(clock + delta, reference)
        return clock

    if target == RepairStatus.REJECTED:
        request.reject_reason = rng.choice(REJECTIONS)
        request.closed_at = clock
        draft.record(RepairAction.REJECT, clock, operator, request.reject_reason)
        return draft
    route = dispatch_target(community=community, on=timezone.localdate(submitted))
    request.dispatched_at = clock
    request.handler_kind = route.kind
    request.property_service = route.service
    request.handler_name = route.name[:100]
    draft.record(RepairAction.DISPATCH, clock, operator, route.name)
    if target == RepairStatus.DISPATCHED:
        return draft
    low, high = WORK_HOURS[category]
    rounds = 2 if target != RepairStatus.RESOLVED and rng.random() < 0.1 else 1
    for round_ in range(rounds):
        if round_:
            request.resolved_at, request.resolution = None, ""
            request.reopen_count += 1
            draft.record(
                RepairAction.REOPEN, step(_hours(rng, 12, 60)), operator, rng.choice(REOPEN_REASONS)
            )
        request.started_at = step(_hours(rng, 0.2, 12) if not round_ else _hours(rng, 0.5, 8))
        draft.record(RepairAction.START, request.started_at, handler)
        if target == RepairStatus.IN_PROGRESS:
            return draft
        request.resolved_at = step(_hours(rng, low, high))
        request.resolution = rng.choice(RESOLUTIONS)
        draft.record(RepairAction.RESOLVE, request.resolved_at, handler, request.resolution)
    if target == RepairStatus.RESOLVED:
        return draft
    closes_by_time = request.resolved_at + AUTO_CLOSE_AFTER
    if target == AUTO_CLOSED and closes_by_time <= reference:
        request.closed_at = min(closes_by_time + timedelta(hours=rng.randint(1, 30)), reference)
        request.closed_by = ClosedBy.TIMEOUT
        draft.record(
            RepairAction.AUTO_CLOSE,
            request.closed_at,
            None,
            gettext("Not rated within %(days)s days") % {"days": AUTO_CLOSE_AFTER.days},
        )
        return draft
    late = request.resolved_at > request.deadline_at
    weights = [15, 20, 30, 20, 15] if late else [3, 4, 10, 25, 58]
    request.rating = rng.choices([1, 2, 3, 4, 5], weights=weights)[0]
    request.rating_comment = rng.choice(["", "", "满意", "师傅很负责", "希望更及时"])
    request.closed_by = ClosedBy.RATING
    request.closed_at = step(_hours(rng, 2, 72))
    draft.record(
        RepairAction.RATE,
        request.closed_at,
        operator,
        gettext("Rated %(rating)s/5") % {"rating": request.rating},
    )
    return draft


def _cover_every_state(rng, pool, reference, people, drafts) -> None:
    """One more recent request for each state the random draw left out."""
    present = {draft.request.status for draft in drafts}
    for offset, state in enumerate(RepairStatus.values, start=1):
        if state in present:
            continue
        submitted = reference - timedelta(days=offset, hours=rng.randint(0, 6))
        drafts.append(
            _build(
                rng,
                rng.choice(pool),
                RepairCategory.PLUMBING,
                RepairSource.WECHAT,
                submitted,
                reference,
                state,
                people,
            )
        )
