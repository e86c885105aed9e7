"""Residents take part (点菜, 炒菜, 评菜): what they propose, the design plan publicly noticed
before approval, and how they rate the finished work.

- ``Proposal`` (点菜): residents ask for a kind of work, with how many households support it.
  Staff adopt it (it becomes, or joins, a renovation item: ``proposal.item`` and
  ``item.proposals``) or decline it with a reason the public sees.
- ``DesignPlan`` (炒菜): the plan of one community for one batch year, in versions, with its
  documents, its public-notice period, the comments it drew, and its approval. Its items start
  construction only once it is approved (``design_plan_start_errors``, called by
  ``RenovationItem.clean``).
- ``Rating`` (评菜): one household's satisfaction with a finished item or a completed community,
  1 to 5 on each of three aspects. The household (building, entrance unit, room) makes a rating
  unique per subject; the public never sees it.

The pure rules sit at the top of this module and run no query; ``services_participation.py``
applies them, and ``selectors_participation.py`` computes the satisfaction figures in SQL.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

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
from simple_history.models import HistoricalRecords

from communities import files
from communities.choices import ItemStatus, RenovationStatus

from .places import Building, Community
from .renovation import RenovationItem, RenovationKind

# --- Choices ----------------------------------------------------------------------------------


class Channel(models.TextChoices):
    """How residents' voices were gathered: a proposal's support, a rating."""

    SURVEY = "survey", _("Questionnaire survey")
    MEETING = "meeting", _("Residents' meeting")
    WECHAT = "wechat", _("WeChat")
    GRID_VISIT = "grid_visit", _("Grid inspector's door-to-door visit")


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Under consideration")
    ADOPTED = "adopted", _("Adopted")
    DECLINED = "declined", _("Declined")


class DesignPlanStatus(models.TextChoices):
    """A plan is drafted, publicly noticed, then approved; approving another version of the
    same community and batch supersedes it."""

    DRAFT = "draft", _("Draft")
    NOTICE = "notice", _("In public notice")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Superseded")

    @classmethod
    def public(cls) -> list[str]:
        """What the public sees: everything once it has been put up for notice."""
        return [cls.NOTICE, cls.APPROVED, cls.SUPERSEDED]


class NoticeState(models.TextChoices):
    """Where a plan's public notice stands on a given day (computed, never stored)."""

    UPCOMING = "upcoming", _("Notice not yet begun")
    OPEN = "open", _("Open for comments")
    CLOSED = "closed", _("Notice ended")


# --- Rules (pure) -----------------------------------------------------------------------------

SCORE_MIN, SCORE_MAX = 1, 5
# The national satisfaction survey counts 4 (fairly satisfied) and 5 (very satisfied).
SATISFIED_FROM = 4
ASPECTS = ("work_score", "process_score", "management_score")


def is_satisfied(*scores: int) -> bool:
    """A household is satisfied when its scores average 4 or more (the sum of the three
    aspects is at least 12). ``selectors_participation`` counts the same rule in SQL."""
    return sum(scores) >= SATISFIED_FROM * len(scores)


def design_plan_required(*, batch_year: int | None, required_from: int) -> bool:
    """Whether items of a community in ``batch_year`` need an approved design plan to start.

    Batches before ``RENOVATION["DESIGN_PLAN_REQUIRED_FROM_YEAR"]`` were approved on paper
    before the city kept plans here; a community without a batch year is not in the programme
    and has no plan to look for.
    """
    return batch_year is not None and batch_year >= required_from


def notice_state(*, start: date | None, end: date | None, on: date) -> str | None:
    """Upcoming, open (both days included) or closed; None without a notice period."""
    if start is None or end is None:
        return None
    if on < start:
        return NoticeState.UPCOMING
    if on <= end:
        return NoticeState.OPEN
    return NoticeState.CLOSED


def approval_too_early(*, notice_end: date | None, on: date) -> bool:
    """Approval comes after the notice has run its course: a notice ending 20 March allows
    approval from 21 March (residents may still comment on the last day)."""
    return notice_end is None or on <= notice_end


# --- Proposals (点菜) --------------------------------------------------------------------------


class ProposalQuerySet(models.QuerySet):
    def adopted(self) -> "ProposalQuerySet":
        return self.filter(status=ProposalStatus.ADOPTED)


