"""Spreadsheet import and export of renovation items, funding lines and facilities, with the
admin's rules and scope."""

from __future__ import annotations

from import_export import fields, widgets

from communities.core.imports import ScopedResource
from communities.works.models.facilities import Facility
from communities.works.models.items import FundingLine, RenovationItem, RenovationKind
from communities.works.models.quantities import ItemQuantity


class RenovationItemResource(ScopedResource):
    kind = fields.Field(
        attribute="kind",
        column_name="kind",
        widget=widgets.ForeignKeyWidget(RenovationKind, field="code"),
    )

    class Meta(ScopedResource.Meta):
        model = RenovationItem
        fields = [
            "id",
            "community",
            "building",
            "kind",
            "title",
            "description",
            "quantity",
            "unit",
            "budget",
            "spent",
            "status",
            "progress",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "contractor",
            "supervisor",
        ]


class FundingLineResource(ScopedResource):
    class Meta(ScopedResource.Meta):
        model = FundingLine
        fields = ["id", "item", "source", "amount", "note"]


class FacilityResource(ScopedResource):
    class Meta(ScopedResource.Meta):
        model = Facility
        fields = [
            "id",
            "community",
            "kind",
            "name",
            "capacity",
            "area_m2",
            "opened_on",
            "renovation_item",
        ]


class ItemQuantityResource(ScopedResource):
    class Meta(ScopedResource.Meta):
        model = ItemQuantity
        fields = ["id", "item", "measure", "amount"]
