"""Admin for construction supervision: parties with their scorecard, inspections with their
findings, and rectification orders, whose status moves only through the list's actions."""

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ActionForm
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from communities.construction.choices import OrderStatus
from communities.construction.models import (
    Finding,
    Inspection,
    ItemParty,
    Party,
    RectificationOrder,
)
from communities.construction.policy import order_overdue
from communities.construction.resources import (
    FindingResource,
    InspectionResource,
    RectificationOrderResource,
)
from communities.construction.selectors import overdue_condition, party_scorecard
from communities.construction.services import (
    rectification_order_close,
    rectification_order_reopen,
    rectification_order_report_fixed,
)
from communities.core import clock
from communities.core.admin import BaseAdmin, apply_to_selected


@admin.register(Party)
class PartyAdmin(BaseAdmin):
    list_display = [
        "name",
        "credit_code",
        "is_contractor",
        "is_supervisor",
        "is_designer",
        "items",
        "open_orders",
        "overdue_orders",
        "overdue_rate",
        "rating_average",
    ]
    list_filter = ["is_contractor", "is_supervisor", "is_designer"]
    search_fields = ["name", "credit_code"]

    def get_queryset(self, request) -> QuerySet:
        return party_scorecard(super().get_queryset(request))

    @admin.display(description=_("items"), ordering="item_count")
    def items(self, party: Party):
        return party.item_count

    @admin.display(description=_("open orders"), ordering="open_orders")
    def open_orders(self, party: Party):
        return party.open_orders

    @admin.display(description=_("overdue orders"), ordering="overdue_orders")
    def overdue_orders(self, party: Party):
        return party.overdue_orders

    @admin.display(description=_("overdue rate (%)"), ordering="overdue_rate")
    def overdue_rate(self, party: Party):
        return (
            party.overdue_rate if party.overdue_rate is not None else self.get_empty_value_display()
        )

    @admin.display(description=_("residents' rating"), ordering="rating_average")
    def rating_average(self, party: Party):
        if party.rating_average is None:
            return self.get_empty_value_display()
        return f"{party.rating_average:.2f}"


@admin.register(ItemParty)
class ItemPartyAdmin(BaseAdmin):
    list_display = ["item", "role", "party"]
    list_filter = ["role"]
    list_select_related = ["item", "party"]
    search_fields = ["item__title", "party__name", "party__credit_code"]
    autocomplete_fields = ["item", "party"]


class FindingInline(admin.TabularInline):
    model = Finding
    fields = ["severity", "description", "standard_cited", "photo"]
    extra = 0
    # A narrower description box: the row fits a 1366 px screen beside the photo's field.
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}
    }


@admin.register(Inspection)
class InspectionAdmin(BaseAdmin):
    resource_classes = [InspectionResource]
    list_display = ["visited_on", "kind", "community", "item", "inspector"]
    list_filter = ["kind", "community__district"]
    list_select_related = ["community", "item"]
    search_fields = ["inspector", "community__name", "item__title", "note"]
    autocomplete_fields = ["community", "item"]
    date_hierarchy = "visited_on"
    inlines = [FindingInline]


@admin.register(Finding)
class FindingAdmin(BaseAdmin):
    resource_classes = [FindingResource]
    list_display = ["__str__", "severity", "inspection", "standard_cited"]
    list_filter = ["severity", "inspection__community__district"]
    list_select_related = ["inspection"]
    search_fields = ["description", "standard_cited"]
    autocomplete_fields = ["inspection"]


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(overdue_condition())
        if self.value() == "no":
            return queryset.exclude(overdue_condition())
        return queryset


class OrderActionForm(ActionForm):
    day = forms.DateField(
        label=_("Date"),
        required=False,
        help_text=_("Reported fixed or closed on: default today (YYYY-MM-DD)."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        help_text=_("Report fixed: what was done. Reopen: why."),
    )


ORDER_STATE_FIELDS = [
    "status",
    "fixed_on",
    "fix_note",
    "fix_photo",
    "closed_on",
    "reopen_note",
    "times_reopened",
]


@admin.register(RectificationOrder)
class RectificationOrderAdmin(BaseAdmin):
    resource_classes = [RectificationOrderResource]
    action_form = OrderActionForm
    list_display = [
        "__str__",
        "contractor",
        "severity",
        "community",
        "issued_on",
        "deadline",
        "status",
        "is_overdue",
    ]
    list_filter = [
        "status",
        OverdueFilter,
        "finding__severity",
        "contractor",
        "finding__inspection__community__district",
    ]
    list_select_related = ["contractor", "finding__inspection__community"]
    search_fields = ["contractor__name", "finding__description", "fix_note"]
    autocomplete_fields = ["finding", "contractor"]
    actions = ["report_fixed_selected", "close_selected", "reopen_selected"]
    readonly_fields = ORDER_STATE_FIELDS
    fields = ["finding", "contractor", "issued_on", "deadline", *ORDER_STATE_FIELDS]
    # A revert never restores these: the order's state moves only through the list's actions.
    service_state_fields = tuple(ORDER_STATE_FIELDS)
    service_state_moves = _("the actions of the list (report fixed, close, reopen)")

    @admin.display(description=_("severity"), ordering="finding__severity")
    def severity(self, order: RectificationOrder) -> str:
        return order.finding.get_severity_display()

    @admin.display(description=_("community"))
    def community(self, order: RectificationOrder) -> str:
        return order.finding.inspection.community.name

    @admin.display(description=_("overdue"), boolean=True)
    def is_overdue(self, order: RectificationOrder) -> bool:
        return order_overdue(status=order.status, deadline=order.deadline, on=clock.today())

    def _form(self, request):
        form = self.action_form(request.POST)
        form.is_valid()
        return form.cleaned_data if hasattr(form, "cleaned_data") else {}

    @admin.action(description=_("Report fixed (with the note and date below)"))
    def report_fixed_selected(self, request, queryset):
        data = self._form(request)
        apply_to_selected(
            self,
            request,
            queryset,
            lambda order: rectification_order_report_fixed(
                order=order, note=data.get("note") or "", fixed_on=data.get("day")
            ),
            gettext("%(count)s order(s) reported fixed."),
        )

    @admin.action(description=_("Close (the fix is accepted)"))
    def close_selected(self, request, queryset):
        data = self._form(request)
        apply_to_selected(
            self,
            request,
            queryset,
            lambda order: rectification_order_close(order=order, closed_on=data.get("day")),
            gettext("%(count)s order(s) closed."),
        )

    @admin.action(description=_("Reopen (with the reason below)"))
    def reopen_selected(self, request, queryset):
        data = self._form(request)
        apply_to_selected(
            self,
            request,
            queryset,
            lambda order: rectification_order_reopen(order=order, reason=data.get("note") or ""),
            gettext("%(count)s order(s) reopened."),
        )

    def get_changeform_initial_data(self, request):
        return {**super().get_changeform_initial_data(request), "status": OrderStatus.OPEN}


# Community photos: their own module (several files at once on the add page).
from communities.construction import photo_admin  # noqa: E402, F401
