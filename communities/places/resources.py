"""Spreadsheet import and export of communities and buildings, with the admin's rules and scope."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from communities.core.imports import ScopedResource
from communities.places.models import Building, BuildingAppraisal, Community, District
from communities.places.services import building_appraisal_record_initial, building_grade_sync


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

    def after_save_instance(self, instance, row, **kwargs):
        """A building imported with its grade gets that appraisal as its first record; an
        import that changes a recorded grade was refused by ``Building.clean``."""
        super().after_save_instance(instance, row, **kwargs)
        if self._is_using_transactions(kwargs) or not self._is_dry_run(kwargs):
            building_appraisal_record_initial(building=instance, by=self.user)


class BuildingAppraisalResource(ScopedResource):
    """Appraisals are added by import, never changed: a row with an id is refused."""

    class Meta(ScopedResource.Meta):
        model = BuildingAppraisal
        fields = ["id", "building", "appraised_on", "grade", "appraiser", "note"]

    RECORDED = ("building_id", "appraised_on", "grade", "appraiser", "note")

    def import_instance(self, instance, row, **kwargs):
        """A row naming a recorded appraisal may only repeat it (a file exported and imported
        again); a row that would change it is refused."""
        before = tuple(getattr(instance, name) for name in self.RECORDED)
        super().import_instance(instance, row, **kwargs)
        after = tuple(getattr(instance, name) for name in self.RECORDED)
        if instance.pk is not None and before != after:
            raise ValidationError(
                {"id": _("A recorded appraisal is not changed: add a new one.")},
                code="appraisal_is_a_record",
            )

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        if self._is_using_transactions(kwargs) or not self._is_dry_run(kwargs):
            building_grade_sync(building=instance.building, by=self.user)
