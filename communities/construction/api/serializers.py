"""Parties with their scorecard, item parties, inspections, findings and rectification orders."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from communities.construction.choices import InspectionKind, OrderStatus, PartyRole, Severity
from communities.construction.models import (
    Finding,
    Inspection,
    ItemParty,
    Party,
    RectificationOrder,
)
from communities.construction.policy import order_overdue
from communities.construction.selectors import party_scorecard
from communities.core import clock
from communities.core.api.base import DomainSerializer, status_code_field
from communities.core.api.fields import ChoiceLabelField


class PartySerializer(DomainSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:party-detail")
    item_count = serializers.IntegerField(read_only=True, help_text=_("Items it works on."))
    order_count = serializers.IntegerField(
        read_only=True, help_text=_("Rectification orders issued to it.")
    )
    open_orders = serializers.IntegerField(read_only=True, help_text=_("Orders not closed."))
    overdue_orders = serializers.IntegerField(
        read_only=True, help_text=_("Orders still open after their deadline.")
    )
    overdue_rate = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        read_only=True,
        allow_null=True,
        help_text=_("Overdue orders as a percentage of all its orders; null without orders."),
    )
    rating_average = serializers.DecimalField(
        max_digits=4,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text=_("Residents' average score (1-5) of the work itself on its items."),
    )

    class Meta:
        model = Party
        fields = [
            "id",
            "url",
            "name",
            "credit_code",
            "is_contractor",
            "is_supervisor",
            "is_designer",
            "contact_person",
            "contact_phone",
            "address",
            "item_count",
            "order_count",
            "open_orders",
            "overdue_orders",
            "overdue_rate",
            "rating_average",
        ]
        # A company's contact person is a person: staff only.
        staff_only_fields = ["contact_person", "contact_phone"]

    @classmethod
    def setup_queryset(cls, queryset):
        return party_scorecard(queryset)

    def to_representation(self, instance):
        if not hasattr(instance, "item_count"):
            instance = party_scorecard(Party.objects.filter(pk=instance.pk)).get()
        return super().to_representation(instance)


class ItemPartySerializer(DomainSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:itemparty-detail")
    party_name = serializers.CharField(source="party.name", read_only=True)
    role_display = ChoiceLabelField(PartyRole, source="role")
    community = serializers.IntegerField(source="item.community_id", read_only=True)

    class Meta:
        model = ItemParty
        fields = ["id", "url", "item", "community", "party", "party_name", "role", "role_display"]

    @classmethod
    def setup_queryset(cls, queryset):
        return queryset.select_related("party", "item")


class FindingBriefSerializer(DomainSerializer):
    severity_display = ChoiceLabelField(Severity, source="severity")

    class Meta:
        model = Finding
        fields = ["id", "severity", "severity_display", "description", "standard_cited"]
        read_only_fields = fields


class InspectionSerializer(DomainSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:inspection-detail")
    community_name = serializers.CharField(source="community.name", read_only=True)
    kind_display = ChoiceLabelField(InspectionKind, source="kind")
    findings = FindingBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "url",
            "community",
            "community_name",
            "item",
            "visited_on",
            "inspector",
            "kind",
            "kind_display",
            "note",
            "findings",
        ]

    @classmethod
    def setup_queryset(cls, queryset):
        return queryset.select_related("community").prefetch_related("findings")


class FindingSerializer(DomainSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:finding-detail")
    severity_display = ChoiceLabelField(Severity, source="severity")
    photo = serializers.FileField(read_only=True, use_url=True)
    community = serializers.IntegerField(source="inspection.community_id", read_only=True)
    item = serializers.IntegerField(source="inspection.item_id", read_only=True, allow_null=True)
    order = serializers.SerializerMethodField()

    class Meta:
        model = Finding
        fields = [
            "id",
            "url",
            "inspection",
            "community",
            "item",
            "severity",
            "severity_display",
            "description",
            "standard_cited",
            "photo",
            "order",
        ]

    @classmethod
    def setup_queryset(cls, queryset):
        return queryset.select_related("inspection", "order")

    def get_order(self, finding) -> int | None:
        order = getattr(finding, "order", None) if finding.pk else None
        return order.pk if order is not None else None


class RectificationOrderSerializer(DomainSerializer):
    """Issued by a create (``rectification_order_issue``'s rules: the model's); its status moves
    only through the actions report-fixed, close and reopen."""

    url = serializers.HyperlinkedIdentityField(view_name="api:rectificationorder-detail")
    contractor_name = serializers.CharField(source="contractor.name", read_only=True)
    severity = serializers.CharField(source="finding.severity", read_only=True)
    community = serializers.IntegerField(source="finding.inspection.community_id", read_only=True)
    item = serializers.IntegerField(
        source="finding.inspection.item_id", read_only=True, allow_null=True
    )
    status = status_code_field(OrderStatus)
    status_display = ChoiceLabelField(OrderStatus, source="status")
    overdue = serializers.SerializerMethodField()
    fix_photo = serializers.FileField(read_only=True, use_url=True)

    class Meta:
        model = RectificationOrder
        fields = [
            "id",
            "url",
            "finding",
            "severity",
            "community",
            "item",
            "contractor",
            "contractor_name",
            "issued_on",
            "deadline",
            "status",
            "status_display",
            "overdue",
            "fixed_on",
            "fix_note",
            "fix_photo",
            "closed_on",
            "reopen_note",
            "times_reopened",
        ]
        read_only_fields = [
            "status",
            "fixed_on",
            "fix_note",
            "fix_photo",
            "closed_on",
            "reopen_note",
            "times_reopened",
        ]

    @classmethod
    def setup_queryset(cls, queryset):
        return queryset.select_related("contractor", "finding__inspection")

    def get_overdue(self, order) -> bool:
        return order_overdue(status=order.status, deadline=order.deadline, on=clock.today())


class ReportFixedSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)
    fixed_on = serializers.DateField(required=False)


class CloseSerializer(serializers.Serializer):
    closed_on = serializers.DateField(required=False)


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    deadline = serializers.DateField(required=False)
