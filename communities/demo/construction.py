"""Construction supervision in the demo: the city's contractors and supervisors as parties
(valid unified social credit codes), their part in the items, and the inspections, findings and
rectification orders of the communities under construction and of a sample of completed ones.

Everything is dated by ``city.today`` (the day the demo is loaded as of) at the latest, so what
is overdue stays overdue on any later day: a few open orders past their deadline, one of them
from a major hazard that stopped its item (its progress held where it was). The headline figures are
untouched: nothing here changes a community, an item's status or its progress.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from communities.construction.choices import (
    InspectionKind,
    OrderStatus,
    PartyRole,
    Severity,
)
from communities.construction.models import (
    Finding,
    Inspection,
    ItemParty,
    Party,
    RectificationOrder,
)
from communities.construction.policy import credit_code_check_character
from communities.demo import taian
from communities.demo.city import DemoCity, Site
from communities.places.choices import RenovationStatus as Status
from communities.works.choices import ItemStatus
from communities.works.models.items import RenovationItem

INSPECTORS = (
    "泰安市建设工程质量安全监督站 王工",
    "泰安市住建局城建科 李工",
    "区住建局质安股 赵工",
)
FINDINGS = {
    Severity.GENERAL: [
        ("施工现场围挡不连续，材料堆放占用消防通道", "JGJ 146-2013 3.2"),
        ("外墙保温板粘结面积不足", "JGJ 144-2019 6.2.3"),
        ("雨污管道接口未做闭水试验记录", "GB 50268-2008 9.3"),
        ("楼道线缆未穿管敷设", "GB 50303-2015 12.1"),
    ],
    Severity.SERIOUS: [
        ("脚手架连墙件缺失，立杆悬空", "JGJ 130-2011 6.4"),
        ("临时用电未设漏电保护", "JGJ 46-2005 8.2"),
    ],
    Severity.MAJOR_HAZARD: [
        ("高处作业无防护，屋面临边未设防护栏杆", "JGJ 80-2016 4.1"),
    ],
}


def credit_code(index: int) -> str:
    """A Tai'an company's code (91 + 370900 + its own 9 characters + the check character)."""
    first17 = f"91370900MA3C{index:05d}"
    return first17 + credit_code_check_character(first17)


def _parties(city: DemoCity) -> dict[str, Party]:
    names = [(name, "contractor") for name in taian.CONTRACTORS]
    for local in taian.LOCAL_CONTRACTORS.values():
        names += [(name, "contractor") for name in local]
    names += [(name, "supervisor") for name in taian.SUPERVISORS]
    parties = {}
    for index, (name, role) in enumerate(names, start=1):
        parties[name] = city.add(
            Party(
                name=name,
                credit_code=credit_code(index),
                is_contractor=role == "contractor",
                is_supervisor=role == "supervisor",
                contact_person="项目经理" if role == "contractor" else "总监理工程师",
                contact_phone=f"0538-82{index:05d}",
                address="山东省泰安市泰山区",
            )
        )
    return parties


def _link(city: DemoCity, item: RenovationItem, parties: dict[str, Party]) -> None:
    for name, role in (
        (item.contractor, PartyRole.CONTRACTOR),
        (item.supervisor, PartyRole.SUPERVISOR),
    ):
        if name in parties:
            city.add(ItemParty(item=item, party=parties[name], role=role))


def _day(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _order(city, rng, finding, contractor, issued: date, *, left_open: bool) -> None:
    """An order due 7 to 30 days after the visit: left open (overdue on any day after its
    deadline), or reported fixed by the demo's day (city.today) and, mostly, closed."""
    days = rng.choice((7, 10, 15, 30))
    order = RectificationOrder(
        finding=finding,
        contractor=contractor,
        issued_on=issued,
        deadline=issued + timedelta(days=days),
    )
    if not left_open:
        order.fixed_on = min(issued + timedelta(days=rng.randint(1, days)), city.today)
        order.fix_note = "已按要求整改完毕，附整改前后照片。"
        order.status = OrderStatus.REPORTED_FIXED
        if rng.random() < 0.85:
            order.status = OrderStatus.CLOSED
            order.closed_on = min(order.fixed_on + timedelta(days=rng.randint(1, 7)), city.today)
    city.add(order)


