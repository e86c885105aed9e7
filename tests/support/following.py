"""Subscriptions and a community with one piece of news of every kind (tests/following)."""

from datetime import date

from django.utils import timezone

from communities.elevators.choices import ElevatorStage
from communities.following.models import Subscription
from communities.places.choices import RenovationStatus
from communities.repairs.choices import RepairStatus
from communities.works.choices import DesignPlanStatus, ItemStatus
from tests.support.factories import make_building, make_community, make_elevator, make_item
from tests.support.participation import make_plan
from tests.support.repairs import make_request

ROOM = "3单元502室"


def make_subscription(*, confirmed: bool = True, **fields) -> Subscription:
    community = fields.get("community")
    fields.setdefault("district", community.district if community else None)
    fields.setdefault("email", "resident@example.com")
    subscription = Subscription(**fields)
    if confirmed:
        subscription.confirmed_at = subscription.alerted_at = timezone.now()
    subscription.full_clean()
    subscription.save()
    return subscription


def make_newsworthy_community(**fields):
    """A community under construction with: an item begun, one halfway, one accepted; a plan in
    notice, an approved one and a draft; an elevator in public notice and one in service; a
    public repair resolved and a private one (a resident's name, phone and room in both)."""
    fields.setdefault("renovation_status", RenovationStatus.UNDER_CONSTRUCTION)
    community = make_community(**fields)
    make_item(
        community=community,
        title="雨污分流改造",
        status=ItemStatus.UNDER_CONSTRUCTION,
        actual_start=date(2022, 5, 1),
        progress=20,
    )
    make_item(
        community=community,
        title="外墙保温",
        status=ItemStatus.UNDER_CONSTRUCTION,
        actual_start=date(2022, 4, 1),
        progress=60,
    )
    make_item(community=community, title="道路修缮", status=ItemStatus.ACCEPTED)
    make_plan(community=community, title="公示中的方案", status=DesignPlanStatus.NOTICE, version=2)
    make_plan(community=community, title="已批复的方案", status=DesignPlanStatus.APPROVED)
    make_plan(community=community, title="草稿方案", status=DesignPlanStatus.DRAFT, version=3)
    building = make_building(community=community, label="5号楼")
    make_elevator(building=building, entrance_unit=1, stage=ElevatorStage.PUBLIC_NOTICE)
    make_elevator(building=building, entrance_unit=2, stage=ElevatorStage.IN_SERVICE)
    make_request(
        community=community,
        state=RepairStatus.CLOSED,
        is_public=True,
        address=ROOM,
        description=f"{ROOM}门口水管爆裂",
    )
    make_request(community=community, state=RepairStatus.CLOSED, is_public=False, address=ROOM)
    return community
