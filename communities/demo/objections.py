"""Residents' objections to the demo's public notices (公示异议), generated in memory.

Lower-floor owners object to elevators (light, noise, the shaft by their window) and residents
to design plans (parking, the bins, the trees). Each objection was filed during its notice by a
resident of the unit (a room of its households) or of the community (one of its buildings).
Where the notice led to approval, every objection was answered before it (the rule the approval
checks), and published with its answer. On notices that ended but await approval some are
answered and a few still wait (those approvals would be refused today), one or two of them not
yet moderated.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time

from django.utils import timezone

from communities.demo import taian
from communities.demo.city import DemoCity, between, days
from communities.elevators.choices import ElevatorStage
from communities.elevators.models import ElevatorRetrofit, Household
from communities.elevators.objection_models import ElevatorObjection
from communities.elevators.policy import elevator_stage_reached
from communities.works.choices import DesignPlanStatus, ObjectionStatus
from communities.works.models.objections import DesignPlanObjection
from communities.works.models.plans import DesignPlan

# Share of notices that drew objections.
ELEVATOR_SHARE = 0.3
PLAN_SHARE = 0.2

ELEVATOR_TEXTS = [
    (
        "电梯井道紧贴我家北窗，挡住采光，请调整位置。",
        "经设计单位复核，井道外移0.8米，北窗日照时间满足规范要求。",
    ),
    (
        "一楼不用电梯，施工噪音和灰尘影响老人休息。",
        "施工时间限定在8:00—12:00、14:00—18:00，并设置围挡和降尘措施。",
    ),
    (
        "担心加装电梯后单元门口通道变窄，影响消防。",
        "已按消防要求保留1.4米通道，方案经消防部门审查通过。",
    ),
    ("二楼分摊比例偏高，希望重新核算。", "二楼系数按全市通行方案为0，已更正公示表中的计算错误。"),
    (
        "电梯候梯厅离我家卧室太近，夜间运行噪音大。",
        "选用低噪音曳引机，夜间22:00后限速运行，验收时检测噪音。",
    ),
]
PLAN_TEXTS = [
    (
        "新增停车位占用了楼前绿地，请保留老树。",
        "方案已调整，保留楼前3棵老槐树，停车位改设在东侧空地。",
    ),
    (
        "垃圾分类投放点离3号楼太近，夏天有异味。",
        "投放点移至小区东门内侧，距最近住户25米，并加装除臭设备。",
    ),
    (
        "外墙保温施工期间请不要封闭楼道窗户。",
        "施工单位将分段施工，每段封闭不超过7天，楼道通风不受影响。",
    ),
    (
        "电动车充电棚位置离儿童活动区太近，不安全。",
        "充电棚改设在北侧，与儿童活动区保持15米以上距离并设防火隔断。",
    ),
]


def _moment(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randint(8, 20), rng.randint(0, 59))))


def _filer(rng: random.Random) -> tuple[str, str]:
    name = rng.choice(taian.SURNAMES) + rng.choice(["秀英", "建国", "桂兰", "志强", "玉梅", "德福"])
    phone = f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"
    return name, phone


def _fill(objection, rng, *, filed: date, answer: str | None, by: date, published: bool) -> None:
    """Moderate (publish) and answer ``objection`` between ``filed`` and ``by``."""
    objection.filed_at = _moment(filed, rng)
    if published:
        objection.status = ObjectionStatus.PUBLISHED
        objection.moderated_at = _moment(min(days(filed, rng.randint(0, 2)), by), rng)
    if answer is not None:
        objection.answer = answer
        objection.answered_on = between(rng, filed, by)


def _elevator_objections(city: DemoCity, rng: random.Random) -> None:
    rooms: dict[tuple[int, int], list[Household]] = {}
    for household in city.rows.get(Household, []):
        rooms.setdefault((id(household.building), household.entrance_unit), []).append(household)
    for retrofit in city.rows.get(ElevatorRetrofit, []):
        if retrofit.notice_on is None or retrofit.stage == ElevatorStage.WITHDRAWN:
            continue
        unit = rooms.get((id(retrofit.building), retrofit.entrance_unit))
        if not unit or rng.random() >= ELEVATOR_SHARE:
            continue
        last = city.cap(days(retrofit.notice_on, retrofit.notice_days - 1))
        approved = elevator_stage_reached(retrofit.stage, ElevatorStage.APPROVAL)
        by = days(retrofit.approved_on, -1) if approved else city.today
        lower = [household for household in unit if household.floor <= 3] or unit
        for text, answer in rng.sample(ELEVATOR_TEXTS, rng.randint(1, 2)):
            household = rng.choice(lower)
            name, phone = _filer(rng)
            filed = between(rng, retrofit.notice_on, last)
            waits = not approved and rng.random() < 0.4
            objection = ElevatorObjection(
                retrofit=retrofit,
                household=household,
                name=name,
                room=household.room_number,
                phone=phone,
                text=text,
            )
            _fill(
                objection,
                rng,
                filed=filed,
                answer=None if waits else answer,
                by=max(by, filed),
                published=not (waits and rng.random() < 0.5),
            )
            city.add(objection)


def _plan_objections(city: DemoCity, rng: random.Random) -> None:
    buildings: dict[int, list] = {}
    for site in city.sites:
        buildings[id(site.community)] = site.buildings
    for plan in city.rows.get(DesignPlan, []):
        if plan.notice_start is None or plan.status == DesignPlanStatus.DRAFT:
            continue
        choices = buildings.get(id(plan.community))
        if not choices or rng.random() >= PLAN_SHARE:
            continue
        last = city.cap(plan.notice_end)
        by = days(plan.approved_on, -1) if plan.approved_on else city.today
        text, answer = rng.choice(PLAN_TEXTS)
        name, phone = _filer(rng)
        filed = between(rng, plan.notice_start, last)
        waits = plan.approved_on is None and rng.random() < 0.4
        building = rng.choice(choices)
        objection = DesignPlanObjection(
            plan=plan,
            building=building,
            name=name,
            room=f"{rng.randint(1, 6)}0{rng.randint(1, 2)}",
            phone=phone,
            text=text,
        )
        _fill(
            objection,
            rng,
            filed=filed,
            answer=None if waits else answer,
            by=max(by, filed),
            published=True,
        )
        city.add(objection)


def objections(city: DemoCity, rng: random.Random) -> None:
    """Objections to the retrofits' and the plans' notices (runs after both are generated)."""
    _elevator_objections(city, rng)
    _plan_objections(city, rng)
