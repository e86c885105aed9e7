"""The admin of the owners' money for elevator retrofits: the collection rules, the invoices
(with their payments inline, and the arrears as a filter), the payments; on the retrofit's
page its invoices read-only, and the list's action "Invoice the owners' shares".

Every form runs the models' own validation; the move to construction checks the rule through
``services.elevator_retrofit_advance`` (the stage page shows the refusal).
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from communities.core.admin import BaseAdmin, yuan
from communities.elevators.payment_models import CollectionRule, ShareInvoice, SharePayment
from communities.elevators.payments import in_arrears, invoices_with_paid, share_invoices_issue


@admin.register(CollectionRule)
class CollectionRuleAdmin(BaseAdmin):
    list_display = ["region_name", "region_code", "required_percent", "source"]
    search_fields = ["region_name", "region_code", "source"]


class ArrearsFilter(admin.SimpleListFilter):
    title = _("paid")
    parameter_name = "arrears"

    def lookups(self, request, model_admin):
        return [("owing", _("In arrears")), ("paid", _("Paid in full"))]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if self.value() == "owing":
            return in_arrears(queryset)
        if self.value() == "paid":
            return queryset.exclude(pk__in=in_arrears(queryset).values("pk"))
        return queryset


class SharePaymentInline(admin.TabularInline):
    """The payments against one invoice: several, each dated, with where the money came from."""

    model = SharePayment
    fields = ["amount", "paid_on", "source", "reference", "note"]
    ordering = ["paid_on", "id"]
    extra = 1
    verbose_name_plural = _("payments")


@admin.register(ShareInvoice)
class ShareInvoiceAdmin(BaseAdmin):
    """What each household was invoiced, has paid and owes: ``?arrears=owing`` lists the
    arrears, in the user's districts only (rooms and owners are personal data)."""

    inlines = [SharePaymentInline]
    list_display = [
        "household_room",
        "owner",
        "retrofit",
        "district",
        "amount_yuan",
        "paid_yuan",
        "outstanding_yuan",
        "invoiced_on",
    ]
    list_display_links = ["household_room"]
    list_filter = [ArrearsFilter, "retrofit__building__community__district", "invoiced_on"]
    # str(invoice) names the household's building and community (the rows' checkboxes).
    list_select_related = [
        "household__building__community",
        "retrofit__building__community__district",
    ]
    search_fields = [
        "household__room_number",
        "household__owner_name",
        "retrofit__building__label",
        "retrofit__building__community__name",
    ]
    autocomplete_fields = ["retrofit", "household"]
    fields = ["retrofit", "household", "amount", "invoiced_on", "note"]
    label_select_related = ("household__building__community",)

    def get_queryset(self, request) -> QuerySet:
        return invoices_with_paid(super().get_queryset(request))

    @admin.display(description=_("room"), ordering="household__room_number")
    def household_room(self, invoice: ShareInvoice) -> str:
        return invoice.household.room_number

    @admin.display(description=_("owner's name"), ordering="household__owner_name")
    def owner(self, invoice: ShareInvoice) -> str:
        return invoice.household.owner_name

    @admin.display(description=_("district"))
    def district(self, invoice: ShareInvoice):
        return invoice.retrofit.building.community.district

    @admin.display(description=_("invoiced"), ordering="amount")
    def amount_yuan(self, invoice: ShareInvoice) -> str:
        return yuan(invoice.amount)

    @admin.display(description=_("paid"), ordering="paid")
    def paid_yuan(self, invoice: ShareInvoice) -> str:
        return yuan(invoice.paid)

    @admin.display(description=_("outstanding"), ordering="outstanding")
    def outstanding_yuan(self, invoice: ShareInvoice) -> str:
        return yuan(invoice.outstanding)


@admin.register(SharePayment)
class SharePaymentAdmin(BaseAdmin):
    list_display = ["paid_on", "invoice", "amount_yuan", "source", "reference", "district"]
    list_filter = ["source", "retrofit__building__community__district", "paid_on"]
    list_select_related = [
        "invoice__household__building__community",
        "retrofit__building__community__district",
    ]
    search_fields = [
        "reference",
        "invoice__household__room_number",
        "invoice__household__owner_name",
    ]
    autocomplete_fields = ["invoice"]
    fields = ["invoice", "amount", "paid_on", "source", "reference", "note"]
    date_hierarchy = "paid_on"

    @admin.display(description=_("amount"), ordering="amount")
    def amount_yuan(self, payment: SharePayment) -> str:
        return yuan(payment.amount)

    @admin.display(description=_("district"))
    def district(self, payment: SharePayment):
        return payment.retrofit.building.community.district


class ShareInvoiceInline(admin.TabularInline):
    """A retrofit's invoices with what each household paid and owes (one query); payments are
    recorded on the invoice's own page."""

    model = ShareInvoice
    fields = ["invoice_link", "amount", "invoiced_on", "paid_yuan", "outstanding_yuan"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("the owners' invoices and payments")

    def get_queryset(self, request) -> QuerySet:
        return invoices_with_paid(super().get_queryset(request).select_related("household"))

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("household"))
    def invoice_link(self, invoice: ShareInvoice) -> str:
        household = invoice.household
        return format_html(
            '<a href="{}">{} {}</a>',
            reverse("admin:communities_shareinvoice_change", args=[invoice.pk]),
            household.room_number,
            household.owner_name,
        )

    @admin.display(description=_("paid"))
    def paid_yuan(self, invoice: ShareInvoice) -> str:
        return yuan(invoice.paid)

    @admin.display(description=_("outstanding"))
    def outstanding_yuan(self, invoice: ShareInvoice) -> str:
        return yuan(invoice.outstanding)


@admin.action(description=_("Invoice the owners' shares"), permissions=["change"])
def issue_invoices(modeladmin, request, queryset) -> None:
    """Invoice every household of the selected retrofits for its share, dated today (those
    already invoiced are left as they are)."""
    made = 0
    for retrofit in queryset.order_by("pk"):
        try:
            made += len(share_invoices_issue(retrofit=retrofit))
        except ValidationError as refusal:
            modeladmin.message_user(
                request, f"{retrofit}: {' '.join(refusal.messages)}", messages.WARNING
            )
    modeladmin.message_user(
        request,
        ngettext("%(count)d invoice issued.", "%(count)d invoices issued.", made) % {"count": made},
        messages.SUCCESS if made else messages.INFO,
    )
