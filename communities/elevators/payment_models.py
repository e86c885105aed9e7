"""The owners' money for an elevator retrofit (居民出资): what each household was invoiced for its
share, what it paid and when, and from where (its housing maintenance fund, cash, a transfer);
and the city's rule of how much of the owners' part must be collected before construction.

Imported by ``elevators/models.py`` so Django registers the tables; the rule the move to
construction checks and the writes are in ``elevators/payments.py``.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from communities.core.bounds import BoundedDateField
from communities.core.constraints import CheckedInOneQuery
from communities.core.history import HistoricalRecords
from communities.core.locks import Lock, Locked
from communities.core.money import CENT, MONEY
from communities.elevators.choices import PaymentSource

# The share of the owners' part collected before construction when no rule covers a district:
# all of it (the cautious reading of "出资到位后方可开工").
DEFAULT_REQUIRED_PERCENT = Decimal("100")


class CollectionRule(CheckedInOneQuery, models.Model):
    """How much of the owners' part (居民出资) must be collected before construction starts, for
    a region: a city (370900 covers every district of Tai'an), a province or one district.

    Data, not a setting: districts of one city and cities of one deployment set it differently
    and change it by notice, and staff change it without a release. The most local rule
    covering a retrofit's district applies at its move to construction; without one, 100 %.
    """

    region_name = models.CharField(_("region"), max_length=50, help_text=_("For example 泰安市."))
    region_code = models.CharField(
        _("region's administrative code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", _("Enter the 6-digit administrative code."))],
        help_text=_(
            "370900 covers every district of Tai'an (codes 3709…); 370000 the province; a "
            "district's own code only that district."
        ),
    )
    required_percent = models.DecimalField(
        _("share collected before construction (%)"),
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_REQUIRED_PERCENT,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("Of the owners' part, what must be paid before construction may start."),
    )
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("The policy document.")
    )
    history = HistoricalRecords()

    class Meta:
        app_label = "communities"
        verbose_name = _("collection rule")
        verbose_name_plural = _("collection rules")
        ordering = ["region_code"]  # served by the unique index on region_code
        constraints = [
            models.CheckConstraint(
                condition=Q(required_percent__gte=0) & Q(required_percent__lte=100),
                name="%(app_label)s_%(class)s_percent_range",
                violation_error_message=_("The share is a percentage from 0 to 100."),
            ),
            models.CheckConstraint(
                condition=Q(region_code__regex=r"^[0-9]{6}$"),
                name="%(app_label)s_%(class)s_region_code_six_digits",
                violation_error_message=_("The administrative code must be 6 digits."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(region)s: %(percent)s%% before construction") % {
            "region": self.region_name,
            "percent": format(self.required_percent.normalize(), "f"),
        }


def _payments_recorded(invoice: "ShareInvoice", stored) -> bool:
    """One query: whether money has been paid against this invoice."""
    return invoice.payments.exists()


class ShareInvoice(Locked, CheckedInOneQuery, models.Model):
    """What one household was asked to pay of one retrofit's owners' part (缴款通知), and when.

    The amount is the household's share as published with the notice (``cost_sharing``): an
    invoice is issued only once the notice has fixed the shares, and always for the share.
    Once money is paid against it, it stays on its household and retrofit.
    """

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "retrofit__building__community__district"

    retrofit = models.ForeignKey(
        "communities.ElevatorRetrofit",
        on_delete=models.CASCADE,
        related_name="invoices",
        verbose_name=_("elevator retrofit"),
    )
    household = models.ForeignKey(
        "communities.Household",
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("household"),
    )
    amount = models.DecimalField(
        _("amount invoiced (yuan)"),
        help_text=_("The household's share of the owners' part, as the notice fixed it."),
        **MONEY,
    )
    invoiced_on = BoundedDateField(_("invoiced on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    locks = (
        Lock(
            fields=("retrofit", "household"),
            also=_payments_recorded,
            decision=_(
                "Payments are recorded against this invoice (%(fields)s): it stays on its "
                "household and retrofit."
            ),
        ),
    )

    class Meta:
        app_label = "communities"
        verbose_name = _("owner's invoice")
        verbose_name_plural = _("owners' invoices")
        ordering = ["retrofit_id", "household_id"]  # served by the unique constraint's index
        constraints = [
            models.UniqueConstraint(
                fields=["retrofit", "household"],
                name="%(app_label)s_%(class)s_one_per_household",
                violation_error_message=_(
                    "This household already has an invoice for this retrofit."
                ),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="%(app_label)s_%(class)s_amount_not_negative",
                violation_error_message=_("An amount cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(household)s: ¥%(amount)s") % {
            "household": self.household,
            "amount": self.amount,
        }

    def clean(self) -> None:
        """The household is of the retrofit's unit, the notice has fixed the shares, and the
        amount is the household's share (one query for the shares, one for what was paid)."""
        errors: dict[str, str] = {}
        if self.invoiced_on and self.invoiced_on > date.today():
            errors["invoiced_on"] = _("An invoice cannot be dated in the future.")
        if not (self.retrofit_id and self.household_id):
            if errors:
                raise ValidationError(errors)
            return
        retrofit, household = self.retrofit, self.household
        if (household.building_id, household.entrance_unit) != (
            retrofit.building_id,
            retrofit.entrance_unit,
        ):
            errors["household"] = _("This household is not in the retrofit's entrance unit.")
        elif not retrofit.shares_published:
            errors["retrofit"] = _(
                "The shares are invoiced once the public notice has fixed them (and not for a "
                "withdrawn retrofit)."
            )
        else:
            if self.invoiced_on and retrofit.notice_on and self.invoiced_on < retrofit.notice_on:
                errors["invoiced_on"] = _(
                    "An invoice cannot be dated before the public notice of %(date)s."
                ) % {"date": retrofit.notice_on.isoformat()}
            share = household_share(retrofit, household.pk)
            if share is None:
                errors["retrofit"] = _("The cost of this retrofit cannot be shared yet.")
            elif self.amount is not None and self.amount != share:
                errors["amount"] = _(
                    "The amount is the household's share as the notice fixed it: ¥%(share)s."
                ) % {"share": share}
        if self.pk and self.amount is not None and "amount" not in errors:
            paid = _sum(self.payments.all())
            if paid > self.amount:
                errors["amount"] = _("¥%(paid)s has already been paid against this invoice.") % {
                    "paid": paid
                }
        if errors:
            raise ValidationError(errors)


def _sum(payments) -> Decimal:
    """The payments' total to the cent (one query; SQLite adds decimals as floats)."""
    total = payments.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return Decimal(total).quantize(CENT)


def household_share(retrofit, household_id: int) -> Decimal | None:
    """The household's share of the retrofit's owners' part (one query), or None when the
    cost cannot be shared (no households, nobody above the floors that pay nothing)."""
    sharing = retrofit.cost_sharing(public=True)
    if sharing.problem:
        return None
    for share in sharing.households:
        if share.household_id == household_id:
            return share.share
    return None


class SharePayment(CheckedInOneQuery, models.Model):
    """One payment of a household towards its invoice: how much, when, and from where.

    Several payments may settle one invoice; together they never exceed it (no refunds: a
    mistaken payment is corrected or deleted, and history keeps what it was). Payments from
    the housing maintenance fund never exceed, over the retrofit, what the retrofit says the
    fund pays (``ElevatorRetrofit.maintenance_fund``). ``retrofit`` is the invoice's, kept here
    so a retrofit's money is summed without a join and goes with the retrofit.
    """

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "retrofit__building__community__district"

    retrofit = models.ForeignKey(
        "communities.ElevatorRetrofit",
        on_delete=models.CASCADE,
        related_name="payments",
        verbose_name=_("elevator retrofit"),
        help_text=_("The invoice's retrofit (set from the invoice)."),
    )
    # RESTRICT, not PROTECT: an invoice with payments is not deleted on its own (409 in the
    # API), but goes with its retrofit, which takes the payments with it (the demo's reset).
    invoice = models.ForeignKey(
        ShareInvoice,
        on_delete=models.RESTRICT,
        related_name="payments",
        verbose_name=_("invoice"),
    )
    amount = models.DecimalField(_("amount paid (yuan)"), **MONEY)
    paid_on = BoundedDateField(_("paid on"))
    source = models.CharField(_("paid from"), max_length=20, choices=PaymentSource)
    reference = models.CharField(
        _("reference"),
        max_length=60,
        blank=True,
        help_text=_("The receipt, transfer or fund withdrawal number."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        app_label = "communities"
        verbose_name = _("owner's payment")
        verbose_name_plural = _("owners' payments")
        ordering = ["invoice_id", "paid_on", "id"]
        indexes = [
            # An invoice's payments in order (admin inline, API), and what it has been paid.
            models.Index(fields=["invoice", "paid_on", "id"], name="share_payment_invoice"),
            # A retrofit's money by source: collected, and drawn from the maintenance fund.
            models.Index(fields=["retrofit", "source"], name="share_payment_retrofit"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="%(app_label)s_%(class)s_amount_positive",
                violation_error_message=_("A payment is more than ¥0."),
            ),
        ]

    def __str__(self) -> str:
        return _("¥%(amount)s on %(day)s") % {"amount": self.amount, "day": self.paid_on}

    def clean_fields(self, exclude=None) -> None:
        if self.invoice_id:
            self.retrofit_id = (
                ShareInvoice.objects.filter(pk=self.invoice_id)
                .values_list("retrofit_id", flat=True)
                .first()
            )
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        """Dated from the invoice to today; the invoice's payments never exceed it, nor the
        retrofit's fund payments its maintenance fund (two or three queries)."""
        errors: dict[str, str] = {}
        if self.paid_on and self.paid_on > date.today():
            errors["paid_on"] = _("A payment cannot be dated in the future.")
        if self.invoice_id and self.amount is not None:
            invoice = self.invoice
            if self.paid_on and self.paid_on < invoice.invoiced_on:
                errors["paid_on"] = _(
                    "A payment cannot be dated before its invoice of %(date)s."
                ) % {"date": invoice.invoiced_on.isoformat()}
            others = SharePayment.objects.filter(invoice_id=self.invoice_id).exclude(pk=self.pk)
            paid = _sum(others)
            if paid + self.amount > invoice.amount:
                errors["amount"] = _(
                    "The payments would exceed the invoice: ¥%(invoice)s invoiced, "
                    "¥%(paid)s already paid, ¥%(left)s left to pay."
                ) % {"invoice": invoice.amount, "paid": paid, "left": invoice.amount - paid}
            if self.source == PaymentSource.MAINTENANCE_FUND and "amount" not in errors:
                retrofit = invoice.retrofit
                drawn = _sum(
                    SharePayment.objects.filter(
                        retrofit_id=invoice.retrofit_id, source=PaymentSource.MAINTENANCE_FUND
                    ).exclude(pk=self.pk)
                )
                if drawn + self.amount > retrofit.maintenance_fund:
                    errors["source"] = _(
                        "The retrofit draws ¥%(fund)s from the housing maintenance fund and "
                        "¥%(drawn)s is already drawn: pay the rest in cash or by transfer."
                    ) % {"fund": retrofit.maintenance_fund, "drawn": drawn}
        if errors:
            raise ValidationError(errors)