class Proposal(models.Model):
    """Work residents asked for (点菜), and what became of it."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("community")
    )
    kind = models.ForeignKey(
        RenovationKind, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("kind")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("description"), blank=True, validators=[MaxLengthValidator(4000)]
    )
    supporters = models.PositiveIntegerField(
        _("households supporting"),
        validators=[MinValueValidator(1)],
        help_text=_("How many households support the proposal."),
    )
    channel = models.CharField(_("collected through"), max_length=20, choices=Channel)
    submitted_on = models.DateField(_("proposed on"), default=timezone.localdate)
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus, default=ProposalStatus.SUBMITTED
    )
    # RESTRICT: an item that answers residents is cancelled, not deleted; deleting the whole
    # community (its proposals with it) is still allowed.
    item = models.ForeignKey(
        RenovationItem,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("renovation item"),
        help_text=_("The item the adopted proposal became or joined."),
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decline_reason = models.TextField(
        _("reason for declining"),
        blank=True,
        validators=[MaxLengthValidator(2000)],
        help_text=_("Shown to the public."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    history = HistoricalRecords()

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["community_id", "-submitted_on", "-id"]
        permissions = [("decide_proposal", _("Can adopt or decline proposals"))]
        indexes = [
            # A community's proposals, newest first: its page, "you asked, we did", ?community=.
            models.Index(
                fields=["community", "-submitted_on", "-id"], name="proposal_community_date"
            ),
            # The staff queue (?status=submitted, oldest first) and counts by status.
            models.Index(fields=["status", "submitted_on"], name="proposal_status_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(supporters__gte=1),
                name="%(app_label)s_%(class)s_supporters_positive",
                violation_error_message=_("At least one household supports a proposal."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=ProposalStatus.SUBMITTED, item__isnull=True, decided_on__isnull=True)
                    & Q(decline_reason="")
                )
                | (
                    Q(status=ProposalStatus.ADOPTED, item__isnull=False, decided_on__isnull=False)
                    & Q(decline_reason="")
                )
                | (
                    Q(status=ProposalStatus.DECLINED, item__isnull=True, decided_on__isnull=False)
                    & ~Q(decline_reason="")
                ),
                name="%(app_label)s_%(class)s_decision_complete",
                violation_error_message=_(
                    "An adopted proposal has its item and decision date, a declined one its "
                    "reason and decision date, and one under consideration neither."
                ),
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("submitted_on")),
                name="%(app_label)s_%(class)s_decided_after_proposed",
                violation_error_message=_("A proposal cannot be decided before it was made."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("site:community", args=[self.community_id]) + f"#proposal-{self.pk}"

    def clean(self) -> None:
        errors: dict[str, list] = {}

        def add(field: str, message) -> None:
            errors.setdefault(field, []).append(message)

        self.title = (self.title or "").strip()
        self.decline_reason = (self.decline_reason or "").strip()
        today = timezone.localdate()
        if self.submitted_on and self.submitted_on > today:
            add("submitted_on", _("This date is in the future."))
        if self.decided_on and self.decided_on > today:
            add("decided_on", _("This date is in the future."))
        if self.community_id and self.supporters:
            households = self.community.households
            if households and self.supporters > households:
                add(
                    "supporters",
                    _("The community has only %(households)s households.")
                    % {"households": households},
                )
        if self.item_id and self.community_id and self.item.community_id != self.community_id:
            add("item", _("The item belongs to another community."))
        if self.status == ProposalStatus.ADOPTED and not self.item_id:
            add("item", _("An adopted proposal names the item it became or joined."))
        if self.status != ProposalStatus.ADOPTED and self.item_id:
            add("item", _("Only an adopted proposal has an item."))
        if self.status == ProposalStatus.DECLINED and not self.decline_reason:
            add("decline_reason", _("Give the reason for declining; the public sees it."))
        if self.status != ProposalStatus.DECLINED and self.decline_reason:
            add("decline_reason", _("Only a declined proposal has a reason for declining."))
        if self.status != ProposalStatus.SUBMITTED and not self.decided_on:
            add("decided_on", _("Give the date of the decision."))
        if self.status == ProposalStatus.SUBMITTED and self.decided_on:
            add("decided_on", _("A proposal under consideration has no decision date."))
        if errors:
            raise ValidationError(errors)


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


class DesignPlan(models.Model):
    """The design plan (炒菜) of one community for one renovation batch, in versions."""

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
    notice_start = models.DateField(_("public notice from"), null=True, blank=True)
    notice_end = models.DateField(
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
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
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

    class Meta:
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
# (communities.files).
DOCUMENT_EXTENSIONS = files.DOCUMENT_EXTENSIONS
DOCUMENT_MAX_BYTES = files.DOCUMENT_MAX_BYTES
# The name migration 0007 gives the size check.
MaxFileSizeValidator = files.MaxFileSizeValidator


def document_upload_to(instance: "DesignDocument", filename: str) -> str:
    return f"design-plans/{timezone.localdate():%Y}/{filename}"


class DesignDocument(models.Model):
    """A document of a design plan: drawings, the plan text, the cost estimate, the notice."""

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
        verbose_name = _("design document")
        verbose_name_plural = _("design documents")
        ordering = ["plan_id", "id"]  # a plan's documents by its foreign-key index

    def __str__(self) -> str:
        return self.title


def design_plan_start_errors(item: RenovationItem) -> list[tuple[str, str]]:
    """Why ``item`` may not be under construction, completed or accepted yet, as
    (field, message) pairs; empty when it may.

    From the batch year ``RENOVATION["DESIGN_PLAN_REQUIRED_FROM_YEAR"]`` on, a community's
    items start only under an approved design plan of its batch (``DesignPlan.batch_year`` is
    the community's ``renovation_year``), approved on or before the day the work began. A plan
    later superseded still covers the work begun under it. Runs one query when the rule
    applies (and one more if the item's community is not loaded).
    """
    if item.status not in ItemStatus.started() or not item.community_id:
        return []
    community = item.community
    year = community.renovation_year
    required_from = settings.RENOVATION["DESIGN_PLAN_REQUIRED_FROM_YEAR"]
    if not design_plan_required(batch_year=year, required_from=required_from):
        return []
    first_approval = (
        DesignPlan.objects.approvals_for(community_id=community.pk, batch_year=year)
        .order_by("approved_on")
        .values_list("approved_on", flat=True)
        .first()
    )
    if first_approval is None:
        return [
            (
                "status",
                _(
                    "Work may start only under an approved design plan: %(community)s has no "
                    "approved plan for its %(year)s batch yet."
                )
                % {"community": community.name, "year": year},
            )
        ]
    if item.actual_start and item.actual_start < first_approval:
        return [
            (
                "actual_start",
                _(
                    "Work may start only under an approved design plan: the plan for the "
                    "%(year)s batch was approved on %(approved)s, after this start date."
                )
                % {"year": year, "approved": first_approval.isoformat()},
            )
        ]
    return []


# --- Ratings (评菜) ----------------------------------------------------------------------------


class RatingQuerySet(models.QuerySet):
    def of_community_as_a_whole(self) -> "RatingQuerySet":
        return self.filter(item__isnull=True)

    def of_items(self) -> "RatingQuerySet":
        return self.filter(item__isnull=False)


class Rating(models.Model):
    """One household's rating (评菜) of a finished item, or of its completed community as a
    whole when ``item`` is empty. The household is staff-only information."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("community")
    )
    # RESTRICT: residents' ratings are not dropped with an item or a building deleted on its
    # own; deleting the whole community (its ratings with it) is still allowed.
    item = models.ForeignKey(
        RenovationItem,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="ratings",
        verbose_name=_("renovation item"),
        help_text=_("Leave empty for a rating of the whole community."),
    )
    building = models.ForeignKey(
        Building,
        on_delete=models.RESTRICT,
        related_name="ratings",
        verbose_name=_("building"),
        help_text=_("The household's building (personal data: staff only)."),
    )
    entrance_unit = models.PositiveSmallIntegerField(
        _("entrance unit"), validators=[MinValueValidator(1)]
    )
    room_number = models.CharField(
        _("room number"), max_length=20, help_text=_("As on the door, for example 301.")
    )
    work_score = models.PositiveSmallIntegerField(
        _("the work itself"),
        validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)],
        help_text=_("Quality of what was built, 1 to 5."),
    )
    process_score = models.PositiveSmallIntegerField(
        _("the process"),
        validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)],
        help_text=_("How the works were run: notice, disturbance, safety, tidiness; 1 to 5."),
    )
    management_score = models.PositiveSmallIntegerField(
        _("management afterwards"),
        validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)],
        help_text=_("Upkeep since completion, 1 to 5."),
    )
    comment = models.TextField(_("comment"), blank=True, validators=[MaxLengthValidator(1000)])
    comment_hidden = models.BooleanField(
        _("comment hidden from the public"),
        default=False,
        help_text=_("The scores still count; the comment is not published."),
    )
    channel = models.CharField(_("collected through"), max_length=20, choices=Channel)
    rated_on = models.DateField(_("rated on"), default=timezone.localdate)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["community_id", "-rated_on", "-id"]
        indexes = [
            # A community's ratings, newest first: its page's latest comments, ?community=.
            models.Index(fields=["community", "-rated_on", "-id"], name="rating_community_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(work_score__gte=SCORE_MIN, work_score__lte=SCORE_MAX)
                & Q(process_score__gte=SCORE_MIN, process_score__lte=SCORE_MAX)
                & Q(management_score__gte=SCORE_MIN, management_score__lte=SCORE_MAX),
                name="%(app_label)s_%(class)s_scores_1_to_5",
                violation_error_message=_("Each score is from 1 to 5."),
            ),
            # One rating per household per subject. The indexes also serve an item's ratings
            # (per-item and per-contractor figures).
            models.UniqueConstraint(
                fields=["item", "building", "entrance_unit", "room_number"],
                condition=Q(item__isnull=False),
                name="%(app_label)s_%(class)s_one_per_household_item",
                violation_error_message=_("This household has already rated this item."),
            ),
            models.UniqueConstraint(
                fields=["community", "building", "entrance_unit", "room_number"],
                condition=Q(item__isnull=True),
                name="%(app_label)s_%(class)s_one_per_household_community",
                violation_error_message=_("This household has already rated this community."),
            ),
        ]

    def __str__(self) -> str:
        subject = self.item.title if self.item_id else self.community.name
        return _("Rating of %(subject)s on %(date)s") % {
            "subject": subject,
            "date": self.rated_on.isoformat() if self.rated_on else "—",
        }

    @property
    def average(self) -> Decimal:
        """The mean of the three scores, rounded half up to 2 decimals."""
        total = Decimal(self.work_score + self.process_score + self.management_score)
        return (total / 3).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def is_satisfied(self) -> bool:
        return is_satisfied(self.work_score, self.process_score, self.management_score)

    @property
    def household_label(self) -> str:
        """Building, entrance unit and room: staff only."""
        return _("%(building)s, unit %(unit)s, room %(room)s") % {
            "building": self.building.label if self.building_id else "—",
            "unit": self.entrance_unit,
            "room": self.room_number,
        }

    def clean(self) -> None:
        errors: dict[str, list] = {}

        def add(field: str, message) -> None:
            errors.setdefault(field, []).append(message)

        self.room_number = (self.room_number or "").strip().upper()
        self.comment = (self.comment or "").strip()
        if self.rated_on and self.rated_on > timezone.localdate():
            add("rated_on", _("This date is in the future."))
        if self.building_id and self.community_id:
            building = self.building
            if building.community_id != self.community_id:
                add("building", _("The building belongs to another community."))
            elif self.entrance_unit and self.entrance_unit > building.entrance_units:
                add(
                    "entrance_unit",
                    _("Building %(building)s has only %(count)s entrance unit(s).")
                    % {"building": building.label, "count": building.entrance_units},
                )
        if self.item_id:
            item = self.item
            if self.community_id and item.community_id != self.community_id:
                add("item", _("The item belongs to another community."))
            elif item.status not in ItemStatus.finished():
                add("item", _("An item is rated once it is completed."))
            elif self.rated_on and item.actual_end and self.rated_on < item.actual_end:
                add(
                    "rated_on",
                    _("The item was completed on %(date)s; it cannot be rated before.")
                    % {"date": item.actual_end.isoformat()},
                )
        elif self.community_id:
            community = self.community
            if community.renovation_status != RenovationStatus.COMPLETED:
                add("community", _("A community is rated once its renovation is completed."))
            elif (
                self.rated_on and community.completed_on and self.rated_on < community.completed_on
            ):
                add(
                    "rated_on",
                    _("The community was completed on %(date)s; it cannot be rated before.")
                    % {"date": community.completed_on.isoformat()},
                )
        if errors:
            raise ValidationError(errors)
