"""Spreadsheet import and export of the annual plans, with the admin's rules and scope."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from import_export import fields, widgets

from communities.core.imports import ScopedResource
from communities.places.models import Community, District
from communities.reporting.models import AnnualPlan
from communities.reporting.policy import planned_outside_district


class AnnualPlanResource(ScopedResource):
    district = fields.Field(
        attribute="district",
        column_name="district",
        widget=widgets.ForeignKeyWidget(District, field="code"),
    )
    communities = fields.Field(
        attribute="communities",
        column_name="communities",
        widget=widgets.ManyToManyWidget(Community, field="id"),
    )

    class Meta(ScopedResource.Meta):
        model = AnnualPlan
        fields = [
            "id",
            "district",
            "year",
            "target_communities",
            "target_households",
            "target_buildings",
            "target_investment",
            "communities",
            "note",
        ]

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if is_m2m and field.attribute == "communities":
            planned = field.clean(row)
            outside = planned_outside_district(instance.district_id, planned or [])
            if outside:
                raise ValidationError({"communities": ", ".join(outside)})
        return super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)
