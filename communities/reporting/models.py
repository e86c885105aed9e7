"""The returns upward: the annual plan the province assigns each district, and the monthly
returns as they were submitted (kept as submitted, never recomputed)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communities.core.constraints import CheckedInOneQuery
from communities.core.history import HistoricalRecords
from communities.core.money import MONEY
from communities.places.models import NOT_NEGATIVE, Community, District

REGION_PATTERN = r"^[0-9]{2}([0-9]{2}([0-9]{2})?)?$"
PERIOD_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"


class AnnualPlan(CheckedInOneQuery, models.Model):
    """A district's targets for one year, as the province assigned them (年度计划), with the
    communities planned for that year."""

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "district"

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="annual_plans", verbose_name=_("district")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    target_communities = models.PositiveIntegerField(_("target communities"), default=0)
    target_households = models.PositiveIntegerField(_("target households"), default=0)
    target_buildings = models.PositiveIntegerField(_("target buildings"), default=0)
    target_investment = models.DecimalField(
        _("target investment (yuan)"), default=0, validators=[NOT_NEGATIVE], **MONEY
    )
    communities = models.ManyToManyField(
        Community,
        blank=True,
        related_name="annual_plans",
        verbose_name=_("planned communities"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        app_label = "communities"
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")
        ordering = ["-year", "district_id"]
        indexes = [
            # The default ordering, and the monthly return's plan of one year.
            models.Index(fields=["year", "district"], name="annualplan_year_district"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "year"],
                name="%(app_label)s_%(class)s_one_per_district_year",
                violation_error_message=_("This district already has a plan for this year."),
            ),
            models.CheckConstraint(
                condition=Q(target_investment__gte=0),
                name="%(app_label)s_%(class)s_investment_not_negative",
                violation_error_message=_("The target investment cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="%(app_label)s_%(class)s_year_range",
                violation_error_message=_("The year must be between 2000 and 2100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district} {self.year}"


class SubmittedReturn(CheckedInOneQuery, models.Model):
    """A monthly return as submitted: its figures are kept exactly as they were, never
    recomputed; later corrections show as variances in the next return."""

    # Scope (core.scoping): a district's own returns; a city's or province's (``district``
    # empty) only for staff whose scope is the whole programme.
    district_path = "district"

    region = models.CharField(
        _("region"),
        max_length=6,
        validators=[RegexValidator(REGION_PATTERN, _("Enter a 2, 4 or 6-digit region code."))],
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submitted_returns",
        verbose_name=_("district"),
        help_text=_("The district, when the region is one."),
    )
    period = models.CharField(
        _("period"),
        max_length=7,
        validators=[RegexValidator(PERIOD_PATTERN, _("Enter the period as YYYY-MM."))],
    )
    figures = models.JSONField(_("figures as submitted"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        app_label = "communities"
        verbose_name = _("submitted return")
        verbose_name_plural = _("submitted returns")
        ordering = ["-submitted_at", "-id"]
        permissions = [("submit_return", _("Can submit a monthly return"))]
        indexes = [
            # The default ordering (the list of submitted returns).
            models.Index(fields=["-submitted_at", "-id"], name="return_submitted_at"),
            # The last submitted return of a region (the next return's variances).
            models.Index(fields=["region", "-submitted_at"], name="return_region_submitted"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(region__regex=REGION_PATTERN),
                name="%(app_label)s_%(class)s_region_code",
                violation_error_message=_("Enter a 2, 4 or 6-digit region code."),
            ),
            models.CheckConstraint(
                condition=Q(period__regex=PERIOD_PATTERN),
                name="%(app_label)s_%(class)s_period_format",
                violation_error_message=_("Enter the period as YYYY-MM."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.period}"
