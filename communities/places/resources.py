"""Spreadsheet import and export of communities and buildings, with the admin's rules and scope."""

from __future__ import annotations

from import_export import fields, widgets

from communities.core.imports import ScopedResource
from communities.places.models import Building, Community, District


class CommunityResource(ScopedResource):
    district = fields.Field(
        attribute="district",
        column_name="district",
        widget=widgets.ForeignKeyWidget(District, field="code"),
    )

    class Meta(ScopedResource.Meta):
        model = Community
        fields = [
            "id",
            "name",
            "district",
            "subdistrict",
            "neighbourhood",
            "address",
            "latitude",
            "longitude",
            "year_built",
            "buildings_count",
            "households",
            "floor_area_m2",
            "renovation_year",
            "renovation_status",
            "started_on",
            "completed_on",
            "is_demonstration",
            "demonstration_note",
        ]


class BuildingResource(ScopedResource):
    class Meta(ScopedResource.Meta):
        model = Building
        fields = [
            "id",
            "community",
            "label",
            "storeys",
            "entrance_units",
            "households",
            "year_built",
            "safety_grade",
            "appraised_on",
            "appraiser",
        ]
