"""Property services (物业服务): who keeps a community up, over time."""

from datetime import date

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from communities.core.api.base import DomainSerializer, QuerySerializer
from communities.core.api.fields import ChoiceLabelField
from communities.places.models import District
from communities.property.choices import ManagementMode
from communities.property.models import PropertyService
from communities.property.selectors import NO_SERVICE


class PropertyServiceSerializer(DomainSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:propertyservice-detail")
    community_name = serializers.CharField(source="community.name", read_only=True)
    mode_display = ChoiceLabelField(ManagementMode, source="mode")
    is_current = serializers.SerializerMethodField(help_text=_("The contract covers today."))

    class Meta:
        model = PropertyService
        fields = [
            "id",
            "url",
            "community",
            "community_name",
            "mode",
            "mode_display",
            "is_red_property",
            "provider_name",
            "contact_name",
            "contact_phone",
            "contract_start",
            "contract_end",
            "is_current",
            "trial_end",
            "fee_per_m2_month",
        ]
        # A contact person's name is personal; the service phone is the company's public line.
        staff_only_fields = ["contact_name"]
        extra_kwargs = {"contact_name": {"help_text": _("Only staff receive this field.")}}
        lean_reads = {"is_current": ["contract_start", "contract_end"]}  # core.api.lean

    @classmethod
    def setup_queryset(cls, queryset):
        return queryset.select_related("community")

    def get_is_current(self, service) -> bool:
        return service.covers(date.today())


class CommunityPropertyServiceSerializer(PropertyServiceSerializer):
    community_name = None

    class Meta(PropertyServiceSerializer.Meta):
        fields = [
            name
            for name in PropertyServiceSerializer.Meta.fields
            if name not in {"community", "community_name"}
        ]


# --- Property management ----------------------------------------------------------------------


class ManagementQuerySerializer(QuerySerializer):
    on = serializers.DateField(required=False, help_text=_("The day to look at (today)."))
    district = serializers.SlugRelatedField(
        slug_field="code", queryset=District.objects.all(), required=False
    )
    days = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=366,
        default=60,
        help_text=_("Renewal reminders: contracts ending within this many days."),
    )


class ModeCountSerializer(serializers.Serializer):
    mode = serializers.CharField(help_text=_("A management mode, or none."))
    mode_display = serializers.SerializerMethodField()
    communities = serializers.IntegerField()
    red_property = serializers.IntegerField()
    average_fee_per_m2_month = serializers.FloatField(allow_null=True)

    def get_mode_display(self, row) -> str:
        if row["mode"] == NO_SERVICE:
            return str(_("No property service"))
        return str(ManagementMode(row["mode"]).label)


class RenewalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    community = serializers.IntegerField(source="community_id")
    community_name = serializers.CharField(source="community.name")
    district = serializers.CharField(source="community.district.code")
    provider_name = serializers.CharField()
    mode = serializers.CharField()
    contract_end = serializers.DateField()
    days_left = serializers.SerializerMethodField()
    trial_end = serializers.DateField(allow_null=True)
    fee_per_m2_month = serializers.DecimalField(max_digits=6, decimal_places=2)

    def get_days_left(self, service) -> int:
        return service.days_left(self.context["on"])


class PropertyManagementSerializer(serializers.Serializer):
    on = serializers.DateField()
    modes = ModeCountSerializer(many=True)
    renewal_reminders = RenewalSerializer(many=True)
