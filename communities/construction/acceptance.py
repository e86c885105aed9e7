"""Completion acceptance (竣工验收) as a record, and the settlement audit (结算审计) of an item.

An item becomes ``accepted`` only through an acceptance record whose conclusion accepts it
(``guards.acceptance_guard``, ``services.acceptance_record``). Once recorded, the record's date,
conclusion, builder and attendees are a decision (``core.locks``): only its conditions are met
later. A settlement is the audited final amount of a completed item, frozen once recorded.

Imported by ``construction.models``: the tables stay in this part's models.
"""

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.construction.choices import AcceptanceConclusion, PartyRole
from communities.construction.policy import overspend
from communities.core import clock, files
from communities.core.bounds import BoundedDateField
from communities.core.constraints import CheckedInOneQuery
from communities.core.history import HistoricalRecords
from communities.core.locks import Lock, Locked
from communities.core.money import MONEY
from communities.places.models import NOT_NEGATIVE, Building
from communities.works.choices import ItemStatus
from communities.works.models.items import RenovationItem

RECORDED = _(
    "The acceptance recorded on %(date)s fixed %(fields)s: record a new acceptance instead."
)


def _not_in_future(value) -> None:
    if value is not None and value > clock.today():
        raise ValidationError(_("This date cannot be in the future."), code="future")


def acceptance_document_upload_to(instance, filename: str) -> str:
    """``acceptance-documents/2026/<random>.pdf``: the uploader's file name is kept as title."""
    extension = files.extension(filename) or "pdf"
    return f"acceptance-documents/{clock.today():%Y}/{secrets.token_hex(12)}.{extension}"


def _parent_recorded(instance, stored) -> object:
    """The day the acceptance a row belongs to was recorded (its attendees, documents and
    conditions freeze with it); falsy before. Runs one query."""
    if not instance.acceptance_id:
        return None
    return (
        Acceptance.objects.filter(pk=instance.acceptance_id)
        .values_list("recorded_on", flat=True)
        .first()
    )


def refuse_after_recording(instance) -> None:
    """A row added to an acceptance already recorded is refused (one query)."""
    if instance.pk is None and instance.acceptance_id:
        day = _parent_recorded(instance, {})
        if day:
            raise ValidationError(
                _(
                    "The acceptance recorded on %(date)s fixed its attendees, documents and "
                    "conditions: nothing can be added to it."
                )
                % {"date": day.isoformat()},
                code="frozen",
            )


