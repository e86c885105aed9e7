"""``/api/v1/elevator-objections/``: residents' objections to an elevator retrofit's public
notice (the shared behaviour is ``communities/works/api/objections.py``)."""

import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from communities.core.filters import FilterSet, IntegerFilter
from communities.elevators.models import ElevatorRetrofit
from communities.elevators.objection_models import ElevatorObjection
from communities.elevators.objections import elevator_objection_file
from communities.works.api.objections import (
    FileSerializer,
    ObjectionSerializer,
    ObjectionViewSet,
)
from communities.works.choices import ObjectionStatus


class ElevatorObjectionSerializer(ObjectionSerializer):
    class Meta:
        model = ElevatorObjection
        fields = ["retrofit", *ObjectionSerializer.COMMON_FIELDS, "household"]
        read_only_fields = fields
        staff_only_fields = (*ObjectionSerializer.STAFF_ONLY_COMMON, "household")


class ElevatorFileSerializer(FileSerializer):
    retrofit = serializers.PrimaryKeyRelatedField(queryset=ElevatorRetrofit.objects.all())


class ElevatorObjectionFilter(FilterSet):
    retrofit = IntegerFilter(field_name="retrofit_id", label=_("Elevator retrofit id"))
    status = django_filters.ChoiceFilter(choices=ObjectionStatus.choices, label=_("Moderation"))

    class Meta:
        model = ElevatorObjection
        fields = ["retrofit", "status"]


class ElevatorObjectionViewSet(ObjectionViewSet):
    """Residents' objections to elevator retrofits under public notice."""

    queryset = ElevatorObjection.objects.all()
    serializer_class = ElevatorObjectionSerializer
    file_serializer_class = ElevatorFileSerializer
    filterset_class = ElevatorObjectionFilter
    ordering = ["retrofit_id", "filed_at", "id"]
    target_field = "retrofit"

    def file(self, **data):
        return elevator_objection_file(**data)
