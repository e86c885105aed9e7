"""``/api/v1/service-requests/``: repair requests (报修), their lifecycle moves and measures;
``/api/v1/property-management/``: the classified-management view and renewal reminders.

Staff see every request of their scope with the reporter's name and phone and its
timeline. Everybody else sees only the requests marked public, through a serializer that has
no personal field at all, with phone numbers and the reporter's name masked in free text.
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from communities.core.api.base import QuerySerializer
from communities.core.api.fields import ChoiceLabelField
from communities.core.masking import public_text
from communities.places.models import Building, Community, District
from communities.repairs.choices import (
    ClosedBy,
    HandlerKind,
    RepairAction,
    RepairCategory,
    RepairSource,
    RepairStatus,
)
from communities.repairs.models import RepairEvent, RepairRequest

# --- Serializers: reading ---------------------------------------------------------------------


class _BlankAsNull:
    """A text column stored blank when it does not apply yet (no handler before dispatch, no
    closing reason before closing, no photo link): ``null`` in the API, as documented, rather
    than an empty string the field's enum or format does not allow."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return None if value == "" else super().to_representation(value)


class BlankAsNullChoiceField(_BlankAsNull, serializers.ChoiceField):
    pass


class BlankAsNullURLField(_BlankAsNull, serializers.URLField):
    pass


class RepairEventSerializer(serializers.ModelSerializer):
    action = serializers.ChoiceField(choices=RepairAction.choices, read_only=True)
    action_display = ChoiceLabelField(RepairAction, source="action")
    from_status = BlankAsNullChoiceField(choices=RepairStatus.choices, read_only=True)
    to_status = serializers.ChoiceField(choices=RepairStatus.choices, read_only=True)

    class Meta:
        model = RepairEvent
        fields = [
            "action",
            "action_display",
            "from_status",
            "to_status",
            "at",
            "actor_label",
            "note",
        ]
        read_only_fields = fields


class _RequestReading(serializers.ModelSerializer):
    """What every reader gets; the two serializers below add to it."""

    url = serializers.HyperlinkedIdentityField(view_name="api:repairrequest-detail")
    community_name = serializers.CharField(source="community.name", read_only=True)
    district = serializers.CharField(source="community.district.code", read_only=True)
    building_label = serializers.CharField(
        source="building.label", read_only=True, default=None, allow_null=True
    )
    category = serializers.ChoiceField(choices=RepairCategory.choices, read_only=True)
    category_display = ChoiceLabelField(RepairCategory, source="category")
    status = serializers.ChoiceField(choices=RepairStatus.choices, read_only=True)
    status_display = ChoiceLabelField(RepairStatus, source="status")
    source = serializers.ChoiceField(choices=RepairSource.choices, read_only=True)
    source_display = ChoiceLabelField(RepairSource, source="source")
    handler_kind = BlankAsNullChoiceField(choices=HandlerKind.choices, read_only=True)
    handler_kind_display = ChoiceLabelField(HandlerKind, source="handler_kind")
    is_overdue = serializers.BooleanField(read_only=True)
    photo = serializers.FileField(read_only=True, use_url=True)
    photo_url = BlankAsNullURLField(read_only=True)

    PUBLIC_FIELDS = [
        "id",
        "url",
        "community",
        "community_name",
        "district",
        "building",
        "building_label",
        "entrance_unit",
        "category",
        "category_display",
        "is_emergency",
        "description",
        "photo",
        "photo_url",
        "source",
        "source_display",
        "latitude",
        "longitude",
        "status",
        "status_display",
        "submitted_at",
        "deadline_at",
        "is_overdue",
        "dispatched_at",
        "resolved_at",
        "closed_at",
        "handler_kind",
        "handler_kind_display",
        "handler_name",
        "resolution",
        "reject_reason",
        "rating",
        "reopen_count",
        "updated_at",
    ]


class PublicRepairRequestSerializer(_RequestReading):
    """Anonymous readers: public requests only, and no personal field exists here at all."""

    class Meta:
        model = RepairRequest
        fields = _RequestReading.PUBLIC_FIELDS
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        names = (instance.reporter_name,)
        for name in ("description", "resolution", "reject_reason"):
            data[name] = public_text(data[name], names=names)
        return data


