"""``/api/v1/elevator-invoices/`` and ``/api/v1/elevator-payments/``: the owners' money for an
elevator retrofit (staff only: an invoice says what one household owes).

Each write runs the model's own validation (``DomainSerializer``): an invoice for the share the
notice fixed, payments never more than invoiced, the maintenance fund never drawn beyond the
retrofit's. The arrears are the invoice list filtered with ``?in_arrears=true`` (each invoice
carries ``paid`` and ``outstanding``); the public totals are on the retrofit
(``owners_invoiced``, ``owners_collected``, ``households_in_arrears``).
"""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from communities.core.api.base import DomainSerializer, DomainViewSet, raise_api_error
from communities.core.api.fields import ChoiceLabelField
from communities.core.filters import BooleanFilter, DateFilter, FilterSet, IntegerFilter
from communities.core.money import MONEY
from communities.elevators.choices import PaymentSource
from communities.elevators.payment_models import ShareInvoice, SharePayment
from communities.elevators.payments import (
    in_arrears,
    invoices_with_paid,
    share_payment_record,
)
from communities.places.filters import district_filter


class ShareInvoiceSerializer(DomainSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:shareinvoice-detail")
    room_number = serializers.CharField(source="household.room_number", read_only=True)
    floor = serializers.IntegerField(source="household.floor", read_only=True)
    owner_name = serializers.CharField(source="household.owner_name", read_only=True)
    paid = serializers.DecimalField(
        **MONEY, read_only=True, help_text=_("The sum of the payments against it.")
    )
    outstanding = serializers.DecimalField(
        **MONEY, read_only=True, help_text=_("Invoiced − paid: the household's arrears.")
    )

    class Meta:
        model = ShareInvoice
        fields = [
            "id",
            "url",
            "retrofit",
            "household",
            "floor",
            "room_number",
            "owner_name",
            "amount",
            "invoiced_on",
            "paid",
            "outstanding",
            "note",
        ]

    @classmethod
    def setup_queryset(cls, queryset):
        return invoices_with_paid(queryset.select_related("household"))


class SharePaymentSerializer(DomainSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:sharepayment-detail")
    source_display = ChoiceLabelField(PaymentSource, source="source")

    class Meta:
        model = SharePayment
        fields = [
            "id",
            "url",
            "invoice",
            "retrofit",
            "amount",
            "paid_on",
            "source",
            "source_display",
            "reference",
            "note",
        ]
        read_only_fields = ["retrofit"]

    def create(self, validated_data):
        """Through the service, which locks the invoice while it checks the total."""
        try:
            return share_payment_record(**validated_data)
        except DjangoValidationError as error:
            raise_api_error(error)


class ShareInvoiceFilter(FilterSet):
    retrofit = IntegerFilter(field_name="retrofit_id", label=_("Elevator retrofit id"))
    household = IntegerFilter(field_name="household_id", label=_("Household id"))
    district = district_filter("retrofit__building__community__district")
    in_arrears = BooleanFilter(
        method="filter_in_arrears", label=_("Not paid in full (invoiced − paid above ¥0)")
    )

    class Meta:
        model = ShareInvoice
        fields = ["retrofit", "household", "district", "in_arrears"]

    def filter_in_arrears(self, queryset, name, value):
        owing = in_arrears(queryset)
        return owing if value else queryset.exclude(pk__in=owing.values("pk"))


class SharePaymentFilter(FilterSet):
    retrofit = IntegerFilter(field_name="retrofit_id", label=_("Elevator retrofit id"))
    invoice = IntegerFilter(field_name="invoice_id", label=_("Invoice id"))
    source = django_filters.ChoiceFilter(choices=PaymentSource.choices, label=_("Paid from"))
    paid_from = DateFilter(field_name="paid_on", lookup_expr="gte", label=_("Paid on or after"))
    paid_to = DateFilter(field_name="paid_on", lookup_expr="lte", label=_("Paid on or before"))

    class Meta:
        model = SharePayment
        fields = ["retrofit", "invoice", "source", "paid_from", "paid_to"]


class OwnersMoneyViewSet(DomainViewSet):
    """Private throughout: the public reads nothing (its totals are on the retrofit), staff
    holding the view permission read their scope only."""

    limited_staff_read = "scope"
    view_permission = ""

    def public_queryset(self, queryset):
        return queryset.none()

    def may_read_private(self) -> bool:
        user = self.request.user
        return bool(
            user and user.is_authenticated and user.is_staff and user.has_perm(self.view_permission)
        )


class ShareInvoiceViewSet(OwnersMoneyViewSet):
    """What each household was invoiced for its share of a retrofit, with what it has paid and
    what it still owes (``?in_arrears=true``: the arrears). Staff of the district only."""

    queryset = ShareInvoice.objects.all()
    serializer_class = ShareInvoiceSerializer
    filterset_class = ShareInvoiceFilter
    ordering = ["retrofit_id", "household_id"]
    ordering_fields = ["id", "retrofit", "amount", "invoiced_on", "outstanding"]
    view_permission = "communities.view_shareinvoice"


class SharePaymentViewSet(OwnersMoneyViewSet):
    """Payments towards the invoices: several per invoice, from the housing maintenance fund,
    in cash or by transfer. Staff of the district only."""

    queryset = SharePayment.objects.all()
    serializer_class = SharePaymentSerializer
    filterset_class = SharePaymentFilter
    ordering = ["invoice_id", "paid_on", "id"]
    ordering_fields = ["id", "paid_on", "amount"]
    view_permission = "communities.view_sharepayment"
