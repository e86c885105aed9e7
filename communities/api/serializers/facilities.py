"""Public facilities built or renovated in a community."""

from rest_framework import serializers

from communities.api.base import ChoiceLabelField, DomainSerializer
from communities.choices import FacilityKind
from communities.models import Facility


class FacilitySerializer(DomainSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:facility-detail")
    community_name = serializers.CharField(source="community.name", read_only=True)
    kind_display = ChoiceLabelField(FacilityKind, source="kind")

    class Meta:
        model = Facility
        fields = [
            "id",
            "url",
            "community",
            "community_name",
            "kind",
            "kind_display",
            "name",
            "capacity",
            "area_m2",
            "opened_on",
            "renovation_item",
        ]

    @classmethod
    def setup_queryset(cls, queryset):
        return queryset.select_related("community")


class CommunityFacilitySerializer(FacilitySerializer):
    community_name = None

    class Meta(FacilitySerializer.Meta):
        fields = [
            name
            for name in FacilitySerializer.Meta.fields
            if name not in {"community", "community_name"}
        ]
