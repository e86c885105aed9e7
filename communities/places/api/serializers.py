"""The API's districts and buildings."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from communities.core.api.base import DomainSerializer, QuerySerializer
from communities.core.api.fields import ChoiceLabelField, SiteURLField
from communities.places.choices import SafetyGrade
from communities.places.models import Building, District


class DistrictSerializer(DomainSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:district-detail", lookup_field="code")
    site_url = SiteURLField()
    communities_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = District
        fields = ["id", "url", "site_url", "code", "name", "communities_count"]

    @classmethod
    def setup_queryset(cls, queryset):
        return queryset.annotate(communities_count=Count("communities"))


class BuildingSerializer(DomainSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:building-detail")
    community_name = serializers.CharField(source="community.name", read_only=True)
    safety_grade_display = ChoiceLabelField(SafetyGrade, source="safety_grade")
    is_dangerous = serializers.BooleanField(
        read_only=True,
        help_text=_("Graded C or D: only reinforcement may start (reinforce first)."),
    )

    class Meta:
        model = Building
        fields = [
            "id",
            "url",
            "community",
            "community_name",
            "label",
            "storeys",
            "entrance_units",
            "households",
            "year_built",
            "safety_grade",
            "safety_grade_display",
            "is_dangerous",
            "appraised_on",
            "appraiser",
        ]

    @classmethod
    def setup_queryset(cls, queryset):
        return queryset.select_related("community")


class DistrictYearQuerySerializer(QuerySerializer):
    """``?district=<code>`` and ``?year=<batch year>``, the two narrowings every set of figures
    takes: an unknown district or a malformed year is a 400."""

    district = serializers.SlugRelatedField(
        slug_field="code",
        queryset=District.objects.all(),
        required=False,
        help_text=_("Only this district (6-digit administrative code)."),
    )
    year = serializers.IntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Only communities of this renovation batch year."),
    )
