"""Builders for objections to a notice (elevator retrofits and design plans).

Notices under way are dated relative to today (filing is only allowed while one runs); notices
that have ended keep the fixed past dates of the other builders, so approval is allowed today.
"""

from datetime import timedelta
from decimal import Decimal

from communities.core.clock import today
from communities.elevators.choices import ElevatorStage
from communities.elevators.models import ElevatorRetrofit, Household
from communities.elevators.objection_models import ElevatorObjection
from communities.works.choices import DesignPlanStatus
from communities.works.models.objections import DesignPlanObjection
from communities.works.models.plans import DesignPlan
from tests.support.factories import make_building, make_elevator
from tests.support.participation import make_plan

FILER = {"name": "李异议", "room": "101", "phone": "13900001111", "text": "一楼采光会受影响。"}


def retrofit_under_notice(**fields) -> ElevatorRetrofit:
    """A retrofit whose 20-day notice began 5 days ago."""
    fields.setdefault("stage", ElevatorStage.PUBLIC_NOTICE)
    fields.setdefault("notice_on", today() - timedelta(days=5))
    return make_elevator(**fields)


def retrofit_notice_ended(**fields) -> ElevatorRetrofit:
    """A retrofit at its notice stage whose notice has run its days: approval may come today."""
    fields.setdefault("stage", ElevatorStage.PUBLIC_NOTICE)
    return make_elevator(**fields)


def plan_under_notice(**fields) -> DesignPlan:
    """A plan in notice from 3 days ago to 7 days from now."""
    fields.setdefault("status", DesignPlanStatus.NOTICE)
    fields.setdefault("notice_start", today() - timedelta(days=3))
    fields.setdefault("notice_end", today() + timedelta(days=7))
    return make_plan(**fields)


def plan_notice_ended(**fields) -> DesignPlan:
    fields.setdefault("status", DesignPlanStatus.NOTICE)
    return make_plan(**fields)


def add_household(retrofit: ElevatorRetrofit, room: str, floor: int = 1) -> Household:
    household = Household(
        building=retrofit.building,
        entrance_unit=retrofit.entrance_unit,
        floor=floor,
        room_number=room,
        floor_area_m2=Decimal("80.00"),
    )
    # The roster as it was entered before the owners' consent: saved directly, because the
    # retrofit built here is already past consent, after which no household joins (issue 15).
    household.save()
    return household


def make_elevator_objection(*, retrofit: ElevatorRetrofit, **fields) -> ElevatorObjection:
    objection = ElevatorObjection(retrofit=retrofit, **{**FILER, **fields})
    objection.full_clean()
    objection.save()
    return objection


def make_plan_objection(*, plan: DesignPlan, **fields) -> DesignPlanObjection:
    fields.setdefault("building", plan.community.buildings.order_by("pk").first())
    if fields["building"] is None:
        fields["building"] = make_building(community=plan.community, label="1号楼")
    objection = DesignPlanObjection(plan=plan, **{**FILER, **fields})
    objection.full_clean()
    objection.save()
    return objection
