"""Design plans (炒菜): experts' plans for a community's batch, publicly noticed before approval,
with their documents; from the batch year set in settings an item starts only under one."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    FileExtensionValidator,
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.core import files
from communities.core.bounds import BoundedDateField
from communities.core.constraints import CheckedInOneQuery
from communities.core.history import HistoricalRecords
from communities.core.locks import Lock, Locked
from communities.places.models import Community
from communities.works.choices import DesignPlanStatus
from communities.works.policy import approval_too_early, notice_state

# --- Design plans (炒菜) -----------------------------------------------------------------------


class DesignPlanQuerySet(models.QuerySet):
    def public(self) -> "DesignPlanQuerySet":
        """Plans the public may see: drafts stay with staff until they are put up for notice."""
        return self.filter(status__in=DesignPlanStatus.public())

    def approvals_for(self, *, community_id: int, batch_year: int) -> "DesignPlanQuerySet":
        """Plans of a community's batch that have been approved, superseded ones included: an
        item that started under version 1 stays lawful when version 2 is approved later.
        Served by the unique index on (community, batch_year, version)."""
        return self.filter(
            community_id=community_id, batch_year=batch_year, approved_on__isnull=False
        )


# What residents saw in the notice (炒菜): fixed from the notice on, as the admin and the API
# already show them (services.design_plan_editable_fields); the lock holds it on every path.
PLAN_CONTENT_FIELDS = (
    "community",
    "batch_year",
    "version",
    "title",
    "designer",
    "summary",
    "notice_start",
    "notice_end",
)


def plan_locks() -> tuple[Lock, ...]:
    """What freezes when, for a design plan (docs/decisions.md): its content from the public
    notice on; the approval's record once approved. A new version is the way to change them."""
    published = frozenset(
        {DesignPlanStatus.NOTICE, DesignPlanStatus.APPROVED, DesignPlanStatus.SUPERSEDED}
    )
    return (
        Lock(
            fields=("approved_on", "approved_by", "approval_reference"),
            since="approved_on",
            decision=_("The approval of %(date)s fixed %(fields)s."),
        ),
        Lock(
            fields=PLAN_CONTENT_FIELDS,
            state_field="status",
            states=published,
            dated_by="notice_start",
            decision=_(
                "The public notice of %(date)s fixed %(fields)s: residents saw this plan; put "
                "up a new version to change it."
            ),
        ),
    )


