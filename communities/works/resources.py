"""Spreadsheet import and export of renovation items, funding lines and facilities, with the
admin's rules and scope."""

from __future__ import annotations

from import_export import fields, widgets

from communities.core.imports import ScopedResource
from communities.works.models.facilities import Facility
from communities.works.models.items import FundingLine, RenovationItem, RenovationKind
from communities.works.models.quantities import ItemQuantity
from communities.works.services import renovation_item_saved


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

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        instance._fw_created = instance.pk is None

    def after_save_instance(self, instance, row, **kwargs):
        """The item's place in its community, then the community's status and dates."""
        super().after_save_instance(instance, row, **kwargs)
        if self._is_using_transactions(kwargs) or not self._is_dry_run(kwargs):
            renovation_item_saved(
                item=instance, created=getattr(instance, "_fw_created", False), by=self.user
            )


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
