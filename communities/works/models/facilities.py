"""Public facilities built or renovated in a community."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communities.core.bounds import BoundedDateField
from communities.core.constraints import CheckedInOneQuery
from communities.core.history import HistoricalRecords
from communities.places.models import Community
from communities.works.choices import FacilityKind
from communities.works.models.items import RenovationItem


class Facility(CheckedInOneQuery, models.Model):
    # Scope (core.scoping): the lookup from here to the district.
    district_path = "community__district"
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="facilities", verbose_name=_("community")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=FacilityKind)
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Seats, places or charging points.")
    )
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    opened_on = BoundedDateField(
        _("opened on"), null=True, blank=True, help_text=_("Leave empty while it is not yet open.")
    )
    renovation_item = models.ForeignKey(
        RenovationItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilities",
        verbose_name=_("built by renovation item"),
    )
    history = HistoricalRecords()

    class Meta:
        app_label = "communities"
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["community_id", "kind", "name"]
        indexes = [
            # Facilities by kind (stats, ?kind=), open ones only.
            models.Index(fields=["kind", "opened_on"], name="facility_kind_opened"),
            # A community's facilities in order.
            models.Index(fields=["community", "kind", "name"], name="facility_community_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(area_m2__isnull=True) | Q(area_m2__gte=0),
                name="%(app_label)s_%(class)s_area_not_negative",
                violation_error_message=_("The area cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (
            self.renovation_item_id
            and self.community_id
            and self.renovation_item.community_id != self.community_id
        ):
            raise ValidationError(
                {"renovation_item": _("The renovation item belongs to another community.")}
            )
