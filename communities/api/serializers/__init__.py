"""The API's serializers, one module per subject as in ``communities/models/``."""

from .elevators import CommunityElevatorSerializer, ElevatorRetrofitSerializer
from .facilities import CommunityFacilitySerializer, FacilitySerializer
from .places import (
    BuildingSerializer,
    CommunityDetailSerializer,
    CommunityFeatureCollectionSerializer,
    CommunitySerializer,
    DistrictSerializer,
)
from .property import CommunityPropertyServiceSerializer, PropertyServiceSerializer
from .renovation import (
    CommunityItemSerializer,
    FundingLineSerializer,
    RenovationItemSerializer,
    RenovationKindSerializer,
)
from .stats import StatisticsQuerySerializer, StatisticsSerializer

__all__ = [
    "BuildingSerializer",
    "CommunityDetailSerializer",
    "CommunityElevatorSerializer",
    "CommunityFacilitySerializer",
    "CommunityFeatureCollectionSerializer",
    "CommunityItemSerializer",
    "CommunityPropertyServiceSerializer",
    "CommunitySerializer",
    "DistrictSerializer",
    "ElevatorRetrofitSerializer",
    "FacilitySerializer",
    "FundingLineSerializer",
    "PropertyServiceSerializer",
    "RenovationItemSerializer",
    "RenovationKindSerializer",
    "StatisticsQuerySerializer",
    "StatisticsSerializer",
]
