"""Renovation kinds, items and their funding lines."""

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from communities.api.base import ChoiceLabelField, DomainSerializer
from communities.choices import Category, FundingSource, ItemStatus
from communities.models import FundingLine, RenovationItem, RenovationKind


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