class Acceptance(Locked, models.Model):
    """The completion acceptance (竣工验收) of one renovation item: who was there, what they
    concluded, the documents, and the conditions still to meet. A draft until recorded
    (``services.acceptance_record``); recorded, it is a decision."""

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "item__community__district"

    item = models.ForeignKey(
        RenovationItem,
        on_delete=models.CASCADE,
        related_name="acceptances",
        verbose_name=_("renovation item"),
    )
    accepted_on = BoundedDateField(_("date of the acceptance"), validators=[_not_in_future])
    conclusion = models.CharField(_("conclusion"), max_length=20, choices=AcceptanceConclusion)
    builder = models.CharField(
        _("builder"),
        max_length=200,
        help_text=_("The employer (建设单位): the district's renovation office."),
    )
    note = models.TextField(_("note"), blank=True)
    recorded_on = BoundedDateField(
        _("recorded on"),
        null=True,
        blank=True,
        help_text=_("Set when the acceptance is recorded; it is then a decision."),
    )
    history = HistoricalRecords()
    locks = (
        Lock(
            fields=("item", "accepted_on", "conclusion", "builder"),
            since="recorded_on",
            decision=RECORDED,
            reason="An acceptance is a decision: a new record, not an edit, changes it.",
        ),
    )

    class Meta:
        app_label = "communities"
        verbose_name = _("acceptance")
        verbose_name_plural = _("acceptances")
        ordering = ["-accepted_on", "-id"]
        indexes = [
            # Default ordering: the latest acceptances first.
            models.Index(fields=["-accepted_on", "-id"], name="acceptance_latest"),
            # An item's acceptances (the guard, ?item=, the community page).
            models.Index(fields=["item", "recorded_on"], name="acceptance_item"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(conclusion__in=["accepted", "with_conditions"])
                & Q(recorded_on__isnull=False),
                name="%(app_label)s_%(class)s_one_acceptance_per_item",
                violation_error_message=_("This item has already been accepted."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.get_conclusion_display()} · {self.accepted_on}"

    @property
    def is_recorded(self) -> bool:
        return self.recorded_on is not None

    @property
    def community_id(self) -> int | None:
        """The community of its item: what a photo taken for it is checked against."""
        return self.item.community_id if self.item_id else None

    @property
    def accepts(self) -> bool:
        return self.conclusion in AcceptanceConclusion.accepting()

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.item_id:
            item = self.item
            if item.status not in ItemStatus.finished():
                errors.setdefault("item", []).append(
                    _("Only a completed item is inspected for acceptance.")
                )
            if self.accepted_on and item.actual_end and self.accepted_on < item.actual_end:
                errors.setdefault("accepted_on", []).append(
                    _("The acceptance cannot be before the work was completed (%(day)s).")
                    % {"day": item.actual_end.isoformat()}
                )
        if errors:
            raise ValidationError(errors)


class AcceptanceParty(Locked, models.Model):
    """A company present at the acceptance, in its role on the item."""

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "acceptance__item__community__district"

    acceptance = models.ForeignKey(
        Acceptance, on_delete=models.CASCADE, related_name="parties", verbose_name=_("acceptance")
    )
    party = models.ForeignKey(
        "communities.Party",
        on_delete=models.PROTECT,
        related_name="acceptances",
        verbose_name=_("party"),
    )
    role = models.CharField(_("role"), max_length=20, choices=PartyRole)
    history = HistoricalRecords()
    locks = (
        Lock(fields=("acceptance", "party", "role"), also=_parent_recorded, decision=RECORDED),
    )

    class Meta:
        app_label = "communities"
        verbose_name = _("party present")
        verbose_name_plural = _("parties present")
        ordering = ["acceptance_id", "role", "id"]  # served by the unique constraint's index
        constraints = [
            models.UniqueConstraint(
                fields=["acceptance", "role", "party"],
                name="%(app_label)s_%(class)s_once_per_role",
                violation_error_message=_("This party is already present in this role."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.party}"

    def clean(self) -> None:
        refuse_after_recording(self)
        if self.party_id and self.role and not self.party.holds(self.role):
            raise ValidationError(
                {
                    "party": _("%(party)s is not registered as a %(role)s.")
                    % {"party": self.party.name, "role": self.get_role_display().lower()}
                }
            )


class AcceptanceResident(Locked, models.Model):
    """A residents' representative present at the acceptance. The name is personal data: staff
    in scope see it; the public sees only how many representatives were there."""

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "acceptance__item__community__district"

    acceptance = models.ForeignKey(
        Acceptance,
        on_delete=models.CASCADE,
        related_name="residents",
        verbose_name=_("acceptance"),
    )
    name = models.CharField(_("name"), max_length=50)
    building = models.ForeignKey(
        Building,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("building"),
    )
    entrance_unit = models.PositiveSmallIntegerField(
        _("entrance unit"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    room_number = models.CharField(_("room number"), max_length=20, blank=True)
    history = HistoricalRecords()
    locks = (
        Lock(
            fields=("acceptance", "name", "building", "entrance_unit", "room_number"),
            also=_parent_recorded,
            decision=RECORDED,
        ),
    )

    class Meta:
        app_label = "communities"
        verbose_name = _("residents' representative")
        verbose_name_plural = _("residents' representatives")
        ordering = ["acceptance_id", "id"]
        indexes = [
            # An acceptance's representatives in order (inline, the count on the public page).
            models.Index(fields=["acceptance", "id"], name="acceptanceresident_acceptance"),
        ]

    def __str__(self) -> str:
        return self.name

    def household(self) -> str:
        """Building, unit and room as written (e.g. 3号楼 2单元 301)."""
        parts = []
        if self.building_id:
            parts.append(self.building.label)
        if self.entrance_unit:
            parts.append(_("unit %(unit)s") % {"unit": self.entrance_unit})
        if self.room_number:
            parts.append(self.room_number)
        return " ".join(str(part) for part in parts)

    def clean(self) -> None:
        refuse_after_recording(self)
        if (
            self.building_id
            and self.acceptance_id
            and self.building.community_id != self.acceptance.item.community_id
        ):
            raise ValidationError({"building": _("The building belongs to another community.")})


class AcceptanceDocument(Locked, models.Model):
    """A document of the acceptance: the signed report, the minutes, photos."""

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "acceptance__item__community__district"

    acceptance = models.ForeignKey(
        Acceptance,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("acceptance"),
    )
    title = models.CharField(_("title"), max_length=200)
    file = files.UploadField(
        _("file"),
        upload_to=acceptance_document_upload_to,
        max_length=255,
        validators=[
            FileExtensionValidator(files.DOCUMENT_EXTENSIONS),
            files.MaxFileSizeValidator(files.DOCUMENT_MAX_BYTES),
            files.DocumentValidator(),
        ],
        help_text=_("PDF, image, drawing, Word or Excel file of at most 50 MB."),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    history = HistoricalRecords()
    locks = (
        Lock(fields=("acceptance", "title", "file"), also=_parent_recorded, decision=RECORDED),
    )

    class Meta:
        app_label = "communities"
        verbose_name = _("acceptance document")
        verbose_name_plural = _("acceptance documents")
        ordering = ["acceptance_id", "id"]
        indexes = [
            # An acceptance's documents in order (inline, API).
            models.Index(fields=["acceptance", "id"], name="acceptancedoc_acceptance"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        refuse_after_recording(self)


class AcceptanceCondition(Locked, models.Model):
    """A condition of an acceptance with conditions: what is still to do, by when, and when it
    was met. Its wording and deadline freeze with the acceptance; the day it was met, once
    set, freezes too."""

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "acceptance__item__community__district"

    acceptance = models.ForeignKey(
        Acceptance,
        on_delete=models.CASCADE,
        related_name="conditions",
        verbose_name=_("acceptance"),
    )
    description = models.TextField(_("condition"))
    deadline = BoundedDateField(_("deadline"))
    met_on = BoundedDateField(_("met on"), null=True, blank=True, validators=[_not_in_future])
    met_note = models.TextField(_("how it was met"), blank=True)
    history = HistoricalRecords()
    locks = (
        Lock(
            fields=("met_on", "met_note"),
            since="met_on",
            decision=_("The condition was met on %(date)s: %(fields)s can no longer change."),
        ),
        Lock(
            fields=("acceptance", "description", "deadline"),
            also=_parent_recorded,
            decision=RECORDED,
        ),
    )

    class Meta:
        app_label = "communities"
        verbose_name = _("acceptance condition")
        verbose_name_plural = _("acceptance conditions")
        ordering = ["acceptance_id", "deadline", "id"]
        indexes = [
            # An acceptance's conditions by deadline (inline, the open ones on the page).
            models.Index(fields=["acceptance", "deadline"], name="acceptancecond_acceptance"),
        ]

    def __str__(self) -> str:
        return self.description[:60]

    @property
    def is_open(self) -> bool:
        return self.met_on is None

    def clean(self) -> None:
        refuse_after_recording(self)
        if self.acceptance_id and self.acceptance.accepted_on:
            day = self.acceptance.accepted_on
            if self.deadline and self.deadline < day:
                raise ValidationError(
                    {
                        "deadline": _("The deadline cannot be before the acceptance (%(day)s).")
                        % {"day": day.isoformat()}
                    }
                )
            if self.met_on and self.met_on < day:
                raise ValidationError(
                    {
                        "met_on": _("A condition is met on or after the acceptance (%(day)s).")
                        % {"day": day.isoformat()}
                    }
                )


class Settlement(Locked, CheckedInOneQuery, models.Model):
    """The settlement audit (结算审计) of one completed item: the audited final amount, who
    audited it and when. An amount over the budget needs its explanation. Frozen once
    recorded: a correction is a new audit, entered by the city administrator after deleting."""

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "item__community__district"

    item = models.OneToOneField(
        RenovationItem,
        on_delete=models.CASCADE,
        related_name="settlement",
        verbose_name=_("renovation item"),
    )
    settled_amount = models.DecimalField(
        _("settled amount (yuan)"), validators=[NOT_NEGATIVE], **MONEY
    )
    auditor = models.CharField(
        _("auditor"), max_length=200, help_text=_("The audit firm or office that audited it.")
    )
    audited_on = BoundedDateField(_("audited on"), validators=[_not_in_future])
    explanation = models.TextField(
        _("explanation"),
        blank=True,
        help_text=_("Required when the settled amount is over the budget: why."),
    )
    history = HistoricalRecords()
    locks = (
        Lock(
            fields=("item", "settled_amount", "auditor", "audited_on", "explanation"),
            since="audited_on",
            decision=_("The settlement audit of %(date)s fixed %(fields)s."),
            reason="An audited amount is a decision: it is not edited afterwards.",
        ),
    )

    class Meta:
        app_label = "communities"
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        ordering = ["-audited_on", "-id"]
        indexes = [
            # Default ordering: the latest audits first.
            models.Index(fields=["-audited_on", "-id"], name="settlement_latest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(settled_amount__gte=0),
                name="%(app_label)s_%(class)s_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} · ¥{self.settled_amount}"

    @property
    def overspend(self):
        """How much the settled amount is over the item's budget (0 when within it)."""
        return overspend(budget=self.item.budget, settled=self.settled_amount)

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.item_id:
            item = self.item
            if item.status not in ItemStatus.finished():
                errors.setdefault("item", []).append(
                    _("Only a completed or accepted item is settled.")
                )
            if self.audited_on and item.actual_end and self.audited_on < item.actual_end:
                errors.setdefault("audited_on", []).append(
                    _("The audit cannot be before the work was completed (%(day)s).")
                    % {"day": item.actual_end.isoformat()}
                )
            if (
                self.settled_amount is not None
                and overspend(budget=item.budget, settled=self.settled_amount) > 0
                and not (self.explanation or "").strip()
            ):
                errors.setdefault("explanation", []).append(
                    _("The settled amount is over the budget of ¥%(budget)s: explain why.")
                    % {"budget": item.budget}
                )
        if errors:
            raise ValidationError(errors)
