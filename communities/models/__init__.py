"""The domain model, one subject per module; import from here."""

from .elevators import ElevatorRetrofit
from .facilities import Facility
from .places import Building, Community, District
from .property import PropertyService
from .renovation import FundingLine, RenovationItem, RenovationKind

__all__ = [
    "Building",
    "Community",
    "District",
    "ElevatorRetrofit",
    "Facility",
    "FundingLine",
    "PropertyService",
    "RenovationItem",
    "RenovationKind",
]
