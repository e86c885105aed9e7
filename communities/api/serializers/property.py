"""Property services (物业服务): who keeps a community up, over time."""

from datetime import date

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from communities.api.base import ChoiceLabelField, DomainSerializer
from communities.choices import ManagementMode
from communities.models import PropertyService


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
