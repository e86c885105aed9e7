"""Admin for places: districts, communities (with everything under them) and buildings."""

from django.contrib import admin
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from communities.choices import ItemStatus, RenovationStatus
from communities.models import (
    Building,
    Community,
    District,
    Facility,
    FundingLine,
    PropertyService,
    RenovationItem,
)

from .base import BaseAdmin, SharedChoicesInline, child_average, child_count, child_sum, yuan

LIVE_ITEMS = {"exclude": {"status": ItemStatus.CANCELLED}}


@admin.register(District)
class DistrictAdmin(BaseAdmin):
    list_display = ["code", "name", "communities", "communities_completed"]
    list_display_links = ["code", "name"]
    search_fields = ["code", "name"]
    ordering = ["code"]

    def get_queryset(self, request) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(
                community_count=child_count(Community, "district"),
                completed_count=child_count(
                    Community,
                    "district",
                    filters={"renovation_status": RenovationStatus.COMPLETED},
                ),
            )
        )

    @admin.display(description=_("communities"), ordering="community_count")
    def communities(self, district: District) -> str:
        url = reverse("admin:communities_community_changelist")
        return format_html(
            '<a href="{}?district__id__exact={}">{}</a>', url, district.pk, district.community_count
        )

    @admin.display(description=_("completed"), ordering="completed_count")
    def communities_completed(self, district: District) -> int:
        return district.completed_count


class BuildingInline(admin.TabularInline):
    model = Building
    fields = [
        "label",
        "storeys",
        "entrance_units",
        "households",
        "year_built",
        "safety_grade",
        "appraised_on",
        "appraiser",
    ]
    extra = 0
    show_change_link = True

    def get_queryset(self, request) -> QuerySet:
        # Each row's title is str(building), which names its community.
        return super().get_queryset(request).select_related("community")


class RenovationItemInline(SharedChoicesInline, admin.TabularInline):
    """A community's items at a glance; funding is edited on each item's own page."""

    model = RenovationItem
    fields = [
        "title",
        "kind",
        "building",
        "status",
        "progress",
        "budget",
        "funding",
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
    ]
    readonly_fields = ["funding"]
    shared_choice_fields = ("kind", "building")
    extra = 0
    show_change_link = True

    def get_queryset(self, request) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(funding_sum=child_sum(FundingLine, "item", "amount"))
        )

    def scope_choices(self, name, queryset, parent):
        if name == "building":
            return queryset.filter(community=parent) if parent else queryset.none()
        return queryset

    def choice_label(self, name):
        # Every building offered belongs to this community: its number says enough.
        return (lambda building: building.label) if name == "building" else None

    @admin.display(description=_("funding"))
    def funding(self, item: RenovationItem) -> str:
        return yuan(item.funding_total())


class FacilityInline(SharedChoicesInline, admin.TabularInline):
    model = Facility
    fields = ["name", "kind", "capacity", "area_m2", "opened_on", "renovation_item"]
    shared_choice_fields = ("renovation_item",)
    extra = 0
    show_change_link = True

    def scope_choices(self, name, queryset, parent):
        return queryset.filter(community=parent) if parent else queryset.none()


class PropertyServiceInline(admin.TabularInline):
    model = PropertyService
    fields = [
        "mode",
        "is_red_property",
        "provider_name",
        "contact_name",
        "contact_phone",
        "contract_start",
        "contract_end",
        "trial_end",
        "fee_per_m2_month",
    ]
    extra = 0
    show_change_link = True

    def get_queryset(self, request) -> QuerySet:
        # Each row's title is str(service), which names its community.
        return super().get_queryset(request).select_related("community")


@admin.register(Community)
class CommunityAdmin(BaseAdmin):
    list_display = [
        "name",
        "district",
        "renovation_status",
        "renovation_year",
        "year_built",
        "households",
        "floor_area_m2",
        "items",
        "budget",
        "progress",
        "is_demonstration",
    ]
    list_filter = [
        "district",
        "renovation_status",
        "renovation_year",
        "is_demonstration",
    ]
    list_select_related = ["district"]
    search_fields = ["name", "address", "subdistrict", "neighbourhood", "district__name"]
    autocomplete_fields = ["district"]
    date_hierarchy = "completed_on"
    readonly_fields = ["items", "budget", "progress", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "district", "subdistrict", "neighbourhood", "address"]}),
        (_("Location"), {"fields": [("latitude", "longitude")]}),
        (
            _("Survey"),
            {"fields": ["year_built", "buildings_count", "households", "floor_area_m2"]},
        ),
        (
            _("Renovation"),
            {
                "fields": [
                    "renovation_year",
                    "renovation_status",
                    ("started_on", "completed_on"),
                    ("is_demonstration", "demonstration_note"),
                ]
            },
        ),
        (
            _("Figures"),
            {"fields": [("items", "budget", "progress"), ("created_at", "updated_at")]},
        ),
    ]
    inlines = [BuildingInline, RenovationItemInline, FacilityInline, PropertyServiceInline]

    def get_queryset(self, request) -> QuerySet:
        """Cancelled items are left out of the figures, as they are in the city's statistics."""
        return (
            super()
            .get_queryset(request)
            .annotate(
                item_count=child_count(RenovationItem, "community", **LIVE_ITEMS),
                budget_total=child_sum(RenovationItem, "community", "budget", **LIVE_ITEMS),
                progress_average=child_average(
                    RenovationItem, "community", "progress", **LIVE_ITEMS
                ),
            )
        )

    @admin.display(description=_("items"), ordering="item_count")
    def items(self, community: Community):
        return getattr(community, "item_count", None)

    @admin.display(description=_("budget"), ordering="budget_total")
    def budget(self, community: Community) -> str:
        return yuan(getattr(community, "budget_total", None))

    @admin.display(description=_("progress"), ordering="progress_average")
    def progress(self, community: Community) -> str:
        """The average progress of the community's items."""
        average = getattr(community, "progress_average", None)
        if average is None:
            return self.get_empty_value_display()
        return f"{average:.0f}%"


@admin.register(Building)
class BuildingAdmin(BaseAdmin):
    list_display = [
        "label",
        "community",
        "district",
        "storeys",
        "entrance_units",
        "households",
        "year_built",
        "safety_grade",
        "appraised_on",
    ]
    list_filter = ["safety_grade", "community__district", "storeys"]
    search_fields = ["label", "community__name", "appraiser"]
    autocomplete_fields = ["community"]
    date_hierarchy = "appraised_on"
    fieldsets = [
        (None, {"fields": ["community", "label"]}),
        (_("Size"), {"fields": ["storeys", "entrance_units", "households", "year_built"]}),
        (_("Safety appraisal"), {"fields": ["safety_grade", "appraised_on", "appraiser"]}),
    ]

    label_select_related = ("community",)

    def get_queryset(self, request) -> QuerySet:
        # str(building) names its community, for every autocomplete result; the changelist
        # shows its district too. (With select_related here, list_select_related is ignored.)
        return super().get_queryset(request).select_related("community__district")

    @admin.display(description=_("district"), ordering="community__district__code")
    def district(self, building: Building) -> District:
        return building.community.district
