"""Spreadsheet import and export of inspections, findings and rectification orders (for offices
that collect them on paper), with the admin's rules and scope: a file with any invalid row
saves nothing and reports every bad row."""

from __future__ import annotations

from import_export import fields, widgets

from communities.construction.models import Finding, Inspection, Party, RectificationOrder
from communities.core.imports import ScopedResource


class InspectionResource(ScopedResource):
    class Meta(ScopedResource.Meta):
        model = Inspection
        fields = ["id", "community", "item", "visited_on", "inspector", "kind", "note"]


class FindingResource(ScopedResource):
    class Meta(ScopedResource.Meta):
        model = Finding
        fields = ["id", "inspection", "severity", "description", "standard_cited"]


class RectificationOrderResource(ScopedResource):
    """Orders as issued: the contractor named by its credit code. Their status moves only
    through the admin's actions and the API, never by a spreadsheet."""

    contractor = fields.Field(
        attribute="contractor",
        column_name="contractor",
        widget=widgets.ForeignKeyWidget(Party, field="credit_code"),
    )

    class Meta(ScopedResource.Meta):
        model = RectificationOrder
        fields = ["id", "finding", "contractor", "issued_on", "deadline"]
        export_order = ["id", "finding", "contractor", "issued_on", "deadline"]
