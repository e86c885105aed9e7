"""The FilterSets of proposals and ratings (API)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from communities.core.filters import DateFilter, FilterSet, IntegerFilter
from communities.participation.api.serializers import SUBJECT_COMMUNITY, SUBJECT_ITEM
from communities.participation.choices import Channel, ProposalStatus
from communities.participation.models import Proposal, Rating
from communities.places.filters import district_filter
from communities.works.models.items import RenovationKind

# --- Filters ----------------------------------------------------------------------------------


class ProposalFilter(FilterSet):
    community = IntegerFilter(field_name="community_id", label=_("Community id"))
    district = district_filter("community__district")
    year = IntegerFilter(
        field_name="community__renovation_year", label=_("Renovation batch year of the community")
    )
    status = django_filters.ChoiceFilter(choices=ProposalStatus.choices, label=_("Status"))
    kind = django_filters.ModelChoiceFilter(
        queryset=RenovationKind.objects.all(), to_field_name="code", label=_("Kind (code)")
    )
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("Collected through"))
    item = IntegerFilter(field_name="item_id", label=_("Renovation item id"))

    class Meta:
        model = Proposal
        fields = ["community", "district", "year", "status", "kind", "channel", "item"]


SUBJECT_CHOICES = [
    (SUBJECT_COMMUNITY, _("The community as a whole")),
    (SUBJECT_ITEM, _("A renovation item")),
]


class RatingFilter(FilterSet):
    """No filter by building or room: what one household said stays private."""

    community = IntegerFilter(field_name="community_id", label=_("Community id"))
    district = district_filter("community__district")
    year = IntegerFilter(
        field_name="community__renovation_year", label=_("Renovation batch year of the community")
    )
    item = IntegerFilter(field_name="item_id", label=_("Renovation item id"))
    subject = django_filters.ChoiceFilter(
        choices=SUBJECT_CHOICES, method="filter_subject", label=_("What was rated")
    )
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("Collected through"))
    rated_after = DateFilter(field_name="rated_on", lookup_expr="gte", label=_("Rated on or after"))
    rated_before = DateFilter(
        field_name="rated_on", lookup_expr="lte", label=_("Rated on or before")
    )

    class Meta:
        model = Rating
        fields = [
            "community",
            "district",
            "year",
            "item",
            "subject",
            "channel",
            "rated_after",
            "rated_before",
        ]

    def filter_subject(self, queryset, name, value):
        return queryset.filter(item__isnull=value == SUBJECT_COMMUNITY)
