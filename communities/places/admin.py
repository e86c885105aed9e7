"""Admin for places: districts, communities (with everything under them) and buildings."""

from django.contrib import admin
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from communities.core.admin import BaseAdmin, child_count
from communities.places.choices import RenovationStatus
from communities.places.models import Building, BuildingAppraisal, Community, District, Region
from communities.places.resources import BuildingAppraisalResource, BuildingResource
from communities.places.services import building_appraisal_record_initial, building_grade_sync


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


class BuildingAppraisalInline(admin.TabularInline):
    """A building's appraisals, newest first: records are added, never edited or deleted;
    the newest gives the building its grade (``building_grade_sync``, in ``save_related``)."""

    model = BuildingAppraisal
    fields = ["appraised_on", "grade", "appraiser", "report", "note", "created_at"]
    readonly_fields = ["created_at"]
    extra = 0

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Building)
class BuildingAdmin(SortKeyAdminMixin, BaseAdmin):
    resource_classes = [BuildingResource]
    inlines = [BuildingAppraisalInline]
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

    def get_readonly_fields(self, request, obj=None):
        """A recorded building's grade, date and appraiser follow its appraisals: they are
        changed by adding an appraisal below, not edited."""
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly += list(Building.APPRAISAL_FIELDS)
        return readonly

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        building_appraisal_record_initial(building=form.instance, by=request.user)
        building_grade_sync(building=form.instance, by=request.user)

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


@admin.register(BuildingAppraisal)
class BuildingAppraisalAdmin(BaseAdmin):
    """Appraisals as records: added (here, under their building, or imported), never edited;
    each new one brings its building's grade up to date."""

    resource_classes = [BuildingAppraisalResource]
    list_display = ["building", "grade", "appraised_on", "appraiser", "created_at"]
    list_filter = ["grade", "building__community__district"]
    search_fields = ["building__label", "building__community__name", "appraiser"]
    autocomplete_fields = ["building"]
    date_hierarchy = "appraised_on"
    fields = ["building", "appraised_on", "grade", "appraiser", "report", "note"]
    list_select_related = ["building__community"]

    def has_change_permission(self, request, obj=None) -> bool:
        # Viewing an appraisal's page is fine; changing a recorded appraisal is not.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        building_grade_sync(building=obj.building, by=request.user)
