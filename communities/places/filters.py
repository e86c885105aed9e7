"""django-filter FilterSets of places, and the district filter every part's lists use."""

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

from communities.core.filters import BooleanFilter, FilterSet, IntegerFilter
from communities.places.choices import SafetyGrade
from communities.places.models import Building, BuildingAppraisal, District
from communities.places.selectors import district_code_exists


class DistrictCodeField(django_filters.fields.ModelChoiceField):
    """A district chosen by its code, as ``ModelChoiceField`` offers and refuses it, but
    cleaned to the code, checked against the cache of known codes instead of read."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        code = str(value)
        if not district_code_exists(code):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return code


class DistrictCodeFilter(django_filters.ModelChoiceFilter):
    """Filters by the district's code through the relation (``…__district__code``): the list's
    own query joins the district, and no query reads it first (issue 19)."""

    field_class = DistrictCodeField

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        return qs.filter(**{f"{self.field_name}__code": value})


def district_filter(field_name: str) -> django_filters.ModelChoiceFilter:
    """Filter by a district's administrative code; an unknown code is an error."""
    return DistrictCodeFilter(
        field_name=field_name,
        queryset=District.objects.all(),
        to_field_name="code",
        label=_("District (administrative code)"),
    )


class BuildingFilter(FilterSet):
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


class BuildingAppraisalFilter(FilterSet):
    building = IntegerFilter(field_name="building_id", label=_("Building id"))
    community = IntegerFilter(field_name="building__community_id", label=_("Community id"))
    grade = django_filters.ChoiceFilter(
        choices=[(v, label) for v, label in SafetyGrade.choices if v != SafetyGrade.UNAPPRAISED],
        label=_("Safety grade"),
    )

    class Meta:
        model = BuildingAppraisal
        fields = ["building", "community", "grade"]