class DesignPlan(CheckedInOneQuery, Locked, models.Model):
    """The design plan (炒菜) of one community for one renovation batch, in versions."""

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "community__district"

    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        related_name="design_plans",
        verbose_name=_("community"),
    )
    batch_year = models.PositiveSmallIntegerField(
        _("renovation batch year"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("The plan covers the community's items of this batch."),
    )
    version = models.PositiveSmallIntegerField(
        _("version"), default=1, validators=[MinValueValidator(1)]
    )
    title = models.CharField(_("title"), max_length=200)
    designer = models.CharField(
        _("designer"), max_length=100, help_text=_("The design institute or firm.")
    )
    summary = models.TextField(
        _("summary"),
        blank=True,
        validators=[MaxLengthValidator(4000)],
        help_text=_("What the plan does, in plain words for residents."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DesignPlanStatus, default=DesignPlanStatus.DRAFT
    )
    notice_start = BoundedDateField(_("public notice from"), null=True, blank=True)
    notice_end = BoundedDateField(
        _("public notice until"), null=True, blank=True, help_text=_("The last day, included.")
    )
    comments_received = models.PositiveIntegerField(
        _("comments received"), default=0, help_text=_("Comments residents sent in the notice.")
    )
    comments_summary = models.TextField(
        _("what residents said"),
        blank=True,
        validators=[MaxLengthValidator(4000)],
        help_text=_("The comments in short, and how the plan answered them."),
    )
    approved_on = BoundedDateField(_("approved on"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approval_reference = models.CharField(
        _("approval reference"),
        max_length=100,
        blank=True,
        help_text=_("The number of the approval document (批复文号)."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    history = HistoricalRecords()

    objects = DesignPlanQuerySet.as_manager()
    # What freezes when (core.locks): checked by full_clean() on every path.
    locks = plan_locks()

    class Meta:
        app_label = "communities"
        verbose_name = _("design plan")
        verbose_name_plural = _("design plans")
        # Served by the unique index on (community, batch_year, version).
        ordering = ["community_id", "-batch_year", "-version"]
        permissions = [("approve_designplan", _("Can publish and approve design plans"))]
        indexes = [
            # Open notices across the city (?status=notice, by end date) for the admin queue.
            models.Index(fields=["status", "notice_end"], name="designplan_status_notice_end"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "batch_year", "version"],
                name="%(app_label)s_%(class)s_unique_version",
                violation_error_message=_(
                    "This community already has a plan of this version for this batch."
                ),
            ),
            models.UniqueConstraint(
                fields=["community", "batch_year"],
                condition=Q(status=DesignPlanStatus.APPROVED),
                name="%(app_label)s_%(class)s_one_approved_per_batch",
                violation_error_message=_(
                    "This community already has an approved plan for this batch."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(notice_start__isnull=True) & Q(notice_end__isnull=True))
                | Q(notice_end__gte=F("notice_start")),
                name="%(app_label)s_%(class)s_notice_period",
                violation_error_message=_(
                    "Give both days of the public notice, the last not before the first."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[DesignPlanStatus.NOTICE, DesignPlanStatus.APPROVED])
                | Q(notice_start__isnull=False),
                name="%(app_label)s_%(class)s_noticed_before_approval",
                violation_error_message=_("A plan in notice or approved has its notice period."),
            ),
            models.CheckConstraint(
                condition=(~Q(status=DesignPlanStatus.APPROVED) | Q(approved_on__isnull=False))
                & (
                    Q(approved_on__isnull=True)
                    | Q(
                        status__in=[DesignPlanStatus.APPROVED, DesignPlanStatus.SUPERSEDED],
                        notice_end__isnull=False,
                        approved_on__gt=F("notice_end"),
                    )
                ),
                name="%(app_label)s_%(class)s_approved_after_notice",
                violation_error_message=_(
                    "An approved plan has its approval date, after its public notice ended."
                ),
            ),
        ]

    def __str__(self) -> str:
        return _("%(title)s (version %(version)s)") % {"title": self.title, "version": self.version}

    def get_absolute_url(self) -> str:
        return reverse("site:community", args=[self.community_id]) + f"#plan-{self.pk}"

    @property
    def is_public(self) -> bool:
        return self.status in DesignPlanStatus.public()

    def notice_state(self, on: date | None = None) -> str | None:
        return notice_state(
            start=self.notice_start, end=self.notice_end, on=on or timezone.localdate()
        )

    def clean(self) -> None:
        errors: dict[str, list] = {}

        def add(field: str, message) -> None:
            errors.setdefault(field, []).append(message)

        self.title = (self.title or "").strip()
        self.designer = (self.designer or "").strip()
        self.approval_reference = (self.approval_reference or "").strip()
        if (self.notice_start is None) != (self.notice_end is None):
            add(
                "notice_end" if self.notice_end is None else "notice_start",
                _("Give both days of the public notice, or neither."),
            )
        elif self.notice_start and self.notice_end < self.notice_start:
            add("notice_end", _("The notice cannot end before it begins."))
        if self.status in {DesignPlanStatus.NOTICE, DesignPlanStatus.APPROVED} and not (
            self.notice_start and self.notice_end
        ):
            add("notice_start", _("A plan goes up for public notice with its notice period."))
        if self.status == DesignPlanStatus.APPROVED and not self.approved_on:
            add("approved_on", _("Give the date of the approval."))
        if self.approved_on:
            if self.status not in {DesignPlanStatus.APPROVED, DesignPlanStatus.SUPERSEDED}:
                add("approved_on", _("Only an approved plan has an approval date."))
            if self.approved_on > timezone.localdate():
                add("approved_on", _("This date is in the future."))
            if self.notice_end and approval_too_early(
                notice_end=self.notice_end, on=self.approved_on
            ):
                add(
                    "approved_on",
                    _("Approval comes after the public notice, which ends on %(end)s.")
                    % {"end": self.notice_end.isoformat()},
                )
        if errors:
            raise ValidationError(errors)


# Documents are checked by decoding them; their images are stored re-encoded
# (communities.core.files).
DOCUMENT_EXTENSIONS = files.DOCUMENT_EXTENSIONS
DOCUMENT_MAX_BYTES = files.DOCUMENT_MAX_BYTES
# The name migration 0007 gives the size check.
MaxFileSizeValidator = files.MaxFileSizeValidator


def document_upload_to(instance: "DesignDocument", filename: str) -> str:
    return f"design-plans/{timezone.localdate():%Y}/{filename}"


class DesignDocument(models.Model):
    """A document of a design plan: drawings, the plan text, the cost estimate, the notice."""

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "plan__community__district"

    plan = models.ForeignKey(
        DesignPlan, on_delete=models.CASCADE, related_name="documents", verbose_name=_("plan")
    )
    title = models.CharField(_("title"), max_length=200)
    file = files.UploadField(
        _("file"),
        upload_to=document_upload_to,
        max_length=255,
        validators=[
            FileExtensionValidator(DOCUMENT_EXTENSIONS),
            files.MaxFileSizeValidator(DOCUMENT_MAX_BYTES),
            files.DocumentValidator(),
        ],
        help_text=_("PDF, image, drawing, Word or Excel file of at most 50 MB."),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        app_label = "communities"
        verbose_name = _("design document")
        verbose_name_plural = _("design documents")
        ordering = ["plan_id", "id"]  # a plan's documents by its foreign-key index

    def __str__(self) -> str:
        return self.title
