"""Builders for test data: the one place tests make domain objects.

Each builder fills every required field with a valid value, takes overrides as keywords, and
saves through ``full_clean()`` unless ``validate=False``, so a fixture is always a row the
application itself would accept.
"""

from datetime import date, timedelta
from decimal import Decimal
from itertools import count

from communities.elevators.choices import ElevatorStage
from communities.elevators.models import ElevatorRetrofit
from communities.places.choices import RenovationStatus
from communities.places.models import Building, Community, District
from communities.property.choices import ManagementMode
from communities.property.models import PropertyService
from communities.works.choices import Category, FacilityKind, ItemStatus
from communities.works.models.facilities import Facility
from communities.works.models.items import FundingLine, RenovationItem, RenovationKind

_sequence = count(1)


def _save(obj, validate: bool):
    if validate:
        obj.full_clean()
    obj.save()
    return obj


def make_district(*, code: str | None = None, name: str | None = None, validate: bool = True):
    number = next(_sequence)
    code = code or f"{379000 + number % 1000:06d}"
    existing = District.objects.filter(code=code).first()
    if existing:
        return existing
    return _save(District(code=code, name=name or f"测试区{number}"), validate)


def make_community(*, validate: bool = True, **fields) -> Community:
    number = next(_sequence)
    fields.setdefault("district", fields.get("district") or make_district())
    fields.setdefault("name", f"测试小区{number}")
    fields.setdefault("subdistrict", "岱庙街道")
    fields.setdefault("neighbourhood", "测试社区")
    fields.setdefault("address", f"测试路{number}号")
    fields.setdefault("latitude", Decimal("36.190000"))
    fields.setdefault("longitude", Decimal("117.120000"))
    fields.setdefault("year_built", 1995)
    fields.setdefault("households", 100)
    fields.setdefault("floor_area_m2", Decimal("10000.00"))
    status = fields.setdefault("renovation_status", RenovationStatus.NOT_STARTED)
    if status != RenovationStatus.NOT_STARTED:
        fields.setdefault("renovation_year", 2022)
    if status in {RenovationStatus.UNDER_CONSTRUCTION, RenovationStatus.COMPLETED}:
        fields.setdefault("started_on", date(2022, 3, 1))
    if status == RenovationStatus.COMPLETED:
        fields.setdefault("completed_on", date(2022, 11, 30))
    return _save(Community(**fields), validate)


def make_building(*, validate: bool = True, **fields) -> Building:
    number = next(_sequence)
    fields.setdefault("community", fields.get("community") or make_community())
    fields.setdefault("label", f"{number}号楼")
    fields.setdefault("storeys", 6)
    fields.setdefault("entrance_units", 3)
    fields.setdefault("households", 36)
    fields.setdefault("year_built", 1995)
    return _save(Building(**fields), validate)


def make_kind(*, validate: bool = True, **fields) -> RenovationKind:
    number = next(_sequence)
    fields.setdefault("code", f"test-kind-{number}")
    fields.setdefault("name", f"测试类{number}")
    fields.setdefault("category", Category.BASIC)
    return _save(RenovationKind(**fields), validate)


def make_item(*, validate: bool = True, **fields) -> RenovationItem:
    fields.setdefault("community", fields.get("community") or make_community())
    fields.setdefault("kind", fields.get("kind") or RenovationKind.objects.get(code="roads"))
    fields.setdefault("title", "道路修缮")
    fields.setdefault("budget", Decimal("100000.00"))
    status = fields.setdefault("status", ItemStatus.PLANNED)
    if status in ItemStatus.started():
        fields.setdefault("actual_start", date(2022, 4, 1))
    if status in ItemStatus.finished():
        fields.setdefault("progress", 100)
        fields.setdefault("actual_end", date(2022, 10, 1))
    return _save(RenovationItem(**fields), validate)


def make_funding(*, validate: bool = True, **fields) -> FundingLine:
    fields.setdefault("item", fields.get("item") or make_item())
    fields.setdefault("source", "central_subsidy")
    fields.setdefault("amount", Decimal("50000.00"))
    return _save(FundingLine(**fields), validate)


def make_elevator(*, validate: bool = True, **fields) -> ElevatorRetrofit:
    fields.setdefault("building", fields.get("building") or make_building())
    fields.setdefault("entrance_unit", 1)
    fields.setdefault("storeys_served", 6)
    stage = fields.setdefault("stage", ElevatorStage.INTENTION)
    fields.setdefault("intention_on", date(2021, 3, 1))
    ordered = ElevatorStage.ordered()
    from communities.elevators.models import STAGE_DATE_FIELDS

    if stage != ElevatorStage.WITHDRAWN:
        # A month between stages: the public notice lasts its 20 days before approval.
        reached = ordered[: ordered.index(stage) + 1]
        for offset, step in enumerate(reached[1:], start=1):
            fields.setdefault(
                STAGE_DATE_FIELDS[step], date(2021, 3, 1) + timedelta(days=30 * offset)
            )
        if ElevatorStage.CONSTRUCTION in reached:
            fields.setdefault("permit_number", f"37090220210{next(_sequence):05d}")
        if stage == ElevatorStage.IN_SERVICE:
            fields.setdefault("registration_number", f"梯11鲁J{next(_sequence):05d}(21)")
    else:
        fields.setdefault("withdrawn_on", date(2021, 6, 1))
    fields.setdefault("total_cost", Decimal("500000.00"))
    fields.setdefault("subsidy", Decimal("150000.00"))
    return _save(ElevatorRetrofit(**fields), validate)


def make_service(*, validate: bool = True, **fields) -> PropertyService:
    fields.setdefault("community", fields.get("community") or make_community())
    fields.setdefault("mode", ManagementMode.PROFESSIONAL)
    fields.setdefault("provider_name", "泰安红心物业有限公司")
    fields.setdefault("contact_phone", "0538-1234567")
    fields.setdefault("contract_start", date(2022, 1, 1))
    fields.setdefault("fee_per_m2_month", Decimal("0.60"))
    return _save(PropertyService(**fields), validate)


def make_facility(*, validate: bool = True, **fields) -> Facility:
    fields.setdefault("community", fields.get("community") or make_community())
    fields.setdefault("kind", FacilityKind.CANTEEN)
    fields.setdefault("name", "幸福食堂")
    fields.setdefault("capacity", 50)
    fields.setdefault("area_m2", Decimal("120.00"))
    fields.setdefault("opened_on", date(2022, 12, 1))
    return _save(Facility(**fields), validate)


def make_busy_community(*, validate: bool = True, **fields) -> Community:
    """A community with something under each of its admin inlines: two buildings, two funded
    items (one on a building), a facility built by one of them and a property service."""
    community = make_community(validate=validate, **fields)
    first = make_building(community=community, validate=validate)
    make_building(community=community, validate=validate)
    on_building = make_item(community=community, building=first, validate=validate)
    make_funding(item=on_building, amount=Decimal("60000.00"), validate=validate)
    whole = make_item(community=community, title="绿化提升", validate=validate)
    make_funding(item=whole, source="local_budget", amount=Decimal("20000.00"), validate=validate)
    make_facility(community=community, renovation_item=whole, validate=validate)
    make_service(community=community, validate=validate)
    return community
