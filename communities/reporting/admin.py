"""The annual plans in the admin (entered by city staff); the returns page is the desk's
(``reporting.desk``)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from communities.core.admin import BaseAdmin
from communities.reporting.models import AnnualPlan
from communities.reporting.policy import planned_outside_district
from communities.reporting.resources import AnnualPlanResource


class AnnualPlanForm(forms.ModelForm):
    class Meta:
        model = AnnualPlan
        fields = [
            "district",
            "year",
            "target_communities",
            "target_households",
            "target_buildings",
            "target_investment",
            "communities",
            "note",
        ]

    def clean(self):
        cleaned = super().clean()
        district = cleaned.get("district")
        outside = planned_outside_district(
            getattr(district, "pk", None), cleaned.get("communities") or []
        )
        if outside:
            self.add_error(
                "communities",
                _("Not in the plan's district: %(names)s.") % {"names": ", ".join(outside)},
            )
        return cleaned


@admin.register(AnnualPlan)
class AnnualPlanAdmin(BaseAdmin):
    form = AnnualPlanForm
    resource_classes = [AnnualPlanResource]
    list_display = [
        "district",
        "year",
        "target_communities",
        "target_households",
        "target_buildings",
        "target_investment",
    ]
    list_filter = ["year", "district"]
    list_select_related = ["district"]
    autocomplete_fields = ["district", "communities"]
    fields = [
        ("district", "year"),
        ("target_communities", "target_households", "target_buildings"),
        "target_investment",
        "communities",
        "note",
    ]
