"""django-filter FilterSets of places, and the district filter every part's lists use."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communities.core.filters import BooleanFilter, IntegerFilter
from communities.places.choices import SafetyGrade
from communities.places.models import Building, BuildingAppraisal, District


def district_filter(field_name: str) -> django_filters.ModelChoiceFilter:
    """Filter by a district's administrative code; an unknown code is an error."""
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=District.objects.all(),
        to_field_name="code",
        label=_("District (administrative code)"),
    )


class BuildingFilter(django_filters.FilterSet):
    community = IntegerFilter(field_name="community_id", label=_("Community id"))
    district = district_filter("community__district")
    safety_grade = django_filters.ChoiceFilter(choices=SafetyGrade.choices, label=_("Safety grade"))
    dangerous = BooleanFilter(method="filter_dangerous", label=_("Graded C or D (reinforce first)"))

    class Meta:
        model = Building
        fields = ["community", "district", "safety_grade", "dangerous"]

    def filter_dangerous(self, queryset, name, value):
        dangerous = Q(safety_grade__in=SafetyGrade.dangerous())
        return queryset.filter(dangerous if value else ~dangerous)


class BuildingAppraisalFilter(django_filters.FilterSet):
    building = IntegerFilter(field_name="building_id", label=_("Building id"))
    community = IntegerFilter(field_name="building__community_id", label=_("Community id"))
    grade = django_filters.ChoiceFilter(
        choices=[(v, label) for v, label in SafetyGrade.choices if v != SafetyGrade.UNAPPRAISED],
        label=_("Safety grade"),
    )

    class Meta:
        model = BuildingAppraisal
        fields = ["building", "community", "grade"]
