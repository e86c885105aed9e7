"""Admin for construction supervision: parties with their scorecard, inspections with their
findings, rectification orders, whose status moves only through the list's actions, and
acceptances (recorded through the service) and settlements."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from communities.construction.choices import OrderStatus
from communities.construction.models import (
    Acceptance,
    AcceptanceCondition,
    AcceptanceDocument,
    AcceptanceParty,
    AcceptanceResident,
    Finding,
    Inspection,
    ItemParty,
    Party,
    RectificationOrder,
    Settlement,
)
from communities.construction.policy import order_overdue
from communities.construction.resources import (
    FindingResource,
    InspectionResource,
    RectificationOrderResource,
)
from communities.construction.selectors import overdue_condition, party_scorecard
from communities.construction.services import (
    acceptance_errors,
    acceptance_record,
    rectification_order_close,
    rectification_order_reopen,
    rectification_order_report_fixed,
)
from communities.core import clock
from communities.core.admin import BaseAdmin, ScopedChoicesMixin, apply_to_selected


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

# --- Acceptance (竣工验收) and settlement (结算审计) ----------------------------------------------


class _AcceptanceRowInline(ScopedChoicesMixin, admin.TabularInline):
    """A row of an acceptance: added and changed while it is a draft; once it is recorded the
    model refuses additions and changes (form errors), and nothing is deleted."""

    extra = 0

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_recorded:
            return False
        return super().has_delete_permission(request, obj)


class AcceptancePartyInline(_AcceptanceRowInline):
    model = AcceptanceParty
    fields = ["role", "party"]
    autocomplete_fields = ["party"]


class AcceptanceResidentInline(_AcceptanceRowInline):
    model = AcceptanceResident
    fields = ["name", "building", "entrance_unit", "room_number"]
    autocomplete_fields = ["building"]


class AcceptanceDocumentInline(_AcceptanceRowInline):
    model = AcceptanceDocument
    fields = ["title", "file"]


class AcceptanceConditionInline(_AcceptanceRowInline):
    model = AcceptanceCondition
    fields = ["description", "deadline", "met_on", "met_note"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}
    }


def _submitted_conditions(data, prefix: str = "conditions") -> int:
    """How many conditions the page's conditions inline submits (kept, with a description)."""
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS") or 0)
    except (TypeError, ValueError):
        return 0
    return sum(
        1
        for index in range(min(total, 1000))
        if (data.get(f"{prefix}-{index}-description") or "").strip()
        and not data.get(f"{prefix}-{index}-DELETE")
    )


class AcceptanceForm(forms.ModelForm):
    record = forms.BooleanField(
        label=_("Record the acceptance now"),
        required=False,
        help_text=_(
            "Recorded, its date, conclusion, builder and attendees are final, and a conclusion "
            "of accepted or accepted with conditions accepts the item. Leave unticked to keep "
            "a draft."
        ),
    )

    class Meta:
        model = Acceptance
        fields = ["item", "accepted_on", "conclusion", "builder", "note"]

    def clean(self):
        data = super().clean()
        if data.get("record") and not self.instance.is_recorded:
            item = data.get("item")
            conclusion = data.get("conclusion")
            if item is not None and conclusion:
                problems = acceptance_errors(
                    item=item,
                    conclusion=conclusion,
                    conditions=_submitted_conditions(self.data),
                )
                if problems:
                    raise ValidationError(problems)
        return data


@admin.register(Acceptance)
class AcceptanceAdmin(BaseAdmin):
    form = AcceptanceForm
    list_display = ["item", "accepted_on", "conclusion", "recorded_on", "community"]
    list_filter = ["conclusion", "item__community__district"]
    list_select_related = ["item__community"]
    search_fields = ["item__title", "item__community__name", "builder"]
    autocomplete_fields = ["item"]
    date_hierarchy = "accepted_on"
    readonly_fields = ["recorded_on"]
    inlines = [
        AcceptancePartyInline,
        AcceptanceResidentInline,
        AcceptanceConditionInline,
        AcceptanceDocumentInline,
    ]
    # A revert never restores this: an acceptance is recorded only through the service.
    service_state_fields = ("recorded_on",)
    service_state_moves = _("the “record the acceptance now” box of its page")

    def get_fields(self, request, obj=None):
        fields = ["item", "accepted_on", "conclusion", "builder", "note", "recorded_on"]
        if obj is None or not obj.is_recorded:
            fields.append("record")
        return fields

    @admin.display(description=_("community"))
    def community(self, acceptance: Acceptance) -> str:
        return acceptance.item.community.name

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_recorded:
            return False
        return super().has_delete_permission(request, obj)

    def save_related(self, request, form, formsets, change):
        """Save the attendees, documents and conditions, then record the acceptance through
        the service (which accepts the item) when asked: the form checked beforehand what the
        service refuses, so a refusal here is a race, rolled back and reported."""
        super().save_related(request, form, formsets, change)
        if form.cleaned_data.get("record") and not form.instance.is_recorded:
            try:
                acceptance_record(acceptance=form.instance, by=request.user)
            except ValidationError as exc:
                transaction.set_rollback(True)
                self.message_user(
                    request,
                    gettext("Not recorded: %(reason)s") % {"reason": " ".join(exc.messages)},
                    messages.ERROR,
                )


class SettlementForm(forms.ModelForm):
    class Meta:
        model = Settlement
        fields = ["item", "settled_amount", "auditor", "audited_on", "explanation"]


@admin.register(Settlement)
class SettlementAdmin(BaseAdmin):
    form = SettlementForm
    list_display = ["item", "budget", "spent", "settled_amount", "overspent", "audited_on"]
    list_filter = ["item__community__district"]
    list_select_related = ["item"]
    search_fields = ["item__title", "item__community__name", "auditor"]
    autocomplete_fields = ["item"]
    date_hierarchy = "audited_on"

    @admin.display(description=_("budget (yuan)"), ordering="item__budget")
    def budget(self, settlement: Settlement):
        return settlement.item.budget

    @admin.display(description=_("spent (yuan)"), ordering="item__spent")
    def spent(self, settlement: Settlement):
        return settlement.item.spent

    @admin.display(description=_("over the budget"), boolean=True)
    def overspent(self, settlement: Settlement) -> bool:
        return settlement.overspend > 0

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)
