"""Admin for renovation content: kinds of work, items, and their funding lines.

The funding rule across rows (the lines of an item may not add up to more than its budget) is
checked once on each page: on an item's page, where the item and all its lines are edited
together, by the funding inline's formset against the budget as edited; on a funding line's own
page by ``FundingLine.clean()`` against the other lines as saved.
"""

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from communities.core.admin import (
    BaseAdmin,
    apply_to_selected,
    child_count,
    child_sum,
    day,
    period,
    yuan,
)
from communities.works.choices import DesignPlanStatus, FundingSource, MeasureUnit, NoticeState
from communities.works.models.facilities import Facility
from communities.works.models.items import FundingLine, RenovationItem, RenovationKind
from communities.works.models.plans import DesignDocument, DesignPlan
from communities.works.models.quantities import ItemQuantity, KindMeasure
from communities.works.objection_admin import DesignPlanObjectionInline
from communities.works.policy import funding_within_budget
from communities.works.resources import (
    FacilityResource,
    FundingLineResource,
    ItemQuantityResource,
    RenovationItemResource,
)
from communities.works.services import (
    design_plan_approve,
    design_plan_editable_fields,
    design_plan_publish,
    renovation_item_saved,
)


class KindMeasureInline(admin.TabularInline):
    """The survey measures an item of this kind may record."""

    model = KindMeasure
    fields = ["measure"]
    extra = 0


@admin.register(RenovationKind)
class RenovationKindAdmin(BaseAdmin):
    inlines = [KindMeasureInline]
    list_display = [
        "name",
        "name_en",
        "code",
        "category",
        "is_reinforcement",
        "sort_order",
        "items",
    ]
    list_filter = ["category", "is_reinforcement"]
    search_fields = ["code", "name", "name_en"]

    def get_readonly_fields(self, request, obj=None):
        """Whether a kind is structural reinforcement decides what may start on a dangerous
        building (reinforce first): set by migration or by a superuser only."""
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly.append("is_reinforcement")
        return readonly

    def get_queryset(self, request) -> QuerySet:
        return (
            super().get_queryset(request).annotate(item_count=child_count(RenovationItem, "kind"))
        )

    @admin.display(description=_("items"), ordering="item_count")
    def items(self, kind: RenovationKind):
        return getattr(kind, "item_count", None)


class FundingLineFormSet(BaseInlineFormSet):
    """All of an item's funding lines, as edited, against its budget as edited.

    The inline holds every line of the item, so this one check covers what the per-line model
    check (siblings as saved) and the item's own check (lines as saved) would each see only
    half of; both are set aside on this page so a problem is reported once, here.
    """

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return  # a line's own error comes first; its amount is unknown
        budget = self.instance.budget
        if budget is None or budget < 0:
            return  # the item's form reports a budget that is no budget
        amounts = [
            form.instance.amount or Decimal("0")
            for form in self.forms
            if not (self.can_delete and self._should_delete_form(form))
        ]
        if not funding_within_budget(budget, amounts):
            raise ValidationError(
                _(
                    "The funding lines add up to ¥%(total)s, more than the item's budget of "
                    "¥%(budget)s."
                ),
                code="over_budget",
                params={"total": _cents(sum(amounts, Decimal("0"))), "budget": _cents(budget)},
            )


def _cents(amount: Decimal) -> Decimal:
    """Amounts in messages read the same however they were typed: 130000 as 130000.00."""
    return amount.quantize(Decimal("0.01"))


def _checked_by_the_formset() -> None:
    return None


class FundingLineInlineForm(forms.ModelForm):
    """A funding line under its item: field checks and constraints, not ``clean()``.

    ``FundingLine.clean()`` weighs one line against its siblings as saved; here the siblings
    are being edited in the same request (30 moved from one source to another would be refused),
    so ``FundingLineFormSet`` weighs them all together instead.
    """

    def _post_clean(self) -> None:
        self.instance.clean = _checked_by_the_formset
        try:
            super()._post_clean()
        finally:
            del self.instance.clean


class FundingLineInline(admin.TabularInline):
    model = FundingLine
    form = FundingLineInlineForm
    formset = FundingLineFormSet
    fields = ["source", "amount", "note"]
    extra = 0
    max_num = len(FundingSource)  # one line per source


class ItemQuantityInline(admin.TabularInline):
    """What the item delivered, in the survey's measures (only those of its kind)."""

    model = ItemQuantity
    fields = ["measure", "amount", "unit"]
    readonly_fields = ["unit"]
    extra = 0

    @admin.display(description=_("unit"))
    def unit(self, quantity: ItemQuantity) -> str:
        return str(MeasureUnit(quantity.unit).label) if quantity.unit else ""


_MISSING = object()


