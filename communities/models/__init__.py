"""The domain model, one subject per module; import from here."""

from .access import Role, StaffScope
from .elevators import (
    ElevatorRetrofit,
    Household,
    OwnerVote,
    StageTransition,
    SubsidyRule,
    VoteChoice,
    VoteRule,
)
from .facilities import Facility
from .participation import DesignDocument, DesignPlan, Proposal, Rating
from .places import Building, Community, District
from .property import PropertyService
from .renovation import FundingLine, RenovationItem, RenovationKind
from .repairs import GridAssignment, Open311Client, RepairEvent, RepairRequest

__all__ = [
    "Building",
    "Community",
    "DesignDocument",
    "DesignPlan",
    "District",
    "ElevatorRetrofit",
    "Facility",
    "FundingLine",
    "GridAssignment",
    "Household",
    "Open311Client",
    "OwnerVote",
    "PropertyService",
    "Proposal",
    "Rating",
    "RenovationItem",
    "RenovationKind",
    "RepairEvent",
    "RepairRequest",
    "Role",
    "StaffScope",
    "StageTransition",
    "SubsidyRule",
    "VoteChoice",
    "VoteRule",
]
