"""Spreadsheet import and export of the annual plans, with the admin's rules and scope."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
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

    def before_import_row(self, row, **kwargs):
        self._row = row  # validate_instance weighs the planned communities of this row
        super().before_import_row(row, **kwargs)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """A plan lists only its own district's communities (checked before anything is
        saved, as the admin's form and the API do)."""
        super().validate_instance(instance, import_validation_errors, validate_unique)
        row = getattr(self, "_row", None)
        field = self.fields["communities"]
        if row is None or field.column_name not in row:
            return
        try:
            planned = field.clean(row) or []
        except (ArithmeticError, TypeError, ValueError) as exc:
            raise ValidationError({"communities": str(exc)}) from exc
        outside = planned_outside_district(instance.district_id, planned)
        if outside:
            raise ValidationError(
                {
                    "communities": _("Not in the plan's district: %(names)s.")
                    % {"names": ", ".join(outside)}
                }
            )