class RenovationItemForm(forms.ModelForm):
    # Set by RenovationItemAdmin.get_form when the funding inline is on the page, which then
    # checks the budget against the lines as edited.
    funding_checked_by_inline = False

    def _post_clean(self) -> None:
        if not self.funding_checked_by_inline:
            super()._post_clean()
            return
        # RenovationItem.clean() checks the budget against the lines as saved, which this same
        # request may change. funding_total() reads an annotated funding_sum when there is one;
        # an empty one leaves that check to the inline's formset.
        item = self.instance
        annotated = item.__dict__.get("funding_sum", _MISSING)
        item.funding_sum = None
        try:
            super()._post_clean()
        finally:
            if annotated is _MISSING:
                del item.funding_sum
            else:
                item.funding_sum = annotated


@admin.register(RenovationItem)
class RenovationItemAdmin(BaseAdmin):
    resource_classes = [RenovationItemResource]
    form = RenovationItemForm
    list_display = [
        "title",
        "community",
        "kind",
        "building_label",
        "status",
        "progress_percent",
        "budget_yuan",
        "funding",
        "planned_end_day",
        "actual_end_day",
    ]
    list_filter = [
        "status",
        "kind__category",
        "kind",
        "community__district",
        "community__renovation_year",
    ]
    list_select_related = ["community", "kind", "building"]
    search_fields = ["title", "community__name", "contractor", "supervisor"]
    autocomplete_fields = ["community", "building", "kind"]
    date_hierarchy = "planned_start"
    readonly_fields = ["funding", "updated_at"]
    fieldsets = [
        (None, {"fields": ["community", "building", "kind", "title", "description"]}),
        (
            _("Quantity and money"),
            {"fields": [("quantity", "unit"), ("budget", "spent"), "funding"]},
        ),
        (
            _("Progress"),
            {
                "fields": [
                    ("status", "progress"),
                    ("planned_start", "planned_end"),
                    ("actual_start", "actual_end"),
                ]
            },
        ),
        (_("Contractors"), {"fields": ["contractor", "supervisor", "updated_at"]}),
    ]
    inlines = [FundingLineInline, ItemQuantityInline]

    def get_queryset(self, request) -> QuerySet:
        # funding_total() reads the annotation instead of querying per row.
        return (
            super()
            .get_queryset(request)
            .annotate(funding_sum=child_sum(FundingLine, "item", "amount"))
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The item's place in its community, and the community's status and dates after it.
        renovation_item_saved(item=obj, created=not change, by=request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.funding_checked_by_inline = any(
            isinstance(inline, FundingLineInline)
            for inline in self.get_inline_instances(request, obj)
        )
        return form

    @admin.display(description=_("building"), ordering="building__label")
    def building_label(self, item: RenovationItem) -> str:
        return item.building.label if item.building_id else self.get_empty_value_display()

    @admin.display(description=_("progress (%)"), ordering="progress")
    def progress_percent(self, item: RenovationItem) -> str:
        return f"{item.progress}%"

    @admin.display(description=_("budget"), ordering="budget")
    def budget_yuan(self, item: RenovationItem) -> str:
        return yuan(item.budget)

    @admin.display(description=_("funding"), ordering="funding_sum")
    def funding(self, item: RenovationItem) -> str:
        return yuan(item.funding_total())

    @admin.display(description=_("spent"), ordering="spent")
    def spent_yuan(self, item: RenovationItem) -> str:
        return yuan(item.spent)

    @admin.display(description=_("planned end"), ordering="planned_end")
    def planned_end_day(self, item: RenovationItem) -> str:
        return day(item.planned_end)

    @admin.display(description=_("actual end"), ordering="actual_end")
    def actual_end_day(self, item: RenovationItem) -> str:
        return day(item.actual_end)


@admin.register(ItemQuantity)
class ItemQuantityAdmin(BaseAdmin):
    resource_classes = [ItemQuantityResource]
    list_display = ["item", "measure", "amount", "unit"]
    list_filter = ["measure", "item__community__district"]
    list_select_related = ["item"]
    search_fields = ["item__title", "item__community__name"]
    autocomplete_fields = ["item"]


@admin.register(FundingLine)
class FundingLineAdmin(BaseAdmin):
    resource_classes = [FundingLineResource]
    list_display = ["item", "community", "source", "amount_yuan", "note"]
    list_filter = ["source", "item__kind__category", "item__community__district"]
    list_select_related = ["item__community"]
    search_fields = ["item__title", "item__community__name", "note"]
    autocomplete_fields = ["item"]
    fields = ["item", "source", "amount", "note"]

    @admin.display(description=_("community"), ordering="item__community__name")
    def community(self, line: FundingLine):
        return line.item.community

    @admin.display(description=_("amount"), ordering="amount")
    def amount_yuan(self, line: FundingLine) -> str:
        return yuan(line.amount)


@admin.register(Facility)
class FacilityAdmin(BaseAdmin):
    resource_classes = [FacilityResource]
    list_display = [
        "name",
        "kind",
        "community",
        "district",
        "capacity",
        "area_m2",
        "opened_on",
        "renovation_item",
    ]
    list_filter = ["kind", "community__district", "opened_on"]
    list_select_related = ["community__district", "renovation_item"]
    search_fields = ["name", "community__name"]
    autocomplete_fields = ["community", "renovation_item"]
    date_hierarchy = "opened_on"
    fieldsets = [
        (None, {"fields": ["community", "kind", "name"]}),
        (_("Size"), {"fields": ["capacity", "area_m2"]}),
        (None, {"fields": ["opened_on", "renovation_item"]}),
    ]

    @admin.display(description=_("district"), ordering="community__district__code")
    def district(self, facility: Facility):
        return facility.community.district


# --- Design plans (炒菜) -----------------------------------------------------------------------


class DesignDocumentInline(admin.TabularInline):
    model = DesignDocument
    fields = ["title", "file", "uploaded_at"]
    readonly_fields = ["uploaded_at"]
    extra = 0


class DesignPlanActionForm(ActionForm):
    approved_on = forms.DateField(
        label=_("Approved on"), required=False, help_text=_("Approve: default today (YYYY-MM-DD).")
    )
    reference = forms.CharField(
        label=_("Approval reference"),
        required=False,
        max_length=100,
        help_text=_("Approve: the number of the approval document."),
    )


PLAN_DECISION_FIELDS = ["status", "approved_on", "approved_by", "approval_reference"]


@admin.register(DesignPlan)
class DesignPlanAdmin(BaseAdmin):
    action_form = DesignPlanActionForm
    list_display = [
        "title",
        "community",
        "batch_year",
        "version",
        "designer",
        "status",
        "notice_period",
        "notice",
        "comments_received",
        "documents",
    ]
    list_filter = ["status", "batch_year", "community__district"]
    list_select_related = ["community"]
    search_fields = ["title", "designer", "community__name", "approval_reference"]
    autocomplete_fields = ["community"]
    inlines = [DesignDocumentInline, DesignPlanObjectionInline]
    actions = ["publish_selected", "approve_selected"]
    # A revert never restores these: notice and approval go only through the list's actions.
    service_state_fields = tuple(PLAN_DECISION_FIELDS)
    service_state_moves = _("the actions of the list (public notice, approval)")
    fieldsets = [
        (
            None,
            {"fields": ["community", ("batch_year", "version"), "title", "designer", "summary"]},
        ),
        (
            _("Public notice"),
            {"fields": [("notice_start", "notice_end"), "comments_received", "comments_summary"]},
        ),
        (_("Approval"), {"fields": PLAN_DECISION_FIELDS}),
    ]

    def get_queryset(self, request) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(document_count=child_count(DesignDocument, "plan"))
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return PLAN_DECISION_FIELDS
        editable = design_plan_editable_fields(obj)
        names = [
            name
            for _title, options in self.fieldsets
            for entry in options["fields"]
            for name in (entry if isinstance(entry, tuple) else [entry])
        ]
        return [name for name in names if name not in editable or name in PLAN_DECISION_FIELDS]

    def has_approve_permission(self, request) -> bool:
        return request.user.has_perm("communities.approve_designplan")

    @admin.display(description=_("public notice period"), ordering="notice_start")
    def notice_period(self, plan: DesignPlan) -> str:
        return period(plan.notice_start, plan.notice_end)

    @admin.display(description=_("notice today"))
    def notice(self, plan: DesignPlan) -> str:
        state = plan.notice_state()
        if state is None or plan.status == DesignPlanStatus.DRAFT:
            return self.get_empty_value_display()
        return NoticeState(state).label

    @admin.display(description=_("documents"), ordering="document_count")
    def documents(self, plan: DesignPlan) -> int:
        return plan.document_count

    @admin.action(
        description=_("Put up for public notice (with the plan's notice period)"),
        permissions=["approve"],
    )
    def publish_selected(self, request, queryset):
        apply_to_selected(
            self,
            request,
            queryset,
            lambda plan: design_plan_publish(plan=plan),
            gettext("%(count)s plan(s) put up for public notice."),
        )

    @admin.action(description=_("Approve (after the notice has ended)"), permissions=["approve"])
    def approve_selected(self, request, queryset):
        form = self.action_form(request.POST)
        form.is_valid()
        apply_to_selected(
            self,
            request,
            queryset,
            lambda plan: design_plan_approve(
                plan=plan,
                on=form.cleaned_data.get("approved_on"),
                by=request.user,
                reference=(form.cleaned_data.get("reference") or "").strip(),
            ),
            gettext("%(count)s plan(s) approved."),
        )
