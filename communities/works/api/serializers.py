"""Renovation kinds, items and their funding lines."""

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from communities.core.api.base import DomainSerializer, status_code_field
from communities.core.api.fields import ChoiceLabelField, SiteURLField
from communities.works.choices import (
    Category,
    DesignPlanStatus,
    FacilityKind,
    FundingSource,
    ItemStatus,
    Measure,
    NoticeState,
)
from communities.works.models.facilities import Facility
from communities.works.models.items import FundingLine, RenovationItem, RenovationKind
from communities.works.models.plans import DesignDocument, DesignPlan
from communities.works.models.quantities import ItemQuantity
from communities.works.services import design_plan_editable_fields


def with_funding_sum(items: QuerySet) -> QuerySet:
    """Annotate ``funding_sum`` (read by ``RenovationItem.funding_total``) in one subquery."""
    per_item = (
        FundingLine.objects.filter(item=OuterRef("pk"))
        .order_by()
        .values("item")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return items.annotate(funding_sum=Subquery(per_item))


def funding_lines() -> Prefetch:
    """Items' funding lines by source, read from their own table only (the model's ordering
    starts with the item, which orders by community, district code and name: four joins)."""
    return Prefetch("funding", queryset=FundingLine.objects.order_by("item_id", "source"))


class RenovationKindSerializer(DomainSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:renovationkind-detail", lookup_field="code"
    )
    display_name = serializers.CharField(read_only=True)
    category_display = ChoiceLabelField(Category, source="category")

    class Meta:
        model = RenovationKind
        fields = [
            "id",
            "url",
            "code",
            "name",
            "name_en",
            "display_name",
            "category",
            "category_display",
            "is_reinforcement",
            "sort_order",
        ]


class FundingLineBriefSerializer(DomainSerializer):
    """A funding line inside its item (read only: lines are written at /funding-lines/)."""

    source_display = ChoiceLabelField(FundingSource, source="source")

    class Meta:
        model = FundingLine
        fields = ["id", "source", "source_display", "amount", "note"]
        read_only_fields = fields


class FundingLineSerializer(DomainSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:fundingline-detail")
    community = serializers.IntegerField(source="item.community_id", read_only=True)
    source_display = ChoiceLabelField(FundingSource, source="source")

    class Meta:
        model = FundingLine
        fields = ["id", "url", "item", "community", "source", "source_display", "amount", "note"]

    @classmethod
    def setup_queryset(cls, queryset):
        return queryset.select_related("item")


class RenovationItemSerializer(DomainSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:renovationitem-detail")
    community_name = serializers.CharField(source="community.name", read_only=True)
    building_label = serializers.CharField(source="building.label", read_only=True, allow_null=True)
    kind = serializers.SlugRelatedField(slug_field="code", queryset=RenovationKind.objects.all())
    kind_name = serializers.CharField(source="kind.display_name", read_only=True)
    category = serializers.ChoiceField(
        choices=Category.choices, source="kind.category", read_only=True
    )
    category_display = ChoiceLabelField(Category, source="kind.category")
    status_display = ChoiceLabelField(ItemStatus, source="status")
    funding_total = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        read_only=True,
        help_text=_("Sum of the funding lines (yuan); never more than the budget."),
    )
    funding = FundingLineBriefSerializer(many=True, read_only=True)

    class Meta:
        model = RenovationItem
        fields = [
            "id",
            "url",
            "community",
            "community_name",
            "building",
            "building_label",
            "kind",
            "kind_name",
            "category",
            "category_display",
            "title",
            "description",
            "quantity",
            "unit",
            "budget",
            "spent",
            "funding_total",
            "funding",
            "status",
            "status_display",
            "progress",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "contractor",
            "supervisor",
            "updated_at",
        ]
        # Read lean (communities.core.api.lean) from the kind's two names and the annotation.
        lean_reads = {
            "kind_name": ["kind__name", "kind__name_en"],
            "funding_total": ["funding_sum"],
        }

    @classmethod
    def setup_queryset(cls, queryset):
        return with_funding_sum(
            queryset.select_related("community", "building", "kind")
        ).prefetch_related(funding_lines())


class CommunityItemSerializer(RenovationItemSerializer):
    """An item inside its community's detail: the community fields would only repeat it."""

    community_name = None

    class Meta(RenovationItemSerializer.Meta):
        fields = [
            name
            for name in RenovationItemSerializer.Meta.fields
            if name not in {"community", "community_name"}
        ]

    @classmethod
    def setup_queryset(cls, queryset):
        return with_funding_sum(queryset.select_related("building", "kind")).prefetch_related(
            funding_lines()
        )


class FacilitySerializer(DomainSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:facility-detail")
    community_name = serializers.CharField(source="community.name", read_only=True)
    kind_display = ChoiceLabelField(FacilityKind, source="kind")

    class Meta:
        model = Facility
        fields = [
            "id",
            "url",
            "community",
            "community_name",
            "kind",
            "kind_display",
            "name",
            "capacity",
            "area_m2",
            "opened_on",
            "renovation_item",
        ]

    @classmethod
    def setup_queryset(cls, queryset):
        return queryset.select_related("community")


class CommunityFacilitySerializer(FacilitySerializer):
    community_name = None

    class Meta(FacilitySerializer.Meta):
        fields = [
            name
            for name in FacilitySerializer.Meta.fields
            if name not in {"community", "community_name"}
        ]


# --- Design plans (炒菜) -----------------------------------------------------------------------


class DesignDocumentSerializer(serializers.ModelSerializer):
    file = serializers.FileField(read_only=True, use_url=True)

    class Meta:
        model = DesignDocument
        fields = ["id", "title", "file", "uploaded_at"]
        read_only_fields = fields


class DesignPlanSerializer(DomainSerializer):
    """A design plan with its notice period, the comments it drew and its approval. Status
    and approval are set by ``publish`` and ``approve``; once a plan is put up for notice only
    the comments received can still change. Documents are uploaded in the admin."""

    url = serializers.HyperlinkedIdentityField(view_name="api:designplan-detail")
    site_url = SiteURLField()
    community_name = serializers.CharField(source="community.name", read_only=True)
    district = serializers.CharField(source="community.district.code", read_only=True)
    status = status_code_field(DesignPlanStatus)
    status_display = ChoiceLabelField(DesignPlanStatus, source="status")
    notice_state = serializers.SerializerMethodField(
        help_text=_("upcoming, open or closed today; null without a notice period.")
    )
    documents = DesignDocumentSerializer(many=True, read_only=True)

    class Meta:
        model = DesignPlan
        fields = [
            "id",
            "url",
            "site_url",
            "community",
            "community_name",
            "district",
            "batch_year",
            "version",
            "title",
            "designer",
            "summary",
            "status",
            "status_display",
            "notice_start",
            "notice_end",
            "notice_state",
            "comments_received",
            "comments_summary",
            "approved_on",
            "approval_reference",
            "documents",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "approved_on", "approval_reference"]

    @classmethod
    def setup_queryset(cls, queryset):
        return queryset.select_related("community__district").prefetch_related(
            Prefetch("documents", queryset=DesignDocument.objects.order_by("id"))
        )

    @extend_schema_field({"type": "string", "enum": list(NoticeState.values), "nullable": True})
    def get_notice_state(self, plan: DesignPlan) -> str | None:
        return plan.notice_state()

    def validate(self, attrs):
        if self.instance is not None:
            frozen = sorted(
                name
                for name, value in attrs.items()
                if name not in design_plan_editable_fields(self.instance)
                and value != getattr(self.instance, name)
            )
            if frozen:
                message = _("A plan put up for public notice can no longer change this.")
                raise serializers.ValidationError({name: [message] for name in frozen})
        return super().validate(attrs)


class PublishSerializer(serializers.Serializer):
    notice_start = serializers.DateField(required=False, help_text=_("Default: the plan's own."))
    notice_end = serializers.DateField(
        required=False, help_text=_("The last day, included. Default: the plan's own.")
    )


class ApproveSerializer(serializers.Serializer):
    approved_on = serializers.DateField(required=False, help_text=_("Default: today."))
    reference = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=_("The number of the approval document (批复文号)."),
    )


class ItemQuantitySerializer(DomainSerializer):
    """What an item delivered in one survey measure; the unit is the measure's."""

    url = serializers.HyperlinkedIdentityField(view_name="api:itemquantity-detail")
    community = serializers.IntegerField(source="item.community_id", read_only=True)
    measure_display = ChoiceLabelField(Measure, source="measure")
    unit = serializers.CharField(read_only=True, help_text=_("Fixed by the measure."))

    class Meta:
        model = ItemQuantity
        fields = ["id", "url", "item", "community", "measure", "measure_display", "amount", "unit"]

    @classmethod
    def setup_queryset(cls, queryset):
        return queryset.select_related("item")
