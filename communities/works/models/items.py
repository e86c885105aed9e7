"""Renovation content: kinds of work (data), the items a community gets, and their funding."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
)
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Sum
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from communities.core.bounds import BoundedDateField
from communities.core.clock import today
from communities.core.constraints import CheckedInOneQuery
from communities.core.history import HistoricalRecords
from communities.core.locks import Lock, Locked
from communities.core.money import CENT, MONEY
from communities.places.choices import RenovationStatus, SafetyGrade
from communities.places.models import NOT_NEGATIVE, Building, Community
from communities.works.choices import Category, FundingSource, ItemStatus
from communities.works.guards import progress_guard_errors
from communities.works.models.plans import DesignPlan
from communities.works.policy import (
    accepted_move_refused,
    blocked_by_reinforce_first,
    blocked_by_unreinforced_community,
    design_plan_required,
    funding_within_budget,
)


class RenovationKind(models.Model):
    """A kind of renovation work, extendable by staff, mapped to one national category."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    category = models.CharField(_("national category"), max_length=20, choices=Category)
    is_reinforcement = models.BooleanField(
        _("structural reinforcement"),
        default=False,
        help_text=_("Work of this kind may proceed on C and D grade buildings (reinforce first)."),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    history = HistoricalRecords()

    class Meta:
        app_label = "communities"
        verbose_name = _("renovation kind")
        verbose_name_plural = _("renovation kinds")
        ordering = ["category", "sort_order", "code"]
        indexes = [
            # Default ordering, and ?category= on items joins through here.
            models.Index(fields=["category", "sort_order", "code"], name="kind_category_order"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the active language (kinds are data, so they carry both)."""
        if self.name_en and not (get_language() or "zh").startswith("zh"):
            return self.name_en
        return self.name


def item_locks() -> tuple[Lock, ...]:
    """What freezes when, for a renovation item (docs/decisions.md): once work has started,
    what the work is and where; once it is completed, its budget (the final account is in
    ``spent``). Cancelling the item and adding another is the way to change them."""
    return (
        Lock(
            fields=("budget",),
            state_field="status",
            states=frozenset(ItemStatus.finished()),
            dated_by="actual_end",
            decision=_(
                "The completion of the work (%(date)s) fixed %(fields)s: the final account goes "
                "in “spent”."
            ),
        ),
        Lock(
            fields=("community", "building", "kind"),
            state_field="status",
            states=frozenset(ItemStatus.started()),
            dated_by="actual_start",
            decision=_(
                "The start of work (%(date)s) fixed %(fields)s: cancel this item and add a new "
                "one for other work or another place."
            ),
        ),
    )


class RenovationItem(CheckedInOneQuery, Locked, models.Model):
    """One piece of renovation work in a community, with its budget, progress and dates."""

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "community__district"

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="items", verbose_name=_("community")
    )
    building = models.ForeignKey(
        Building,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("building"),
        help_text=_("Leave empty for work on the whole community."),
    )
    kind = models.ForeignKey(
        RenovationKind, on_delete=models.PROTECT, related_name="items", verbose_name=_("kind")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True, help_text=_("m², m, units…"))
    budget = models.DecimalField(
        _("budget (yuan)"), default=Decimal("0"), validators=[NOT_NEGATIVE], **MONEY
    )
    spent = models.DecimalField(
        _("spent (yuan)"), default=Decimal("0"), validators=[NOT_NEGATIVE], **MONEY
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ItemStatus, default=ItemStatus.PLANNED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    planned_start = BoundedDateField(_("planned start"), null=True, blank=True)
    planned_end = BoundedDateField(_("planned end"), null=True, blank=True)
    actual_start = BoundedDateField(_("actual start"), null=True, blank=True)
    actual_end = BoundedDateField(_("actual end"), null=True, blank=True)
    contractor = models.CharField(_("contractor"), max_length=100, blank=True)
    supervisor = models.CharField(_("supervisor"), max_length=100, blank=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    history = HistoricalRecords()
    # What freezes when (core.locks): checked by full_clean() on every path.
    locks = item_locks()

    class Meta:
        app_label = "communities"
        verbose_name = _("renovation item")
        verbose_name_plural = _("renovation items")
        ordering = ["community_id", "kind__category", "id"]
        indexes = [
            # A community's items (page, API ?community=) in category order.
            models.Index(fields=["community", "status"], name="item_community_status"),
            # ?status= and ?year= across the city.
            models.Index(fields=["status", "planned_start"], name="item_status_planned_start"),
            # ?kind= and the by-category breakdown.
            models.Index(fields=["kind", "status"], name="item_kind_status"),
            # The staff desk's "under construction, unchanged for 30 days" (reporting.desk).
            models.Index(fields=["status", "updated_at"], name="item_status_updated"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__gte=0) & Q(spent__gte=0),
                name="%(app_label)s_%(class)s_money_not_negative",
                violation_error_message=_("Budget and spending cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="%(app_label)s_%(class)s_progress_percent",
                violation_error_message=_("Progress is a percentage from 0 to 100."),
            ),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gte=0),
                name="%(app_label)s_%(class)s_quantity_not_negative",
                violation_error_message=_("The quantity cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=F("planned_start")),
                name="%(app_label)s_%(class)s_planned_end_after_start",
                violation_error_message=_("The planned end cannot be before the planned start."),
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=True)
                | Q(actual_end__gte=F("actual_start")),
                name="%(app_label)s_%(class)s_actual_end_after_start",
                violation_error_message=_("The actual end cannot be before the actual start."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def funding_total(self) -> Decimal:
        """Sum of this item's funding lines. Runs a query unless annotated as ``funding_sum``."""
        if hasattr(self, "funding_sum"):
            return self.funding_sum or Decimal("0")
        if self.pk is None:
            return Decimal("0")
        return self.funding.aggregate(total=Sum("amount"))["total"] or Decimal("0")

    def clean(self) -> None:
        errors: dict[str, list] = {}

        def add(field: str, message) -> None:
            errors.setdefault(field, []).append(message)

        if (
            self.building_id
            and self.community_id
            and self.building.community_id != self.community_id
        ):
            add("building", _("The building belongs to another community."))
        if self.status in ItemStatus.finished():
            if self.progress != 100:
                add("progress", _("A completed item is 100% done."))
            if not self.actual_end:
                add("actual_end", _("A completed item needs its completion date."))
        if self.status in ItemStatus.started() and not self.actual_start:
            add("actual_start", _("Work that has begun needs its actual start date."))
        if (
            self.kind_id
            and self.building_id
            and blocked_by_reinforce_first(
                grade=self.building.safety_grade,
                is_reinforcement=self.kind.is_reinforcement,
                started=self.status in ItemStatus.started(),
            )
        ):
            add(
                "status",
                _(
                    "Reinforce first: building %(building)s is graded %(grade)s; no other work may "
                    "start until it is reinforced and re-appraised A or B."
                )
                % {"building": self.building.label, "grade": self.building.safety_grade},
            )
        if self.status in ItemStatus.started() and self.community_id:
            # 炒菜 before construction: only an approved design plan lets an item start (from
            # the batch year RENOVATION["DESIGN_PLAN_REQUIRED_FROM_YEAR"]; one query then).
            for field, message in design_plan_start_errors(self):
                add(field, message)
        for field, message in self.decision_errors():
            add(field, message)
        # Rules of parts above the works (a major hazard stops the item: construction).
        for field, message in progress_guard_errors(self):
            add(field, message)
        if self.pk and self.budget is not None and self.budget >= 0:
            funded = self.funding_total().quantize(CENT)
            if not funding_within_budget(self.budget, [funded]):
                add(
                    "budget",
                    _("The funding lines add up to ¥%(funded)s, more than this budget.")
                    % {"funded": funded},
                )
        if errors:
            raise ValidationError(errors)

    # --- Decisions stay decided (issue 15): dates, acceptance, reinforce first per community,
    # and the item's place in its community's renovation. Kept apart from the field locks.

    def stored_status(self) -> str | None:
        """The status as saved (None for a new item). Runs a query."""
        if self.pk is None:
            return None
        return RenovationItem.objects.filter(pk=self.pk).values_list("status", flat=True).first()

    def decision_errors(self) -> list[tuple[str, str]]:
        """Why this item may not be saved as it is, by the rules that keep decisions decided:
        no completion in the future; ``accepted`` only from ``completed`` and final; reinforce
        first for community-wide work (and ``community_status_errors`` on every path that
        writes items). Runs up to two queries."""
        errors: list[tuple[str, str]] = []
        if self.actual_end and self.actual_end > today():
            errors.append(("actual_end", _("The completion date cannot be in the future.")))
        before = self.stored_status()
        if before is not None and accepted_move_refused(before=before, after=self.status):
            if before == ItemStatus.ACCEPTED:
                message = _("An accepted item is final: its status cannot change any more.")
            else:
                message = _("Only a completed item can be accepted.")
            errors.append(("status", message))
        starting = self.status in ItemStatus.started() and before not in ItemStatus.started()
        if starting and self.kind_id and not self.building_id and self.community_id:
            unreinforced = unreinforced_buildings(self.community_id)
            if blocked_by_unreinforced_community(
                is_reinforcement=self.kind.is_reinforcement,
                starting=starting,
                unreinforced=unreinforced,
            ):
                errors.append(
                    (
                        "status",
                        _(
                            "Reinforce first: %(buildings)s of this community is graded C or D "
                            "without completed reinforcement; no community-wide work may start "
                            "until it is reinforced."
                        )
                        % {"buildings": ", ".join(unreinforced)},
                    )
                )
        return errors

    def community_status_errors(self) -> list[tuple[str, str]]:
        """Where this item may stand given its community's status: a completed item only in a
        community whose renovation has started, work only in a community in the programme, an
        open item not in a completed community. Checked by ``renovation_item_saved`` on every
        path that writes items (admin, API, import), before the community follows its items.
        """
        community_status = self.community.renovation_status
        not_started = {RenovationStatus.NOT_STARTED, RenovationStatus.PLANNED}
        if self.status in ItemStatus.finished() and community_status in not_started:
            return [
                (
                    "status",
                    _(
                        "%(community)s has not started its renovation: a completed item cannot "
                        "be recorded for it (start its works first)."
                    )
                    % {"community": self.community.name},
                )
            ]
        if self.status in ItemStatus.started() and community_status == RenovationStatus.NOT_STARTED:
            return [
                (
                    "status",
                    _("%(community)s is not in the renovation programme: no work can start.")
                    % {"community": self.community.name},
                )
            ]
        open_item = self.status not in ItemStatus.finished() | {ItemStatus.CANCELLED}
        if open_item and community_status == RenovationStatus.COMPLETED:
            return [
                (
                    "status",
                    _(
                        "%(community)s is completed: an open item cannot be added to it "
                        "(set the community back under construction first)."
                    )
                    % {"community": self.community.name},
                )
            ]
        return []


def unreinforced_buildings(community_id: int) -> list[str]:
    """The labels of a community's C and D buildings with no completed or accepted
    reinforcement item (reinforce first, per community). Runs one query."""
    reinforced = RenovationItem.objects.filter(
        building=OuterRef("pk"),
        kind__is_reinforcement=True,
        status__in=ItemStatus.finished(),
    )
    return list(
        Building.objects.filter(community_id=community_id, safety_grade__in=SafetyGrade.dangerous())
        .exclude(Exists(reinforced))
        .order_by("label_sort", "label")
        .values_list("label", flat=True)
    )


class FundingLine(CheckedInOneQuery, models.Model):
    """Money for one item from one source."""

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "item__community__district"

    item = models.ForeignKey(
        RenovationItem,
        on_delete=models.CASCADE,
        related_name="funding",
        verbose_name=_("renovation item"),
    )
    source = models.CharField(_("source"), max_length=20, choices=FundingSource)
    amount = models.DecimalField(_("amount (yuan)"), validators=[NOT_NEGATIVE], **MONEY)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        app_label = "communities"
        verbose_name = _("funding line")
        verbose_name_plural = _("funding lines")
        ordering = ["item_id", "source"]  # served by the unique constraint's index
        indexes = [
            # Funding by source across the city (stats).
            models.Index(fields=["source"], name="funding_source"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "source"],
                name="%(app_label)s_%(class)s_one_line_per_source",
                violation_error_message=_("This item already has a funding line from this source."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="%(app_label)s_%(class)s_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} ¥{self.amount}"

    def clean(self) -> None:
        """Refuse a line that takes the item's funding past its budget (runs one query)."""
        if not self.item_id or self.amount is None:
            return
        others = (
            FundingLine.objects.filter(item_id=self.item_id)
            .exclude(pk=self.pk)
            .aggregate(total=Sum("amount"))["total"]
        ) or Decimal("0")
        if not funding_within_budget(self.item.budget, [others, self.amount]):
            raise ValidationError(
                {
                    "amount": _(
                        "Funding would total ¥%(total)s, more than the item's budget of "
                        "¥%(budget)s."
                    )
                    % {
                        "total": (others + self.amount).quantize(CENT),
                        "budget": self.item.budget.quantize(CENT),
                    }
                }
            )


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
