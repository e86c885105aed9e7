"""Parties (contractors, supervisors, designers), the items they work on, inspections of a
community's site, their findings, and the rectification orders (整改) findings become."""

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Q
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from communities.construction.choices import InspectionKind, OrderStatus, PartyRole, Severity
from communities.construction.policy import credit_code_valid
from communities.core import clock, files
from communities.core.bounds import BoundedDateField
from communities.core.constraints import CheckedInOneQuery
from communities.core.history import HistoricalRecords
from communities.places.models import Community
from communities.works.models.items import RenovationItem


@deconstructible
class CreditCodeValidator:
    """A unified social credit code (统一社会信用代码, GB 32100-2015) with its check character."""

    message = _(
        "Not a valid unified social credit code: 18 characters of 0-9 and A-Y without I, O, S, "
        "V and Z, the last one the check character of the others."
    )

    def __call__(self, value: str) -> None:
        if not credit_code_valid(value):
            raise ValidationError(self.message, code="invalid_credit_code")

    def __eq__(self, other) -> bool:
        return isinstance(other, CreditCodeValidator)


def not_in_future(value) -> None:
    if value is not None and value > clock.today():
        raise ValidationError(_("This date cannot be in the future."), code="future")


def photo_upload_to(instance, filename: str) -> str:
    """``construction-photos/2026/12/<random>.jpg``: the uploader's file name is not kept."""
    today = clock.today()
    extension = files.extension(filename) or "jpg"
    return f"construction-photos/{today:%Y/%m}/{secrets.token_hex(12)}.{extension}"


def _photo_field(verbose_name):
    return files.UploadField(
        verbose_name,
        upload_to=photo_upload_to,
        blank=True,
        max_length=200,
        validators=[FileExtensionValidator(files.PHOTO_EXTENSIONS), files.PhotoValidator()],
    )


