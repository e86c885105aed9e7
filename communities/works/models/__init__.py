"""The works' tables: kinds, items and funding lines; facilities; design plans."""

from communities.works.models.facilities import Facility
from communities.works.models.items import FundingLine, RenovationItem, RenovationKind
from communities.works.models.objections import DesignPlanObjection
from communities.works.models.plans import DesignDocument, DesignPlan
from communities.works.models.quantities import ItemQuantity, KindMeasure

__all__ = [
    "DesignDocument",
    "DesignPlan",
    "DesignPlanObjection",
    "Facility",
    "FundingLine",
    "ItemQuantity",
    "KindMeasure",
    "RenovationItem",
    "RenovationKind",
]
