"""Districts, communities (lean in lists, complete in detail, GeoJSON for maps) and buildings."""

from collections import Counter
from datetime import date

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from communities.core.api import lean
from communities.core.api.base import DomainSerializer
from communities.core.api.fields import ChoiceLabelField, SiteURLField
from communities.core.prepared import PreparedValues
from communities.elevators.api.serializers import CommunityElevatorSerializer
from communities.elevators.models import ElevatorRetrofit
from communities.places.api.serializers import BuildingSerializer
from communities.places.choices import RenovationStatus, SafetyGrade
from communities.places.models import Building, Community, District
from communities.property.api.serializers import CommunityPropertyServiceSerializer
from communities.property.models import PropertyService
from communities.works.api.serializers import (
    CommunityFacilitySerializer,
    CommunityItemSerializer,
    with_funding_sum,
)
from communities.works.models.facilities import Facility
from communities.works.models.items import RenovationItem


class CommunitySerializer(DomainSerializer):
    """A community as lists show it and as it is written."""

    url = serializers.HyperlinkedIdentityField(view_name="api:community-detail")
    site_url = SiteURLField()
    district = serializers.SlugRelatedField(
        slug_field="code",
        queryset=District.objects.all(),
        help_text=_("The district's 6-digit administrative code."),
    )
    district_name = serializers.CharField(source="district.name", read_only=True)
    renovation_status_display = ChoiceLabelField(RenovationStatus, source="renovation_status")

    class Meta:
        model = Community
        fields = [
            "id",
            "url",
            "site_url",
            "name",
            "district",
            "district_name",
            "subdistrict",
            "neighbourhood",
            "address",
            "latitude",
            "longitude",
            "year_built",
            "buildings_count",
            "households",
            "floor_area_m2",
            "renovation_year",
            "renovation_status",
            "renovation_status_display",
            "started_on",
            "completed_on",
            "is_demonstration",
            "demonstration_note",
            "created_at",
            "updated_at",
        ]

    @classmethod
    def setup_queryset(cls, queryset):
        return queryset.select_related("district")


class CommunityBuildingSerializer(BuildingSerializer):
    community_name = None

    class Meta(BuildingSerializer.Meta):
        fields = [
            name
            for name in BuildingSerializer.Meta.fields
            if name not in {"community", "community_name"}
        ]


class SafetyGradeCountSerializer(serializers.Serializer):
    safety_grade = serializers.ChoiceField(choices=SafetyGrade.choices)
    safety_grade_display = ChoiceLabelField(SafetyGrade, source="safety_grade")
    count = serializers.IntegerField()


class BuildingsSummarySerializer(serializers.Serializer):
    """A community's buildings: how many are entered, how many of each safety grade, which."""

    count = serializers.IntegerField()
    by_safety_grade = SafetyGradeCountSerializer(many=True)
    list = CommunityBuildingSerializer(many=True)

    def to_representation(self, community):
        buildings = list(community.buildings.all())
        grades = Counter(building.safety_grade for building in buildings)
        return super().to_representation(
            {
                "count": len(buildings),
                "by_safety_grade": [
                    {"safety_grade": grade, "count": grades[grade]} for grade in SafetyGrade.values
                ],
                "list": buildings,
            }
        )


class CommunityDetailSerializer(CommunitySerializer):
    """One community with everything a reader of its page wants (7 queries, whatever its size)."""

    buildings = BuildingsSummarySerializer(source="*", read_only=True)
    items = CommunityItemSerializer(many=True, read_only=True)
    facilities = CommunityFacilitySerializer(many=True, read_only=True)
    property_service = serializers.SerializerMethodField(
        help_text=_("The property service whose contract covers today, if any.")
    )
    elevators = serializers.SerializerMethodField(
        help_text=_("Elevator retrofits of the community's buildings, in every stage.")
    )

    class Meta(CommunitySerializer.Meta):
        fields = [
            *CommunitySerializer.Meta.fields,
            "buildings",
            "items",
            "facilities",
            "property_service",
            "elevators",
        ]

    @classmethod
    def setup_queryset(cls, queryset):
        # community + district, buildings, their elevators, items (+ kind, building, funding
        # sum), funding lines, facilities, the service covering today: 7 queries.
        return (
            super()
            .setup_queryset(queryset)
            .prefetch_related(
                "buildings",
                Prefetch(
                    "buildings__elevator_retrofits",
                    queryset=ElevatorRetrofit.objects.select_related("vote_rule").order_by(
                        "entrance_unit"
                    ),
                ),
                Prefetch(
                    "items",
                    queryset=CommunityItemSerializer.setup_queryset(RenovationItem.objects.all()),
                ),
                "facilities",
                Prefetch(
                    "property_services",
                    queryset=PropertyService.objects.covering(date.today()),
                    to_attr="current_property_services",
                ),
            )
        )

    @classmethod
    def lean_parts(cls, community: Community, request) -> dict:
        """The fields after the community's own, read as ``.values()`` rows through the nested
        serializers' lean plans (communities.core.api.lean): the same output as the fields
        above, in 7 queries with the community's, without a model instance per row. Only for a
        reader who sees no personal data (the plans drop staff-only fields for every row).

        Five of the queries are the same for every community but for its id: each is compiled
        once and run again with the id (``_DETAIL_ROWS``, communities.core.prepared)."""

        def rows(serializer, *fixed) -> list[dict]:
            plan = lean.plan_for(serializer)
            return plan.represent(_DETAIL_ROWS[serializer](community.pk, *fixed), request)

        buildings = rows(CommunityBuildingSerializer)
        grades = Counter(building["safety_grade"] for building in buildings)
        by_grade = [{"safety_grade": grade, "count": grades[grade]} for grade in SafetyGrade.values]
        services = rows(CommunityPropertyServiceSerializer, date.today())
        return {
            "buildings": {
                "count": len(buildings),
                "by_safety_grade": SafetyGradeCountSerializer(by_grade, many=True).data,
                "list": buildings,
            },
            "items": rows(CommunityItemSerializer),
            "facilities": rows(CommunityFacilitySerializer),
            "property_service": services[0] if services else None,
            # The buildings' retrofits in the order of the buildings, then of their entrance
            # units (as ``get_elevators``); none to read without a building.
            "elevators": cls._in_order_of(buildings, rows(CommunityElevatorSerializer))
            if buildings
            else [],
        }

    @staticmethod
    def _in_order_of(buildings: list[dict], retrofits: list[dict]) -> list[dict]:
        order = {building["id"]: position for position, building in enumerate(buildings)}
        return sorted(retrofits, key=lambda retrofit: order[retrofit["building"]])

    @extend_schema_field(CommunityPropertyServiceSerializer(allow_null=True))
    def get_property_service(self, community):
        current = getattr(community, "current_property_services", None)
        if current is None:  # not prefetched (a freshly written object)
            current = list(community.property_services.covering(date.today()))
        if not current:
            return None
        return CommunityPropertyServiceSerializer(current[0], context=self.context).data

    @extend_schema_field(CommunityElevatorSerializer(many=True))
    def get_elevators(self, community):
        elevators = [
            elevator
            for building in community.buildings.all()
            for elevator in building.elevator_retrofits.all()
        ]
        return CommunityElevatorSerializer(elevators, many=True, context=self.context).data


