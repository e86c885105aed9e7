"""Residents take part (点菜, 炒菜, 评菜): what they propose, the design plan publicly noticed
before approval, and how they rate the finished work.

- ``Proposal`` (点菜): residents ask for a kind of work, with how many households support it.
  Staff adopt it (it becomes, or joins, a renovation item: ``proposal.item`` and
  ``item.proposals``) or decline it with a reason the public sees.
- ``DesignPlan`` (炒菜): the plan of one community for one batch year, in versions, with its
  documents, its public-notice period, the comments it drew, and its approval. Its items start
  construction only once it is approved (``works.models.items.design_plan_start_errors``, called by
  ``RenovationItem.clean``).
- ``Rating`` (评菜): one household's satisfaction with a finished item or a completed community,
  1 to 5 on each of three aspects. The household (building, entrance unit, room) makes a rating
  unique per subject; the public never sees it.

The pure rules sit at the top of this module and run no query; ``services_participation.py``
applies them, and ``selectors_participation.py`` computes the satisfaction figures in SQL.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.core.bounds import BoundedDateField
from communities.core.constraints import CheckedInOneQuery
from communities.core.history import HistoricalRecords
from communities.core.locks import Lock, Locked
from communities.participation.choices import Channel, ProposalStatus
from communities.participation.policy import SCORE_MAX, SCORE_MIN, is_satisfied
from communities.places.choices import RenovationStatus
from communities.places.models import Building, Community
from communities.works.choices import ItemStatus
from communities.works.models.items import RenovationItem, RenovationKind

# --- Proposals (点菜) --------------------------------------------------------------------------


class ProposalQuerySet(models.QuerySet):
    def adopted(self) -> "ProposalQuerySet":
        return self.filter(status=ProposalStatus.ADOPTED)


# The decision on a proposal (adopted into an item, or declined with its public reason).
PROPOSAL_DECISION_FIELDS = ("community", "kind", "status", "item", "decided_on", "decline_reason")


class Proposal(CheckedInOneQuery, Locked, models.Model):
    """Work residents asked for (点菜), and what became of it."""

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "community__district"

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
    submitted_on = BoundedDateField(_("proposed on"), default=timezone.localdate)
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
    decided_on = BoundedDateField(_("decided on"), null=True, blank=True)
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
    # What freezes when (core.locks): once decided, the decision stands (docs/decisions.md).
    locks = (
        Lock(
            fields=PROPOSAL_DECISION_FIELDS,
            since="decided_on",
            decision=_(
                "The decision of %(date)s on this proposal fixed %(fields)s: residents were "
                "told; submit a new proposal instead."
            ),
        ),
    )

    class Meta:
        app_label = "communities"
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


# --- Ratings (评菜) ----------------------------------------------------------------------------


class RatingQuerySet(models.QuerySet):
    def of_community_as_a_whole(self) -> "RatingQuerySet":
        return self.filter(item__isnull=True)

    def of_items(self) -> "RatingQuerySet":
        return self.filter(item__isnull=False)


class Rating(CheckedInOneQuery, models.Model):
    """One household's rating (评菜) of a finished item, or of its completed community as a
    whole when ``item`` is empty. The household is staff-only information."""

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "community__district"

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
    rated_on = BoundedDateField(_("rated on"), default=timezone.localdate)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = RatingQuerySet.as_manager()

    class Meta:
        app_label = "communities"
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
