"""Construction supervision's FilterSets (API): parties, item parties, inspections, findings and
rectification orders, acceptances and settlements."""

import django_filters
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

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
    Finding,
    Inspection,
    ItemParty,
    Party,
    RectificationOrder,
    Settlement,
)
from communities.construction.selectors import overdue_condition
from communities.core.filters import BooleanFilter, DateFilter, FilterSet, IntegerFilter
from communities.places.filters import district_filter


class PartyFilter(FilterSet):
    role = django_filters.ChoiceFilter(
        choices=PartyRole.choices, method="filter_role", label=_("Role")
    )
    credit_code = django_filters.CharFilter(label=_("Unified social credit code"))

    class Meta:
        model = Party
        fields = ["role", "credit_code"]

    def filter_role(self, queryset, name, value):
        return queryset.filter(**{f"is_{value}": True}) if value else queryset


class ItemPartyFilter(FilterSet):
    item = IntegerFilter(field_name="item_id", label=_("Renovation item id"))
    party = IntegerFilter(field_name="party_id", label=_("Party id"))
    role = django_filters.ChoiceFilter(choices=PartyRole.choices, label=_("Role"))

    class Meta:
        model = ItemParty
        fields = ["item", "party", "role"]


class InspectionFilter(FilterSet):
    community = IntegerFilter(field_name="community_id", label=_("Community id"))
    item = IntegerFilter(field_name="item_id", label=_("Renovation item id"))
    district = district_filter("community__district")
    kind = django_filters.ChoiceFilter(choices=InspectionKind.choices, label=_("Kind"))
    visited_after = DateFilter(
        field_name="visited_on", lookup_expr="gte", label=_("Visited on or after")
    )
    visited_before = DateFilter(
        field_name="visited_on", lookup_expr="lte", label=_("Visited on or before")
    )

    class Meta:
        model = Inspection
        fields = ["community", "item", "district", "kind"]


class FindingFilter(FilterSet):
    inspection = IntegerFilter(field_name="inspection_id", label=_("Inspection id"))
    community = IntegerFilter(field_name="inspection__community_id", label=_("Community id"))
    severity = django_filters.ChoiceFilter(choices=Severity.choices, label=_("Severity"))

    class Meta:
        model = Finding
        fields = ["inspection", "community", "severity"]


class RectificationOrderFilter(FilterSet):
    contractor = IntegerFilter(field_name="contractor_id", label=_("Contractor (party id)"))
    community = IntegerFilter(
        field_name="finding__inspection__community_id", label=_("Community id")
    )
    item = IntegerFilter(field_name="finding__inspection__item_id", label=_("Renovation item id"))
    district = district_filter("finding__inspection__community__district")
    status = django_filters.ChoiceFilter(choices=OrderStatus.choices, label=_("Status"))
    severity = django_filters.ChoiceFilter(
        field_name="finding__severity", choices=Severity.choices, label=_("Severity")
    )
    overdue = BooleanFilter(method="filter_overdue", label=_("Open after its deadline"))

    class Meta:
        model = RectificationOrder
        fields = ["contractor", "community", "item", "district", "status", "severity", "overdue"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        condition = overdue_condition()
        return queryset.filter(condition) if value else queryset.exclude(condition)


class AcceptanceFilter(FilterSet):
    item = IntegerFilter(field_name="item_id", label=_("Renovation item id"))
    community = IntegerFilter(field_name="item__community_id", label=_("Community id"))
    district = district_filter("item__community__district")
    conclusion = django_filters.ChoiceFilter(
        choices=AcceptanceConclusion.choices, label=_("Conclusion")
    )
    open_conditions = BooleanFilter(
        method="filter_open_conditions", label=_("With conditions not yet met")
    )

    class Meta:
        model = Acceptance
        fields = ["item", "community", "district", "conclusion", "open_conditions"]

    def filter_open_conditions(self, queryset, name, value):
        if value is None:
            return queryset
        condition = Exists(
            AcceptanceCondition.objects.filter(acceptance=OuterRef("pk"), met_on__isnull=True)
        )
        return queryset.filter(condition) if value else queryset.exclude(condition)


class SettlementFilter(FilterSet):
    item = IntegerFilter(field_name="item_id", label=_("Renovation item id"))
    community = IntegerFilter(field_name="item__community_id", label=_("Community id"))
    district = district_filter("item__community__district")
    overspent = BooleanFilter(method="filter_overspent", label=_("Settled over the budget"))

    class Meta:
        model = Settlement
        fields = ["item", "community", "district", "overspent"]

    def filter_overspent(self, queryset, name, value):
        if value is None:
            return queryset
        condition = Q(settled_amount__gt=F("item__budget"))
        return queryset.filter(condition) if value else queryset.exclude(condition)
