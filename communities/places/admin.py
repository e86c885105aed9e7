"""Admin for places: districts, communities (with everything under them) and buildings."""

from django.contrib import admin
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from communities.core.admin import BaseAdmin, child_count
from communities.places.choices import RenovationStatus
from communities.places.models import Building, Community, District, Region
from communities.places.resources import BuildingResource


class SortKeyAdminMixin:
    """A changelist column of a name or number sorts by its stored key (``sort_keys``: field
    → key), so clicking 名称 orders by pinyin and 楼栋号 by number (1, 2 … 10)."""

    sort_keys: dict[str, str] = {}

    def get_changelist(self, request, **kwargs):
        base = super().get_changelist(request, **kwargs)
        keys = self.sort_keys

        class SortKeyChangeList(base):
            def get_ordering_field(self, field_name):
                field = super().get_ordering_field(field_name)
                return keys.get(field, field) if isinstance(field, str) else field

        return SortKeyChangeList


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


@admin.register(Building)
class BuildingAdmin(SortKeyAdminMixin, BaseAdmin):
    resource_classes = [BuildingResource]
    sort_keys = {"label": "label_sort"}
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
        (_("Residents' repair reports"), {"fields": ["report_poster"]}),
    ]
    readonly_fields = ["report_poster"]

    label_select_related = ("community",)

    @admin.display(description=_("QR poster"))
    def report_poster(self, building: Building) -> str:
        """The printable QR poster of the building's report form (communities/site/posters.py)."""
        if building.pk is None:
            return "—"
        url = reverse(
            "site:poster-building", kwargs={"pk": building.community_id, "building": building.pk}
        )
        return format_html('<a href="{}" target="_blank">{}</a>', url, _("QR poster (A4, SVG)"))

    def get_queryset(self, request) -> QuerySet:
        # str(building) names its community, for every autocomplete result; the changelist
        # shows its district too. (With select_related here, list_select_related is ignored.)
        return super().get_queryset(request).select_related("community__district")

    @admin.display(description=_("district"), ordering="community__district__code")
    def district(self, building: Building) -> District:
        return building.community.district


@admin.register(Region)
class RegionAdmin(BaseAdmin):
    """Province and city names (the tree is in the codes; figures are on the public pages)."""

    list_display = ["code", "name", "name_en", "level"]
    list_display_links = ["code", "name"]
    list_filter = ["level"]
    search_fields = ["code", "name", "name_en"]
    ordering = ["code"]
