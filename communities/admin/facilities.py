"""Admin for the public facilities built or renovated in communities."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from communities.models import Facility

from .base import BaseAdmin


@admin.register(Facility)
class FacilityAdmin(BaseAdmin):
    list_display = [
        "name",
        "kind",
        "community",
        "district",
        "capacity",
        "area_m2",
        "opened_on",
        "renovation_item",
    ]
    list_filter = ["kind", "community__district", "opened_on"]
    list_select_related = ["community__district", "renovation_item"]
    search_fields = ["name", "community__name"]
    autocomplete_fields = ["community", "renovation_item"]
    date_hierarchy = "opened_on"
    fieldsets = [
        (None, {"fields": ["community", "kind", "name"]}),
        (_("Size"), {"fields": ["capacity", "area_m2"]}),
        (None, {"fields": ["opened_on", "renovation_item"]}),
    ]

    @admin.display(description=_("district"), ordering="community__district__code")
    def district(self, facility: Facility):
        return facility.community.district
