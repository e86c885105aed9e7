"""``/api/v1/``: a browsable root listing every resource, then one route set per resource."""

from django.urls import path
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from rest_framework import routers
from rest_framework.routers import DefaultRouter

from communities.construction.api.photos import PhotoViewSet
from communities.construction.api.views import (
    AcceptanceViewSet,
    FindingViewSet,
    InspectionViewSet,
    ItemPartyViewSet,
    PartyViewSet,
    RectificationOrderViewSet,
    SettlementViewSet,
)
from communities.dossier.api.views import CommunityViewSet
from communities.elevators.api.objections import ElevatorObjectionViewSet
from communities.elevators.api.payments import ShareInvoiceViewSet, SharePaymentViewSet
from communities.elevators.api.views import ElevatorRetrofitViewSet
from communities.participation.api.views import (
    ProposalViewSet,
    RatingViewSet,
    SatisfactionStatsView,
)
from communities.places.api.views import (
    BuildingAppraisalViewSet,
    BuildingViewSet,
    DistrictViewSet,
)
from communities.property.api.views import PropertyManagementViewSet, PropertyServiceViewSet
from communities.repairs.api.views import RepairRequestViewSet
from communities.reporting.api.returns import (
    AnnualPlanViewSet,
    MonthlyReturnView,
    SubmitReturnView,
    SubmittedReturnListView,
)
from communities.reporting.api.views import OC4IDSViewSet, RegionViewSet, StatisticsView
from communities.works.api.objections import DesignPlanObjectionViewSet
from communities.works.api.views import (
    DesignPlanViewSet,
    FacilityViewSet,
    FundingLineViewSet,
    ItemQuantityViewSet,
    RenovationItemViewSet,
    RenovationKindViewSet,
)

app_name = "api"


class APIRootView(routers.APIRootView):
    """The browsable root's title and description in the visitor's language (DRF's own are
    the class name and its English docstring)."""

    def get_view_name(self):
        return _("Renovation Tracker API")

    def get_view_description(self, html=False):
        text = _(
            "The public, read-only data of the old community renovation programme, and the "
            "staff's records with a token. Each link below lists one kind of record; the "
            "schema is at /api/schema/ and its documentation at /api/docs/."
        )
        return mark_safe(f"<p>{escape(text)}</p>") if html else text


class Router(DefaultRouter):
    """DefaultRouter whose browsable root also lists the views that are not viewsets."""

    APIRootView = APIRootView

    def __init__(self, *args, extra_root_entries: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra_root_entries = extra_root_entries or {}

    def get_api_root_view(self, api_urls=None):
        list_name = self.routes[0].name
        api_root_dict = {
            prefix: list_name.format(basename=basename) for prefix, _, basename in self.registry
        }
        api_root_dict.update(self.extra_root_entries)
        return self.APIRootView.as_view(api_root_dict=api_root_dict)


router = Router(extra_root_entries={"stats": "stats", "stats/satisfaction": "satisfaction-stats"})
router.register("districts", DistrictViewSet)
router.register("communities", CommunityViewSet)
router.register("buildings", BuildingViewSet)
router.register("building-appraisals", BuildingAppraisalViewSet)
router.register("renovation-kinds", RenovationKindViewSet)
router.register("renovation-items", RenovationItemViewSet)
router.register("funding-lines", FundingLineViewSet)
router.register("elevator-retrofits", ElevatorRetrofitViewSet)
router.register("property-services", PropertyServiceViewSet)
router.register("facilities", FacilityViewSet)
router.register("service-requests", RepairRequestViewSet)
router.register("property-management", PropertyManagementViewSet, basename="property-management")
router.register("proposals", ProposalViewSet)
router.register("design-plans", DesignPlanViewSet)
router.register("ratings", RatingViewSet)
router.register("item-quantities", ItemQuantityViewSet)
router.register("annual-plans", AnnualPlanViewSet)
router.register("regions", RegionViewSet)
router.register("oc4ids", OC4IDSViewSet, basename="oc4ids")
# Residents' objections to a notice (issue 18).
router.register("elevator-objections", ElevatorObjectionViewSet)
router.register("design-plan-objections", DesignPlanObjectionViewSet)
router.register("parties", PartyViewSet)
router.register("item-parties", ItemPartyViewSet)
router.register("inspections", InspectionViewSet)
router.register("findings", FindingViewSet)
router.register("rectification-orders", RectificationOrderViewSet)
# The owners' money for elevator retrofits (issue 17): staff only, scoped by district.
router.register("elevator-invoices", ShareInvoiceViewSet)
router.register("elevator-payments", SharePaymentViewSet)
# Community photos (issue 17).
router.register("photos", PhotoViewSet)
# Completion acceptance (竣工验收) and settlement (结算审计), issue 17.
router.register("acceptances", AcceptanceViewSet)
router.register("settlements", SettlementViewSet)

urlpatterns = [
    path("stats/", StatisticsView.as_view(), name="stats"),
    path(
        "stats/satisfaction/",
        SatisfactionStatsView.as_view(),
        name="satisfaction-stats",
    ),
    path("reports/monthly/", MonthlyReturnView.as_view(), name="monthly-return"),
    path("reports/monthly/submit/", SubmitReturnView.as_view(), name="monthly-return-submit"),
    path("reports/submitted/", SubmittedReturnListView.as_view(), name="submitted-returns"),
    *router.urls,
]