class Party(CheckedInOneQuery, models.Model):
    """A company that builds, supervises or designs renovation work, known by its unified social
    credit code. City-wide (no ``district_path``): one company works in several districts."""

    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[CreditCodeValidator()],
        help_text=_("统一社会信用代码: 18 characters, the last a check character."),
    )
    is_contractor = models.BooleanField(_("contractor"), default=False)
    is_supervisor = models.BooleanField(_("supervisor"), default=False)
    is_designer = models.BooleanField(_("designer"), default=False)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        app_label = "communities"
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["name", "id"]
        indexes = [
            # Default ordering (the API's and the admin's lists, the admin's search by name).
            models.Index(fields=["name", "id"], name="party_name"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_contractor=True) | Q(is_supervisor=True) | Q(is_designer=True),
                name="%(app_label)s_%(class)s_has_a_role",
                violation_error_message=_(
                    "A party is a contractor, a supervisor or a designer (one or more)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def holds(self, role: str) -> bool:
        return bool(getattr(self, f"is_{role}", False))

    def clean(self) -> None:
        if self.credit_code:
            self.credit_code = self.credit_code.strip().upper()


class ItemParty(models.Model):
    """A party's part in one renovation item (the item's free-text contractor and supervisor
    stay as they were written)."""

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "item__community__district"

    item = models.ForeignKey(
        RenovationItem,
        on_delete=models.CASCADE,
        related_name="party_links",
        verbose_name=_("renovation item"),
    )
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="item_links", verbose_name=_("party")
    )
    role = models.CharField(_("role"), max_length=20, choices=PartyRole)
    history = HistoricalRecords()

    class Meta:
        app_label = "communities"
        verbose_name = _("item party")
        verbose_name_plural = _("item parties")
        ordering = ["item_id", "role", "id"]  # served by the unique constraint's index
        indexes = [
            # A party's items (the scorecard's item count, ?party= on the links).
            models.Index(fields=["party", "item"], name="itemparty_party_item"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "role", "party"],
                name="%(app_label)s_%(class)s_once_per_role",
                violation_error_message=_("This party already has this role on this item."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.get_role_display()}: {self.party}"

    def clean(self) -> None:
        if self.party_id and self.role and not self.party.holds(self.role):
            raise ValidationError(
                {
                    "party": _("%(party)s is not registered as a %(role)s.")
                    % {"party": self.party.name, "role": self.get_role_display().lower()}
                }
            )


class Inspection(models.Model):
    """A visit to a community's site, or to one of its items: by a supervisor or the city."""

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "community__district"

    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        related_name="inspections",
        verbose_name=_("community"),
    )
    item = models.ForeignKey(
        RenovationItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("renovation item"),
        help_text=_("Leave empty for a visit to the whole site."),
    )
    visited_on = BoundedDateField(_("date of the visit"), validators=[not_in_future])
    inspector = models.CharField(
        _("inspector"), max_length=100, help_text=_("Who inspected, and for whom.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=InspectionKind)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        app_label = "communities"
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-visited_on", "-id"]
        indexes = [
            # Default ordering: the latest visits first.
            models.Index(fields=["-visited_on", "-id"], name="inspection_latest"),
            # A community's inspections (?community=, the community page), latest first.
            models.Index(fields=["community", "-visited_on"], name="inspection_community"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.visited_on}"

    def clean(self) -> None:
        if self.item_id and self.community_id and self.item.community_id != self.community_id:
            raise ValidationError({"item": _("The item belongs to another community.")})


class Finding(models.Model):
    """What an inspection found, how serious it is, and the rule or standard it breaks."""

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "inspection__community__district"

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="findings", verbose_name=_("inspection")
    )
    severity = models.CharField(_("severity"), max_length=20, choices=Severity)
    description = models.TextField(_("description"))
    standard_cited = models.CharField(
        _("rule or standard cited"),
        max_length=200,
        blank=True,
        help_text=_("For example GB 50300-2013, 4.0.7."),
    )
    photo = _photo_field(_("photo"))
    history = HistoricalRecords()

    class Meta:
        app_label = "communities"
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["inspection_id", "id"]
        indexes = [
            # An inspection's findings in order (inline, ?inspection=).
            models.Index(fields=["inspection", "id"], name="finding_inspection"),
            # ?severity= across the city (major hazards).
            models.Index(fields=["severity"], name="finding_severity"),
        ]

    def __str__(self) -> str:
        return f"{self.get_severity_display()}: {self.description[:40]}"


class RectificationOrder(CheckedInOneQuery, models.Model):
    """A finding that needs work, ordered to a contractor with a deadline (整改). Its status
    moves only through the services (``communities.construction.services``)."""

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "finding__inspection__community__district"

    finding = models.OneToOneField(
        Finding, on_delete=models.CASCADE, related_name="order", verbose_name=_("finding")
    )
    contractor = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="orders", verbose_name=_("contractor")
    )
    issued_on = BoundedDateField(_("issued on"), validators=[not_in_future])
    deadline = BoundedDateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus, default=OrderStatus.OPEN
    )
    fixed_on = BoundedDateField(_("reported fixed on"), null=True, blank=True)
    fix_note = models.TextField(_("contractor's report"), blank=True)
    fix_photo = _photo_field(_("photo of the fix"))
    closed_on = BoundedDateField(_("closed on"), null=True, blank=True)
    reopen_note = models.TextField(_("why it was reopened"), blank=True)
    times_reopened = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    history = HistoricalRecords()

    class Meta:
        app_label = "communities"
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")
        ordering = ["deadline", "id"]
        indexes = [
            # Default ordering; ?overdue= (open, deadline before today) and the desk's list.
            models.Index(fields=["status", "deadline"], name="order_status_deadline"),
            models.Index(fields=["deadline", "id"], name="order_deadline"),
            # A contractor's orders (the scorecard's counts, ?contractor=).
            models.Index(fields=["contractor", "status", "deadline"], name="order_contractor"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=F("issued_on")),
                name="%(app_label)s_%(class)s_deadline_after_issue",
                violation_error_message=_("The deadline cannot be before the order was issued."),
            ),
            models.CheckConstraint(
                condition=Q(fixed_on__isnull=True) | Q(fixed_on__gte=F("issued_on")),
                name="%(app_label)s_%(class)s_fixed_after_issue",
                violation_error_message=_("It cannot be fixed before the order was issued."),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | (Q(fixed_on__isnull=False) & Q(closed_on__gte=F("fixed_on"))),
                name="%(app_label)s_%(class)s_closed_after_fixed",
                violation_error_message=_(
                    "An order is closed on or after the day it was reported fixed."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(status="open") & Q(fixed_on__isnull=True) & Q(closed_on__isnull=True))
                | (
                    Q(status="reported_fixed")
                    & Q(fixed_on__isnull=False)
                    & Q(closed_on__isnull=True)
                )
                | (Q(status="closed") & Q(fixed_on__isnull=False) & Q(closed_on__isnull=False)),
                name="%(app_label)s_%(class)s_dates_match_status",
                violation_error_message=_(
                    "An open order has no fix date, a fixed one has no closing date, and a closed "
                    "one has both."
                ),
            ),
        ]

    def __str__(self) -> str:
        return _("Order %(number)s") % {"number": self.pk or "—"}

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.contractor_id and not self.contractor.is_contractor:
            errors["contractor"] = [
                _("%(party)s is not registered as a contractor.") % {"party": self.contractor.name}
            ]
        if self.finding_id and self.issued_on:
            visited = self.finding.inspection.visited_on
            if visited and self.issued_on < visited:
                errors["issued_on"] = [
                    _("An order is issued on or after the inspection (%(day)s).")
                    % {"day": visited.isoformat()}
                ]
        for name in ("fixed_on", "closed_on"):
            if getattr(self, name) is not None and getattr(self, name) > clock.today():
                errors.setdefault(name, []).append(_("This date cannot be in the future."))
        if errors:
            raise ValidationError(errors)


# Before-and-after photos: their own module, registered with the models here.
# Completion acceptance (竣工验收) and the settlement audit (结算审计): their own module, tables
# of this part all the same.
from communities.construction.acceptance import (  # noqa: E402, F401
    Acceptance,
    AcceptanceCondition,
    AcceptanceDocument,
    AcceptanceParty,
    AcceptanceResident,
    Settlement,
)
from communities.construction.photo_models import Photo  # noqa: E402, F401
