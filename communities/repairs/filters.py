"""The repair request list's FilterSet (API): status, category, place, dates, overdue."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.core.filters import BooleanFilter, DateFilter, FilterSet, IntegerFilter
from communities.places.filters import district_filter
from communities.repairs.choices import (
    RepairCategory,
    RepairSource,
    RepairStatus,
)
from communities.repairs.models import RepairRequest
from communities.repairs.selectors import submitted_between


class RepairRequestFilter(FilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=RepairStatus.choices, label=_("Status (repeat for several)")
    )
    category = django_filters.MultipleChoiceFilter(
        choices=RepairCategory.choices, label=_("Category (repeat for several)")
    )
    source = django_filters.ChoiceFilter(choices=RepairSource.choices, label=_("Source"))
    community = IntegerFilter(field_name="community_id", label=_("Community id"))
    district = district_filter("community__district")
    is_emergency = BooleanFilter(label=_("Emergency"))
    overdue = BooleanFilter(method="filter_overdue", label=_("Open past its deadline"))
    submitted_after = DateFilter(method="filter_submitted", label=_("Submitted on or after"))
    submitted_before = DateFilter(method="filter_submitted", label=_("Submitted on or before"))

    class Meta:
        model = RepairRequest
        fields = [
            "status",
            "category",
            "source",
            "community",
            "district",
            "is_emergency",
            "overdue",
            "submitted_after",
            "submitted_before",
        ]

    def filter_submitted(self, queryset, name, value):
        bound = "since" if name == "submitted_after" else "until"
        return submitted_between(queryset, **{bound: value})

    def filter_overdue(self, queryset, name, value):
        now = timezone.now()
        return queryset.overdue(now) if value else queryset.not_overdue(now)
