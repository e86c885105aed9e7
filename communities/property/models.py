"""Property services (物业服务): who keeps a community up after renovation, over time."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from communities.core.bounds import BoundedDateField
from communities.core.constraints import CheckedInOneQuery
from communities.core.history import HistoricalRecords
from communities.places.models import Community
from communities.property.choices import ManagementMode


class PropertyServiceQuerySet(models.QuerySet):
    def covering(self, on: date) -> "PropertyServiceQuerySet":
        """Services whose contract covers the given day."""
        return self.filter(
            Q(contract_end__isnull=True) | Q(contract_end__gte=on), contract_start__lte=on
        )

    def ending_within(self, days: int, on: date) -> "PropertyServiceQuerySet":
        """Renewal reminders: contracts ending in the ``days`` days from ``on`` (both included)
        whose community has no later contract lined up yet (served by ``service_contract_end``).
        """
        successor = PropertyService.objects.filter(
            community_id=OuterRef("community_id"), contract_start__gt=OuterRef("contract_end")
        )
        return self.filter(
            contract_end__gte=on, contract_end__lte=on + timedelta(days=days)
        ).exclude(Exists(successor))

    def in_trial(self, on: date) -> "PropertyServiceQuerySet":
        """Services still in their low-cost trial period (先尝后买) on ``on``."""
        return self.covering(on).filter(trial_end__gte=on)


class PropertyService(CheckedInOneQuery, models.Model):
    """A contract (or fallback arrangement) that keeps a community up for a period."""

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "community__district"

    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        related_name="property_services",
        verbose_name=_("community"),
    )
    mode = models.CharField(_("management mode"), max_length=20, choices=ManagementMode)
    is_red_property = models.BooleanField(
        _("red property"),
        default=False,
        help_text=_(
            "Party-building led: company, neighbourhood committee, owners' committee and grid "
            "inspectors work as one."
        ),
    )
    provider_name = models.CharField(_("provider"), max_length=100)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("service phone"), max_length=30, blank=True)
    contract_start = BoundedDateField(_("contract start"))
    contract_end = BoundedDateField(
        _("contract end"),
        null=True,
        blank=True,
        help_text=_("Leave empty for an open-ended service."),
    )
    fee_per_m2_month = models.DecimalField(
        _("fee (yuan per m² per month)"), max_digits=6, decimal_places=2, default=Decimal("0")
    )
    trial_end = BoundedDateField(
        _("trial period ends"),
        null=True,
        blank=True,
        help_text=_("Try before you buy (先尝后买): the end of the low-cost trial."),
    )
    history = HistoricalRecords()

    objects = PropertyServiceQuerySet.as_manager()

    class Meta:
        app_label = "communities"
        verbose_name = _("property service")
        verbose_name_plural = _("property services")
        ordering = ["community_id", "-contract_start"]
        indexes = [
            # Coverage on a date: the headline figure and "who manages it now".
            models.Index(
                fields=["community", "contract_start", "contract_end"], name="service_coverage"
            ),
            # Renewal reminders: contracts ending soon.
            models.Index(fields=["contract_end"], name="service_contract_end"),
            # The classified-management view (?property_mode=).
            models.Index(fields=["mode"], name="service_mode"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(contract_end__isnull=True) | Q(contract_end__gte=F("contract_start")),
                name="%(app_label)s_%(class)s_end_after_start",
                violation_error_message=_("The contract cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(trial_end__isnull=True) | Q(trial_end__gte=F("contract_start")),
                name="%(app_label)s_%(class)s_trial_after_start",
                violation_error_message=_("The trial cannot end before the contract starts."),
            ),
            models.CheckConstraint(
                condition=Q(fee_per_m2_month__gte=0),
                name="%(app_label)s_%(class)s_fee_not_negative",
                violation_error_message=_("The fee cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} · {self.provider_name}"

    @classmethod
    def company_condition(cls, company: str) -> Q:
        """A property company's own service records (``core.scoping``)."""
        return Q(provider_name=company)

    def covers(self, on: date) -> bool:
        return self.contract_start <= on and (self.contract_end is None or self.contract_end >= on)

    def in_trial_on(self, on: date) -> bool:
        return self.covers(on) and self.trial_end is not None and self.trial_end >= on

    def days_left(self, on: date) -> int | None:
        """Days from ``on`` to the contract's end (None for an open-ended service)."""
        return None if self.contract_end is None else (self.contract_end - on).days

    def clean(self) -> None:
        """A community has one service at a time: refuse overlapping periods (runs one query)."""
        if self.trial_end and self.contract_end and self.trial_end > self.contract_end:
            raise ValidationError({"trial_end": _("The trial cannot outlast the contract.")})
        if not self.community_id or not self.contract_start:
            return
        overlapping = PropertyService.objects.filter(community_id=self.community_id).exclude(
            pk=self.pk
        )
        overlapping = overlapping.filter(
            Q(contract_end__isnull=True) | Q(contract_end__gte=self.contract_start)
        )
        if self.contract_end:
            overlapping = overlapping.filter(contract_start__lte=self.contract_end)
        clash = overlapping.order_by("contract_start").first()
        if clash:
            raise ValidationError(
                {
                    "contract_start": _(
                        "This period overlaps the service of %(provider)s from %(start)s."
                    )
                    % {"provider": clash.provider_name, "start": clash.contract_start}
                }
            )
