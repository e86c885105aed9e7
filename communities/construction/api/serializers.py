"""Parties with their scorecard, item parties, inspections, findings, rectification orders,
acceptances (竣工验收) and settlements (结算审计)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from communities.construction.choices import (
    AcceptanceConclusion,
    InspectionKind,
    OrderStatus,
    PartyRole,
    Severity,
)
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
from communities.construction.policy import order_overdue, overspend
from communities.construction.selectors import party_scorecard
from communities.core import bounds, clock
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


# --- Acceptance (竣工验收) and settlement (结算审计) ----------------------------------------------


class AcceptancePartySerializer(serializers.ModelSerializer):
    party_name = serializers.CharField(source="party.name", read_only=True)
    role_display = ChoiceLabelField(PartyRole, source="role")

    class Meta:
        model = AcceptanceParty
        fields = ["party", "party_name", "role", "role_display"]
        read_only_fields = fields


class AcceptanceResidentSerializer(serializers.ModelSerializer):
    building_label = serializers.CharField(
        source="building.label", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = AcceptanceResident
        fields = ["name", "building", "building_label", "entrance_unit", "room_number"]
        read_only_fields = fields


class AcceptanceDocumentSerializer(serializers.ModelSerializer):
    file = serializers.FileField(read_only=True, use_url=True)

    class Meta:
        model = AcceptanceDocument
        fields = ["id", "title", "file", "uploaded_at"]
        read_only_fields = fields


class AcceptanceConditionSerializer(serializers.ModelSerializer):
    class Meta:
        model = AcceptanceCondition
        fields = ["id", "description", "deadline", "met_on", "met_note"]
        read_only_fields = fields


class AcceptanceSerializer(DomainSerializer):
    """An acceptance as recorded. Its date, conclusion and builder are frozen once recorded
    (409); residents' representatives are named only to staff in scope, counted for all."""

    url = serializers.HyperlinkedIdentityField(view_name="api:acceptance-detail")
    item_title = serializers.CharField(source="item.title", read_only=True)
    community = serializers.IntegerField(source="item.community_id", read_only=True)
    conclusion_display = ChoiceLabelField(AcceptanceConclusion, source="conclusion")
    parties = AcceptancePartySerializer(many=True, read_only=True)
    resident_count = serializers.SerializerMethodField()
    residents = AcceptanceResidentSerializer(many=True, read_only=True)
    documents = AcceptanceDocumentSerializer(many=True, read_only=True)
    conditions = AcceptanceConditionSerializer(many=True, read_only=True)

    class Meta:
        model = Acceptance
        fields = [
            "id",
            "url",
            "item",
            "item_title",
            "community",
            "accepted_on",
            "conclusion",
            "conclusion_display",
            "builder",
            "note",
            "recorded_on",
            "parties",
            "resident_count",
            "residents",
            "documents",
            "conditions",
        ]
        read_only_fields = ["recorded_on"]
        # Residents' names and rooms are personal data: staff in scope only.
        staff_only_fields = ["residents"]

    @classmethod
    def setup_queryset(cls, queryset):
        return queryset.select_related("item").prefetch_related(
            "parties__party", "residents__building", "documents", "conditions"
        )

    def get_resident_count(self, acceptance) -> int:
        return len(acceptance.residents.all())


class _BoundedInput(serializers.Serializer):
    """An input whose whole numbers and dates keep inside the bounds (``core.bounds``): a
    20-digit id or the year 1 is a 400, not a database error."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            bounds.bound_serializer_field(field)
        return fields


class AcceptancePartyInput(_BoundedInput):
    party = serializers.PrimaryKeyRelatedField(queryset=Party.objects.all())
    role = serializers.ChoiceField(choices=PartyRole.choices)


class AcceptanceResidentInput(_BoundedInput):
    name = serializers.CharField(max_length=50)
    building = serializers.IntegerField(required=False, allow_null=True)
    entrance_unit = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    room_number = serializers.CharField(max_length=20, required=False, allow_blank=True)


class AcceptanceConditionInput(_BoundedInput):
    description = serializers.CharField(max_length=2000)
    deadline = serializers.DateField()


class AcceptanceCreateSerializer(_BoundedInput):
    """An acceptance recorded at once with its attendees and conditions
    (``services.acceptance_create``): an accepting conclusion accepts the item."""

    item = serializers.IntegerField()
    accepted_on = serializers.DateField()
    conclusion = serializers.ChoiceField(choices=AcceptanceConclusion.choices)
    builder = serializers.CharField(max_length=200)
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    parties = AcceptancePartyInput(many=True, required=False)
    residents = AcceptanceResidentInput(many=True, required=False)
    conditions = AcceptanceConditionInput(many=True, required=False)


class MeetConditionSerializer(_BoundedInput):
    condition = serializers.IntegerField(help_text=_("The condition's id."))
    note = serializers.CharField(max_length=2000)
    met_on = serializers.DateField(required=False)


class SettlementSerializer(DomainSerializer):
    """The audited final amount of an item; frozen once recorded (409)."""

    url = serializers.HyperlinkedIdentityField(view_name="api:settlement-detail")
    item_title = serializers.CharField(source="item.title", read_only=True)
    community = serializers.IntegerField(source="item.community_id", read_only=True)
    budget = serializers.DecimalField(
        source="item.budget", max_digits=14, decimal_places=2, read_only=True
    )
    spent = serializers.DecimalField(
        source="item.spent", max_digits=14, decimal_places=2, read_only=True
    )
    overspend = serializers.SerializerMethodField(
        help_text=_("How much the settled amount is over the budget (0 within it).")
    )

    class Meta:
        model = Settlement
        fields = [
            "id",
            "url",
            "item",
            "item_title",
            "community",
            "budget",
            "spent",
            "settled_amount",
            "overspend",
            "auditor",
            "audited_on",
            "explanation",
        ]

    @classmethod
    def setup_queryset(cls, queryset):
        return queryset.select_related("item")

    def get_overspend(self, settlement) -> str:
        return f"{overspend(budget=settlement.item.budget, settled=settlement.settled_amount):.2f}"
