"""What a renovation item delivered, in the national survey's measures (km of pipe, parking
spaces, charging points, m² of energy-saving retrofit...), and which measures each kind of work
may carry (data, extended by staff with their own kinds)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communities.core.constraints import CheckedInOneQuery
from communities.core.history import HistoricalRecords
from communities.places.models import NOT_NEGATIVE
from communities.works.choices import MEASURE_UNITS, Measure
from communities.works.models.items import RenovationItem, RenovationKind


class KindMeasure(models.Model):
    """One measure an item of ``kind`` may record (city-wide data, like the kinds)."""

    kind = models.ForeignKey(
        RenovationKind, on_delete=models.CASCADE, related_name="measures", verbose_name=_("kind")
    )
    measure = models.CharField(_("measure"), max_length=30, choices=Measure)
    history = HistoricalRecords()

    class Meta:
        app_label = "communities"
        verbose_name = _("measure of a kind")
        verbose_name_plural = _("measures of kinds")
        ordering = ["kind_id", "measure"]  # served by the unique constraint's index
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "measure"],
                name="%(app_label)s_%(class)s_once_per_kind",
                violation_error_message=_("This kind already carries this measure."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.get_measure_display()}"


class ItemQuantity(CheckedInOneQuery, models.Model):
    """How much of one measure an item delivered (its unit is the measure's, MEASURE_UNITS)."""

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "item__community__district"

    item = models.ForeignKey(
        RenovationItem,
        on_delete=models.CASCADE,
        related_name="quantities",
        verbose_name=_("renovation item"),
    )
    measure = models.CharField(_("measure"), max_length=30, choices=Measure)
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, validators=[NOT_NEGATIVE]
    )
    history = HistoricalRecords()

    class Meta:
        app_label = "communities"
        verbose_name = _("quantity delivered")
        verbose_name_plural = _("quantities delivered")
        ordering = ["item_id", "measure"]  # served by the unique constraint's index
        indexes = [
            # The monthly return's quantities delivered, summed per measure.
            models.Index(fields=["measure", "item"], name="quantity_measure_item"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "measure"],
                name="%(app_label)s_%(class)s_once_per_item",
                violation_error_message=_("This item already records this measure."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="%(app_label)s_%(class)s_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()} {self.amount} {self.unit}"

    @property
    def unit(self) -> str:
        return MEASURE_UNITS.get(self.measure, "")

    def clean(self) -> None:
        """Only a measure the item's kind carries (one query)."""
        try:
            item = self.item  # the admin's inline sets an item not saved yet
        except RenovationItem.DoesNotExist:
            return
        if not self.measure or not item.kind_id:
            return
        kind_id = item.kind_id
        if not KindMeasure.objects.filter(kind_id=kind_id, measure=self.measure).exists():
            raise ValidationError(
                {
                    "measure": _(
                        "An item of the kind %(kind)s cannot record %(measure)s; declare the "
                        "measure for the kind first."
                    )
                    % {"kind": item.kind, "measure": self.get_measure_display()}
                }
            )
