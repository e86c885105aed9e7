"""The works' FilterSets (API): kinds, items, funding lines, facilities, design plans."""

from datetime import date

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communities.core.filters import BooleanFilter, FilterSet, IntegerFilter
from communities.places.filters import district_filter
from communities.works.choices import (
    Category,
    DesignPlanStatus,
    FacilityKind,
    FundingSource,
    ItemStatus,
    Measure,
)
from communities.works.models.facilities import Facility
from communities.works.models.items import FundingLine, RenovationItem, RenovationKind
from communities.works.models.plans import DesignPlan
from communities.works.models.quantities import ItemQuantity

# --- Renovation -------------------------------------------------------------------------------


class RenovationKindFilter(FilterSet):
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("National category"))
    is_reinforcement = BooleanFilter(label=_("Structural reinforcement"))

    class Meta:
        model = RenovationKind
        fields = ["category", "is_reinforcement"]


class RenovationItemFilter(FilterSet):
    community = IntegerFilter(field_name="community_id", label=_("Community id"))
    category = django_filters.ChoiceFilter(
        field_name="kind__category", choices=Category.choices, label=_("National category")
    )
    kind = django_filters.ModelChoiceFilter(
        queryset=RenovationKind.objects.all(), to_field_name="code", label=_("Kind (code)")
    )
    status = django_filters.ChoiceFilter(choices=ItemStatus.choices, label=_("Status"))
    year = IntegerFilter(
        field_name="community__renovation_year", label=_("Renovation batch year of the community")
    )

    class Meta:
        model = RenovationItem
        fields = ["community", "category", "kind", "status", "year"]


class FundingLineFilter(FilterSet):
    item = IntegerFilter(field_name="item_id", label=_("Renovation item id"))
    community = IntegerFilter(field_name="item__community_id", label=_("Community id"))
    source = django_filters.ChoiceFilter(choices=FundingSource.choices, label=_("Source"))

    class Meta:
        model = FundingLine
        fields = ["item", "community", "source"]


class FacilityFilter(FilterSet):
    community = IntegerFilter(field_name="community_id", label=_("Community id"))
    district = district_filter("community__district")
    kind = django_filters.ChoiceFilter(choices=FacilityKind.choices, label=_("Kind"))
    is_open = BooleanFilter(method="filter_is_open", label=_("Open today"))

    class Meta:
        model = Facility
        fields = ["community", "district", "kind", "is_open"]

    def filter_is_open(self, queryset, name, value):
        is_open = Q(opened_on__lte=date.today())
        return queryset.filter(is_open if value else ~is_open)


class DesignPlanFilter(FilterSet):
    community = IntegerFilter(field_name="community_id", label=_("Community id"))
    district = district_filter("community__district")
    batch_year = IntegerFilter(label=_("Renovation batch year"))
    status = django_filters.ChoiceFilter(choices=DesignPlanStatus.choices, label=_("Status"))

    class Meta:
        model = DesignPlan
        fields = ["community", "district", "batch_year", "status"]


class ItemQuantityFilter(FilterSet):
    item = IntegerFilter(field_name="item_id", label=_("Renovation item id"))
    community = IntegerFilter(field_name="item__community_id", label=_("Community id"))
    measure = django_filters.ChoiceFilter(choices=Measure.choices, label=_("Measure"))

    class Meta:
        model = ItemQuantity
        fields = ["item", "community", "measure"]