def _inspect(city, rng, site: Site, item, parties, *, kind, visited: date, overdue: bool):
    inspection = city.add(
        Inspection(
            community=site.community,
            item=item,
            visited_on=visited,
            inspector=rng.choice(INSPECTORS),
            kind=kind,
            note="现场检查" if item is None else f"{item.title}现场检查",
        )
    )
    contractor = parties.get(item.contractor) if item is not None else None
    for _ in range(rng.choice((0, 1, 1, 2))):
        severity = Severity.SERIOUS if rng.random() < 0.25 else Severity.GENERAL
        description, standard = rng.choice(FINDINGS[severity])
        finding = city.add(
            Finding(
                inspection=inspection,
                severity=severity,
                description=description,
                standard_cited=standard,
            )
        )
        if contractor is not None:
            _order(
                city, rng, finding, contractor, visited, left_open=overdue and rng.random() < 0.1
            )


def construction(city: DemoCity, rng: random.Random) -> None:
    """Parties, their items, inspections, findings and orders; one major hazard stops an item."""
    parties = _parties(city)
    for site in city.sites:
        for item in site.items:
            if item.status in ItemStatus.started() or item.status == ItemStatus.DESIGNING:
                _link(city, item, parties)

    stopped = None
    for site in city.with_status(Status.UNDER_CONSTRUCTION):
        started = [
            i for i in site.items if i.status == ItemStatus.UNDER_CONSTRUCTION and i.actual_start
        ]
        for item in started:
            if item.actual_start >= city.today:
                continue
            for _ in range(rng.randint(1, 2)):
                visited = _day(rng, item.actual_start, city.today - timedelta(days=20))
                kind = rng.choice(
                    (InspectionKind.QUALITY, InspectionKind.SAFETY, InspectionKind.CIVILISED)
                )
                _inspect(city, rng, site, item, parties, kind=kind, visited=visited, overdue=True)
            if stopped is None and item.contractor in parties and item.progress:
                stopped = (site, item)
    if stopped is not None:
        site, item = stopped
        visited = city.today - timedelta(days=12)
        inspection = city.add(
            Inspection(
                community=site.community,
                item=item,
                visited_on=visited,
                inspector=INSPECTORS[0],
                kind=InspectionKind.SAFETY,
                note="专项安全检查，责令停工整改",
            )
        )
        description, standard = FINDINGS[Severity.MAJOR_HAZARD][0]
        finding = city.add(
            Finding(
                inspection=inspection,
                severity=Severity.MAJOR_HAZARD,
                description=description,
                standard_cited=standard,
            )
        )
        city.add(
            RectificationOrder(
                finding=finding,
                contractor=parties[item.contractor],
                issued_on=visited,
                deadline=visited + timedelta(days=7),
            )
        )

    completed = city.with_status(Status.COMPLETED)
    for site in rng.sample(completed, min(40, len(completed))):
        finished = [i for i in site.items if i.status in ItemStatus.finished() and i.actual_end]
        if not finished:
            continue
        item = rng.choice(finished)
        visited = min(item.actual_end, city.today)
        _inspect(
            city,
            rng,
            site,
            item,
            parties,
            kind=InspectionKind.COMPLETION,
            visited=visited,
            overdue=False,
        )


def demo_party_codes() -> list[str]:
    """The credit codes the demo's parties carry (a reset deletes and makes them again)."""
    count = (
        len(taian.CONTRACTORS)
        + sum(len(names) for names in taian.LOCAL_CONTRACTORS.values())
        + len(taian.SUPERVISORS)
    )
    return [credit_code(index) for index in range(1, count + 1)]


def delete_demo_parties() -> None:
    """After the demo communities are gone, their parties (nothing of theirs refers to them)."""
    Party.objects.filter(
        credit_code__in=demo_party_codes(), item_links__isnull=True, orders__isnull=True
    ).delete()
