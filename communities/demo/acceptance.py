"""Completion acceptance (竣工验收) and settlement (结算审计) in the demo.

Every accepted item gets its acceptance record (the rule: an item is accepted only through
one), recorded the day it was held: the district's renovation office as builder, the item's
contractor and supervisor and its community's plan designer as parties, and two or three
residents' representatives (owners from the households the elevator step recorded, or
plausible names with a building, unit and room). Some are accepted with conditions (one
condition still open), and one item was refused once and accepted at a second acceptance.
Most completed and accepted items have a settlement audit under their budget; two overspent,
with the reason.

Every date follows the item's ``actual_end`` and stops at ``city.today``. Nothing here
changes an item, so the headline figures are untouched.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from communities.construction.acceptance import (
    Acceptance,
    AcceptanceCondition,
    AcceptanceParty,
    AcceptanceResident,
    Settlement,
)
from communities.construction.choices import AcceptanceConclusion, PartyRole
from communities.construction.models import Party
from communities.construction.policy import credit_code_check_character
from communities.demo.city import DemoCity, Site
from communities.demo.participation import DESIGNERS
from communities.elevators.models import Household
from communities.works.choices import ItemStatus
from communities.works.models.items import RenovationItem
from communities.works.models.plans import DesignPlan

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ["秀英", "建国", "玉兰", "志强", "淑珍", "国华", "红梅", "立新", "德明", "桂芳"]
AUDITORS = (
    "山东泰信工程造价咨询有限公司",
    "泰安正信工程项目管理有限公司",
    "泰安市审计局投资审计中心",
)
CONDITIONS = (
    "补种绿化带苗木，成活率达到95%",
    "完成楼道线缆整理并张贴标识",
    "补齐雨污分流管道闭水试验资料",
    "修复施工中损坏的路缘石",
    "清理施工剩余材料并恢复场地",
)
OVERSPENT = (
    "设计变更：增加雨水管线120米，经区改造办会议纪要确认。",
    "主材价格上涨，按合同调差条款据实结算，经审计核定。",
)
# Of the accepted items, about this share were accepted with conditions.
WITH_CONDITIONS_SHARE = 0.12
# Of the completed and accepted items, about this share have had their settlement audit.
SETTLED_SHARE = 0.8


def designer_code(index: int) -> str:
    """A Tai'an design firm's code (its own range: MA3D…, the contractors' are MA3C…)."""
    first17 = f"91370900MA3D{index:05d}"
    return first17 + credit_code_check_character(first17)


def demo_designer_codes() -> list[str]:
    return [designer_code(index) for index in range(1, len(DESIGNERS) + 1)]


def delete_demo_designers() -> None:
    """After the demo communities are gone, the demo's design firms (nothing refers to them)."""
    Party.objects.filter(
        credit_code__in=demo_designer_codes(),
        item_links__isnull=True,
        orders__isnull=True,
        acceptances__isnull=True,
    ).delete()


def _designers(city: DemoCity) -> dict[str, Party]:
    return {
        name: city.add(
            Party(
                name=name,
                credit_code=designer_code(index),
                is_designer=True,
                contact_person="项目负责人",
                contact_phone=f"0538-83{index:05d}",
                address="山东省泰安市泰山区",
            )
        )
        for index, name in enumerate(DESIGNERS, start=1)
    }


def _on(rng: random.Random, start: date, low: int, high: int, last: date) -> date:
    """A day ``low`` to ``high`` days after ``start``, no later than ``last`` (nor before
    ``start``)."""
    return max(start, min(last, start + timedelta(days=rng.randint(low, high))))


class _Residents:
    """Residents' representatives of a community: owners of recorded households where there
    are any, otherwise plausible names in its buildings."""

    def __init__(self, city: DemoCity):
        self.households: dict[int, list[Household]] = {}
        for household in city.rows.get(Household, []):
            key = id(household.building.community)
            self.households.setdefault(key, []).append(household)

    def pick(self, site: Site, rng: random.Random) -> list[dict]:
        count = rng.randint(2, 3)
        known = self.households.get(id(site.community), [])
        if len(known) >= count:
            return [
                {
                    "name": household.owner_name,
                    "building": household.building,
                    "entrance_unit": household.entrance_unit,
                    "room_number": household.room_number,
                }
                for household in rng.sample(known, count)
            ]
        rows = []
        for _ in range(count):
            building = rng.choice(site.buildings) if site.buildings else None
            floor = rng.randint(1, building.storeys if building else 6)
            rows.append(
                {
                    "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
                    "building": building,
                    "entrance_unit": rng.randint(1, building.entrance_units) if building else None,
                    "room_number": f"{floor}0{rng.randint(1, 2)}",
                }
            )
        return rows


def _record(
    city: DemoCity,
    rng: random.Random,
    site: Site,
    item: RenovationItem,
    *,
    day: date,
    conclusion: str,
    parties: dict[str, Party],
    designer: Party | None,
    residents: _Residents,
) -> Acceptance:
    acceptance = city.add(
        Acceptance(
            item=item,
            accepted_on=day,
            conclusion=conclusion,
            builder=f"{site.district.name}老旧小区改造办公室",
            recorded_on=day,
            note=""
            if conclusion != AcceptanceConclusion.NOT_ACCEPTED
            else "资料不全，限期补齐后复验",
        )
    )
    for name, role in (
        (item.contractor, PartyRole.CONTRACTOR),
        (item.supervisor, PartyRole.SUPERVISOR),
    ):
        if name in parties:
            city.add(AcceptanceParty(acceptance=acceptance, party=parties[name], role=role))
    if designer is not None:
        city.add(AcceptanceParty(acceptance=acceptance, party=designer, role=PartyRole.DESIGNER))
    for row in residents.pick(site, rng):
        city.add(AcceptanceResident(acceptance=acceptance, **row))
    return acceptance


def acceptance(city: DemoCity, rng: random.Random) -> None:
    """Acceptance records of every accepted item, and settlements of most finished ones."""
    last = city.today
    parties = {party.name: party for party in city.rows.get(Party, [])}
    designers = _designers(city)
    plan_designer = {
        id(plan.community): designers.get(plan.designer) for plan in city.rows.get(DesignPlan, [])
    }
    residents = _Residents(city)
    accepted = [
        (site, item)
        for site in city.sites
        for item in site.items
        if item.status == ItemStatus.ACCEPTED and item.actual_end
    ]
    # One item refused at its first acceptance and accepted at the second: the first that
    # leaves room for both before the demo's today.
    twice = next(
        (pair for pair in accepted if pair[1].actual_end + timedelta(days=60) <= last), None
    )
    with_conditions = []
    for site, item in accepted:
        designer = plan_designer.get(id(site.community)) or designers[rng.choice(DESIGNERS)]
        common = {"parties": parties, "designer": designer, "residents": residents}
        first = _on(rng, item.actual_end, 5, 25, last)
        if (site, item) == twice:
            _record(
                city,
                rng,
                site,
                item,
                day=first,
                conclusion=AcceptanceConclusion.NOT_ACCEPTED,
                **common,
            )
            first = _on(rng, first, 20, 35, last)
        conditional = rng.random() < WITH_CONDITIONS_SHARE
        record = _record(
            city,
            rng,
            site,
            item,
            day=first,
            conclusion=(
                AcceptanceConclusion.WITH_CONDITIONS
                if conditional
                else AcceptanceConclusion.ACCEPTED
            ),
            **common,
        )
        if conditional:
            with_conditions.append(record)
    # The latest acceptance with conditions keeps one condition open; the others were met.
    with_conditions.sort(key=lambda record: record.accepted_on)
    for index, record in enumerate(with_conditions):
        for description in rng.sample(CONDITIONS, rng.randint(1, 2)):
            deadline = record.accepted_on + timedelta(days=rng.randint(30, 90))
            met_on = record.accepted_on + timedelta(days=rng.randint(7, 28))
            still_open = index == len(with_conditions) - 1 or met_on > last
            city.add(
                AcceptanceCondition(
                    acceptance=record,
                    description=description,
                    deadline=deadline,
                    met_on=None if still_open else met_on,
                    met_note="" if still_open else "已整改完毕，经现场复查确认",
                )
            )
    _settlements(city, rng, last)


def _settlements(city: DemoCity, rng: random.Random, last: date) -> None:
    finished = [
        item
        for site in city.sites
        for item in site.items
        if item.status in ItemStatus.finished() and item.actual_end and item.budget > 0
    ]
    chosen = [item for item in finished if rng.random() < SETTLED_SHARE]
    # Two overspent: community-wide items that are not elevators (those reconcile to the cent).
    overspent = [item for item in chosen if item.kind.code != "elevator"][:2]
    for item in chosen:
        audited = _on(rng, item.actual_end, 30, 150, last)
        if item in overspent:
            settled = (item.budget * Decimal(str(rng.uniform(1.03, 1.08)))).quantize(Decimal("100"))
            explanation = OVERSPENT[overspent.index(item)]
        else:
            low = item.spent * Decimal(str(rng.uniform(0.96, 1.0)))
            settled = min(item.budget, low.quantize(Decimal("100")))
            explanation = ""
        city.add(
            Settlement(
                item=item,
                settled_amount=settled.quantize(Decimal("0.01")),
                auditor=rng.choice(AUDITORS),
                audited_on=audited,
                explanation=explanation,
            )
        )
