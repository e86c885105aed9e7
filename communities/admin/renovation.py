"""Admin for renovation content: kinds of work, items, and their funding lines.

The funding rule across rows (the lines of an item may not add up to more than its budget) is
checked once on each page: on an item's page, where the item and all its lines are edited
together, by the funding inline's formset against the budget as edited; on a funding line's own
page by ``FundingLine.clean()`` against the other lines as saved.
"""

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from communities import policy
from communities.choices import FundingSource
from communities.models import FundingLine, RenovationItem, RenovationKind

from .base import BaseAdmin, child_count, child_sum, yuan


@admin.register(RenovationKind)
class RenovationKindAdmin(BaseAdmin):
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
        if not policy.funding_within_budget(budget, amounts):
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
        "spent_yuan",
        "planned_start",
        "planned_end",
        "actual_end",
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
    inlines = [FundingLineInline]

    def get_queryset(self, request) -> QuerySet:
        # funding_total() reads the annotation instead of querying per row.
        return (
            super()
            .get_queryset(request)
            .annotate(funding_sum=child_sum(FundingLine, "item", "amount"))
        )

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


@admin.register(FundingLine)
class FundingLineAdmin(BaseAdmin):
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
