"""Builders for repair requests in every state, through the services as the application makes
them (so every fixture has its deadline, token and timeline)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from communities import services_repairs as services
from communities.models import GridAssignment, RepairRequest
from communities.models.repairs import RepairCategory, RepairSource, RepairStatus
from tests.factories import make_community

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A fixed past moment: tests date every step from here, so they never depend on the clock.
T0 = datetime(2025, 6, 2, 9, 0, tzinfo=SHANGHAI)

# Reporter details that must never appear in an anonymous response.
SECRET_NAME = "王秘密"
SECRET_PHONE = "13912345678"


def at(hours: float = 0, *, start: datetime = T0) -> datetime:
    return start + timedelta(hours=hours)


def make_request(
    *,
    state: str = RepairStatus.SUBMITTED,
    community=None,
    start: datetime = T0,
    by=None,
    hours: dict | None = None,
    rating: int = 5,
    **fields,
) -> RepairRequest:
    """A request taken through the lifecycle to ``state``.

    ``hours`` gives the hours after ``start`` of each step: ``dispatch``, ``start``,
    ``resolve``, ``close`` (rating or reject), e.g. ``{"dispatch": 2, "resolve": 30}``.
    """
    steps = {"dispatch": 1, "start": 2, "resolve": 10, "close": 20, **(hours or {})}
    fields.setdefault("category", RepairCategory.PLUMBING)
    fields.setdefault("description", "3号楼2单元楼道水管爆裂，水流到一楼")
    fields.setdefault("source", RepairSource.WECHAT)
    fields.setdefault("reporter_name", SECRET_NAME)
    fields.setdefault("reporter_phone", SECRET_PHONE)
    request = services.repair_request_submit(
        community=community or make_community(), by=by, at=start, **fields
    )
    if state == RepairStatus.SUBMITTED:
        return request
    if state == RepairStatus.REJECTED:
        return services.repair_request_reject(
            repair_request=request, reason="重复报修", by=by, at=at(steps["close"], start=start)
        )
    request = services.repair_request_dispatch(
        repair_request=request, by=by, at=at(steps["dispatch"], start=start)
    )
    if state == RepairStatus.DISPATCHED:
        return request
    request = services.repair_request_start(
        repair_request=request, by=by, at=at(steps["start"], start=start)
    )
    if state == RepairStatus.IN_PROGRESS:
        return request
    request = services.repair_request_resolve(
        repair_request=request, resolution="更换了水管", by=by, at=at(steps["resolve"], start=start)
    )
    if state == RepairStatus.RESOLVED:
        return request
    return services.repair_request_rate(
        repair_request=request,
        rating=rating,
        comment="修得很快",
        by=by,
        at=at(steps["close"], start=start),
    )


def make_inspector(django_user_model, community, *, username: str = "grid-1", started_on=None):
    user = django_user_model.objects.create_user(username, password="pw-grid-9x!", is_staff=True)
    assignment = GridAssignment(
        inspector=user,
        community=community,
        grid="第3网格",
        started_on=started_on or T0.date() - timedelta(days=30),
    )
    assignment.full_clean()
    assignment.save()
    return user