def _detail_rows(serializer, build) -> PreparedValues:
    """The rows of one of a community's lists for its serializer's lean plan."""
    return PreparedValues(
        lambda community_id, *fixed: lean.plan_for(serializer).values(build(community_id, *fixed))
    )


# The lists of a community's lean detail, by serializer: ``build(community_id, *fixed)``, the
# fixed arguments (the service's: today) given by ``lean_parts``.
_DETAIL_ROWS = {
    CommunityBuildingSerializer: _detail_rows(
        CommunityBuildingSerializer, lambda pk: Building.objects.filter(community_id=pk)
    ),
    CommunityPropertyServiceSerializer: _detail_rows(
        CommunityPropertyServiceSerializer,
        lambda pk, today: PropertyService.objects.covering(today).filter(community_id=pk)[:1],
    ),
    CommunityItemSerializer: _detail_rows(
        CommunityItemSerializer,
        lambda pk: with_funding_sum(RenovationItem.objects.filter(community_id=pk)),
    ),
    CommunityFacilitySerializer: _detail_rows(
        CommunityFacilitySerializer, lambda pk: Facility.objects.filter(community_id=pk)
    ),
    CommunityElevatorSerializer: _detail_rows(
        CommunityElevatorSerializer,
        lambda pk: ElevatorRetrofit.objects.filter(building__community_id=pk).order_by(
            "entrance_unit"
        ),
    ),
}


# --- GeoJSON ----------------------------------------------------------------------------------


@extend_schema_field({"$ref": "#/components/schemas/RenovationStatusEnum"})
class RenovationStatusField(serializers.ChoiceField):
    """A renovation status code under a name other than ``renovation_status``.

    Documented as the community's own enum component (named after ``renovation_status``):
    a second property called ``status`` with another choice set (items) would otherwise make
    the schema's enum names collide.
    """

    def __init__(self, **kwargs):
        super().__init__(choices=RenovationStatus.choices, **kwargs)


class CommunityFeaturePropertiesSerializer(serializers.Serializer):
    """What a map needs to colour a marker by status and fill its popup."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    district = serializers.CharField(source="district.code")
    district_name = serializers.CharField(source="district.name")
    status = RenovationStatusField(source="renovation_status")
    status_display = ChoiceLabelField(RenovationStatus, source="renovation_status")
    renovation_year = serializers.IntegerField(allow_null=True)
    url = SiteURLField()


class PointSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["Point"])
    coordinates = serializers.ListField(
        child=serializers.FloatField(),
        min_length=2,
        max_length=2,
        help_text=_("[longitude, latitude] in degrees (WGS 84), as GeoJSON orders them."),
    )


class CommunityFeatureSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["Feature"])
    geometry = PointSerializer()
    properties = CommunityFeaturePropertiesSerializer()


class CommunityFeatureCollectionSerializer(serializers.Serializer):
    """A GeoJSON FeatureCollection (RFC 7946) of communities that have a location."""

    type = serializers.ChoiceField(choices=["FeatureCollection"])
    features = CommunityFeatureSerializer(many=True)

    @staticmethod
    def collect(communities) -> dict:
        """The collection's data for an iterable of communities (with their district joined)."""
        return {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "Point",
                        "coordinates": [community.longitude, community.latitude],
                    },
                    "properties": community,
                }
                for community in communities
                if community.latitude is not None and community.longitude is not None
            ],
        }
