"""``/api/v1/``: a browsable root listing every resource, then one route set per resource."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from communities.api import participation, repairs, views

app_name = "api"


class Router(DefaultRouter):
    """DefaultRouter whose browsable root also lists the views that are not viewsets."""

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
router.register("districts", views.DistrictViewSet)
router.register("communities", views.CommunityViewSet)
router.register("buildings", views.BuildingViewSet)
router.register("renovation-kinds", views.RenovationKindViewSet)
router.register("renovation-items", views.RenovationItemViewSet)
router.register("funding-lines", views.FundingLineViewSet)
router.register("elevator-retrofits", views.ElevatorRetrofitViewSet)
router.register("property-services", views.PropertyServiceViewSet)
router.register("facilities", views.FacilityViewSet)
router.register("service-requests", repairs.RepairRequestViewSet)
router.register(
    "property-management", repairs.PropertyManagementViewSet, basename="property-management"
)
router.register("proposals", participation.ProposalViewSet)
router.register("design-plans", participation.DesignPlanViewSet)
router.register("ratings", participation.RatingViewSet)

urlpatterns = [
    path("stats/", views.StatisticsView.as_view(), name="stats"),
    path(
        "stats/satisfaction/",
        participation.SatisfactionStatsView.as_view(),
        name="satisfaction-stats",
    ),
    *router.urls,
]