class StaffRepairRequestSerializer(_RequestReading):
    """Staff: everything, the reporter's details and the allowed next moves included."""

    closed_by = BlankAsNullChoiceField(choices=ClosedBy.choices, read_only=True)
    closed_by_display = ChoiceLabelField(ClosedBy, source="closed_by")
    allowed_moves = serializers.ListField(child=serializers.CharField(), read_only=True)
    grid_inspector_username = serializers.CharField(
        source="grid_inspector.username", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = RepairRequest
        fields = [
            *_RequestReading.PUBLIC_FIELDS,
            "reporter_name",
            "reporter_phone",
            "address",
            "is_public",
            "started_at",
            "property_service",
            "rating_comment",
            "closed_by",
            "closed_by_display",
            "grid_inspector",
            "grid_inspector_username",
            "open311_client",
            "token",
            "allowed_moves",
        ]
        read_only_fields = fields


class StaffRepairRequestDetailSerializer(StaffRepairRequestSerializer):
    timeline = RepairEventSerializer(many=True, read_only=True)

    class Meta(StaffRepairRequestSerializer.Meta):
        fields = [*StaffRepairRequestSerializer.Meta.fields, "timeline"]
        read_only_fields = fields


# --- Serializers: writing ---------------------------------------------------------------------


class SubmitSerializer(serializers.Serializer):
    """A new request, as staff enter it (a call, a walk-in, a patrol report)."""

    community = serializers.PrimaryKeyRelatedField(queryset=Community.objects.all())
    category = serializers.ChoiceField(choices=RepairCategory.choices)
    is_emergency = serializers.BooleanField(default=False)
    description = serializers.CharField(max_length=4000)
    source = serializers.ChoiceField(choices=RepairSource.choices, default=RepairSource.STAFF)
    building = serializers.PrimaryKeyRelatedField(
        queryset=Building.objects.all(), required=False, allow_null=True
    )
    entrance_unit = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    reporter_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    reporter_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True
    )
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    photo = serializers.FileField(required=False, allow_null=True)
    photo_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    grid_inspector = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_staff=True),
        required=False,
        allow_null=True,
        help_text=_("For a patrol report filed on an inspector's behalf (default: you)."),
    )
    is_public = serializers.BooleanField(default=False)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField(max_length=4000, help_text=_("What was done."))


class RateSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class RepairPublishSerializer(serializers.Serializer):
    is_public = serializers.BooleanField()


class StatsQuerySerializer(QuerySerializer):
    district = serializers.SlugRelatedField(
        slug_field="code", queryset=District.objects.all(), required=False
    )
    community = serializers.PrimaryKeyRelatedField(queryset=Community.objects.all(), required=False)
    category = serializers.ChoiceField(choices=RepairCategory.choices, required=False)
    since = serializers.DateField(required=False, help_text=_("Submitted on or after."))
    until = serializers.DateField(required=False, help_text=_("Submitted on or before."))

    def validate(self, attrs):
        if attrs.get("since") and attrs.get("until") and attrs["since"] > attrs["until"]:
            raise serializers.ValidationError({"until": [_("The end is before the start.")]})
        return attrs


class MeasuresSerializer(serializers.Serializer):
    requests = serializers.IntegerField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    resolved = serializers.IntegerField()
    resolved_within_deadline = serializers.IntegerField()
    share_resolved_within_deadline = serializers.FloatField(allow_null=True)
    median_hours_to_dispatch = serializers.FloatField(allow_null=True)
    median_hours_to_resolve = serializers.FloatField(allow_null=True)
    rated = serializers.IntegerField()
    average_rating = serializers.FloatField(allow_null=True)
    reopened = serializers.IntegerField()


class CommunityMeasuresSerializer(MeasuresSerializer):
    community = serializers.IntegerField()
    community_name = serializers.CharField()
    district = serializers.CharField()


class HandlerMeasuresSerializer(MeasuresSerializer):
    handler_kind = serializers.CharField(allow_null=True)
    handler_name = serializers.CharField(allow_null=True)


class DistrictMeasuresSerializer(MeasuresSerializer):
    district = serializers.CharField()
    district_name = serializers.CharField()


class MonthMeasuresSerializer(MeasuresSerializer):
    month = serializers.CharField(help_text=_("YYYY-MM of submission, local time."))


class RepairStatsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField())
    by_category = serializers.DictField(child=serializers.IntegerField())
    overall = MeasuresSerializer()
    by_community = CommunityMeasuresSerializer(many=True)
    by_handler = HandlerMeasuresSerializer(many=True)
    by_district = DistrictMeasuresSerializer(many=True)
    by_month = MonthMeasuresSerializer(many=True)
