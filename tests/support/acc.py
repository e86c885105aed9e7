"""Builders for acceptance (竣工验收) and settlement (结算审计): a completed item of a community
under construction, a recorded acceptance through the service, a settlement. Every row is
saved through ``full_clean()``."""

from datetime import date
from decimal import Decimal

from communities.construction.choices import AcceptanceConclusion, PartyRole
from communities.construction.models import Acceptance, Settlement
from communities.construction.services import acceptance_create, settlement_record
from communities.places.choices import RenovationStatus
from communities.works.choices import ItemStatus
from tests.support.construction import make_party
from tests.support.factories import make_building, make_community, make_item

COMPLETED_ON = date(2022, 10, 1)
ACCEPTED_ON = date(2022, 10, 20)
BUILDER = "泰山区老旧小区改造办公室"


def completed_item(**fields):
    """A completed (not yet accepted) item of a community under construction, finished on
    1 October 2022, budget ¥100,000."""
    community = fields.pop("community", None) or make_community(
        renovation_status=RenovationStatus.UNDER_CONSTRUCTION
    )
    fields.setdefault("status", ItemStatus.COMPLETED)
    fields.setdefault("actual_end", COMPLETED_ON)
    fields.setdefault("contractor", "泰安岱宗建设工程有限公司")
    return make_item(community=community, **fields)


def attendees(item) -> dict:
    """A contractor and a supervisor, and two residents' representatives of one building."""
    contractor = make_party(is_contractor=True)
    supervisor = make_party(is_supervisor=True, is_contractor=False)
    building = item.community.buildings.first() or make_building(community=item.community)
    return {
        "parties": [
            {"party": contractor, "role": PartyRole.CONTRACTOR},
            {"party": supervisor, "role": PartyRole.SUPERVISOR},
        ],
        "residents": [
            {"name": "李秘密", "building": building, "entrance_unit": 2, "room_number": "301"},
            {"name": "赵秘密", "building": building, "entrance_unit": 1, "room_number": "502"},
        ],
    }


def record_acceptance(item=None, *, conclusion=AcceptanceConclusion.ACCEPTED, **fields):
    """A recorded acceptance through the service (an accepting one accepts the item)."""
    item = item or completed_item()
    people = attendees(item)
    fields.setdefault("parties", people["parties"])
    fields.setdefault("residents", people["residents"])
    if conclusion == AcceptanceConclusion.WITH_CONDITIONS:
        fields.setdefault(
            "conditions", [{"description": "补种行道树12株", "deadline": date(2022, 12, 31)}]
        )
    return acceptance_create(
        item=item,
        accepted_on=fields.pop("accepted_on", ACCEPTED_ON),
        conclusion=conclusion,
        builder=fields.pop("builder", BUILDER),
        **fields,
    )


def draft_acceptance(item=None, **fields) -> Acceptance:
    fields.setdefault("accepted_on", ACCEPTED_ON)
    fields.setdefault("conclusion", AcceptanceConclusion.ACCEPTED)
    fields.setdefault("builder", BUILDER)
    acceptance = Acceptance(item=item or completed_item(), **fields)
    acceptance.full_clean()
    acceptance.save()
    return acceptance


def make_settlement(item=None, **fields) -> Settlement:
    item = item or completed_item()
    fields.setdefault("settled_amount", Decimal("95000.00"))
    fields.setdefault("auditor", "山东泰信工程造价咨询有限公司")
    fields.setdefault("audited_on", date(2022, 12, 15))
    return settlement_record(item=item, **fields)
