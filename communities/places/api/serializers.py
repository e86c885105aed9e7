"""The API's districts and buildings."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from communities.core.api.base import DomainSerializer, QuerySerializer, raise_api_error
from communities.core.api.fields import ChoiceLabelField, SiteURLField
from communities.places.choices import SafetyGrade
from communities.places.models import Building, BuildingAppraisal, District
from communities.places.services import building_appraisal_add


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
        lean_reads = {"is_dangerous": ["safety_grade"]}  # core.api.lean

    @classmethod
    def setup_queryset(cls, queryset):
        return queryset.select_related("community")


class BuildingAppraisalSerializer(DomainSerializer):
    """An appraisal record: added, never changed; the newest gives its building the grade."""

    url = serializers.HyperlinkedIdentityField(view_name="api:buildingappraisal-detail")
    community = serializers.IntegerField(source="building.community_id", read_only=True)
    grade_display = ChoiceLabelField(SafetyGrade, source="grade")
    report = serializers.FileField(required=False, use_url=True)

    class Meta:
        model = BuildingAppraisal
        fields = [
            "id",
            "url",
            "building",
            "community",
            "appraised_on",
            "grade",
            "grade_display",
            "appraiser",
            "report",
            "note",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    @classmethod
    def setup_queryset(cls, queryset):
        return queryset.select_related("building")

    def create(self, validated_data):
        request = self.context.get("request")
        try:
            return building_appraisal_add(by=getattr(request, "user", None), **validated_data)
        except DjangoValidationError as error:
            raise_api_error(error)


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
