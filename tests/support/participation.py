"""Builders for residents' participation: proposals, design plans and ratings.

As in ``tests/factories.py``: every required field gets a valid value, overrides come as
keywords, and rows are saved through ``full_clean()`` unless ``validate=False``. Dates are
fixed in the past so tests never depend on the clock.
"""

from datetime import date, timedelta
from itertools import count

from communities.participation.choices import Channel, ProposalStatus
from communities.participation.models import Proposal, Rating
from communities.places.choices import RenovationStatus
from communities.works.choices import DesignPlanStatus, ItemStatus
from communities.works.models.items import RenovationKind
from communities.works.models.plans import DesignPlan
from tests.support.factories import make_building, make_community, make_item

_rooms = count(101)

# A 2024-batch community: from 2024 on, its items start only under an approved design plan
# (RENOVATION["DESIGN_PLAN_REQUIRED_FROM_YEAR"], 2024 by default).
GUARDED_YEAR = 2024
NOTICE_START = date(2024, 2, 1)
NOTICE_END = date(2024, 2, 10)
APPROVED_ON = date(2024, 2, 20)
WORK_STARTS = date(2024, 3, 1)


def _save(obj, validate: bool, save: bool = True):
    """Validate and save; ``save=False`` hands back the object unsaved and unvalidated, for
    tests of what validation says about it."""
    if not save:
        return obj
    if validate:
        obj.full_clean()
    obj.save()
    return obj


def make_completed_community(**fields):
    """A community whose renovation (2022 batch) was completed on 30 November 2022."""
    fields.setdefault("renovation_status", RenovationStatus.COMPLETED)
    return make_community(**fields)


def make_finished_item(*, community=None, **fields):
    """An accepted item of a completed community, finished on 1 October 2022."""
    fields.setdefault("status", ItemStatus.ACCEPTED)
    fields.setdefault("contractor", "泰安岱宗建设工程有限公司")
    return make_item(community=community or make_completed_community(), **fields)


def make_proposal(*, validate: bool = True, save: bool = True, **fields) -> Proposal:
    fields.setdefault("community", fields.get("community") or make_community())
    fields.setdefault("kind", fields.get("kind") or RenovationKind.objects.get(code="parking"))
    fields.setdefault("title", "规划停车位，解决停车难")
    fields.setdefault("description", "晚上车没地方停。")
    fields.setdefault("supporters", 40)
    fields.setdefault("channel", Channel.SURVEY)
    fields.setdefault("submitted_on", date(2023, 9, 1))
    status = fields.setdefault("status", ProposalStatus.SUBMITTED)
    if status != ProposalStatus.SUBMITTED:
        fields.setdefault("decided_on", date(2023, 10, 1))
    if status == ProposalStatus.ADOPTED and "item" not in fields:
        fields["item"] = make_item(community=fields["community"], kind=fields["kind"])
    if status == ProposalStatus.DECLINED:
        fields.setdefault("decline_reason", "场地不足，不具备建设条件。")
    return _save(Proposal(**fields), validate, save)


def make_plan(*, validate: bool = True, save: bool = True, **fields) -> DesignPlan:
    """A plan of the community's batch; its notice and approval dates follow its status
    (notice 1–10 February 2024, approval 20 February 2024)."""
    community = fields.setdefault("community", fields.get("community") or make_community())
    fields.setdefault("batch_year", community.renovation_year or GUARDED_YEAR)
    fields.setdefault("version", 1)
    fields.setdefault("title", f"{community.name}改造设计方案")
    fields.setdefault("designer", "泰安城建设计院有限公司")
    status = fields.setdefault("status", DesignPlanStatus.DRAFT)
    if status != DesignPlanStatus.DRAFT:
        fields.setdefault("notice_start", NOTICE_START)
        fields.setdefault("notice_end", NOTICE_END)
    if status in {DesignPlanStatus.APPROVED}:
        fields.setdefault("approved_on", APPROVED_ON)
    return _save(DesignPlan(**fields), validate, save)


def make_guarded_community(**fields):
    """A 2024-batch community under construction (its items need an approved plan)."""
    fields.setdefault("renovation_status", RenovationStatus.UNDER_CONSTRUCTION)
    fields.setdefault("renovation_year", GUARDED_YEAR)
    fields.setdefault("started_on", WORK_STARTS)
    return make_community(**fields)


def make_rating(
    *, validate: bool = True, save: bool = True, scores: tuple[int, int, int] = (4, 4, 4), **fields
):
    """A rating by a new household (its own room) of ``item``, or of ``community`` as a whole
    (a new completed community by default), ten days after completion."""
    item = fields.get("item")
    if item is not None:
        fields.setdefault("community", item.community)
    community = fields.setdefault(
        "community", fields.get("community") or make_completed_community()
    )
    if "building" not in fields:
        fields["building"] = _building_of(community)
    fields.setdefault("entrance_unit", 1)
    fields.setdefault("room_number", str(next(_rooms)))
    fields["work_score"], fields["process_score"], fields["management_score"] = scores
    fields.setdefault("channel", Channel.WECHAT)
    done = item.actual_end if item is not None else community.completed_on
    fields.setdefault("rated_on", (done or date(2023, 1, 1)) + timedelta(days=10))
    return _save(Rating(**fields), validate, save)


def _building_of(community):
    building = community.buildings.order_by("pk").first()
    return building or make_building(community=community, label="1号楼")
