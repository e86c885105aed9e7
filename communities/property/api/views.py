"""``/api/v1/property-services/`` and ``/api/v1/property-management/`` (the classified-
management view and renewal reminders)."""

from datetime import date

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, viewsets
from rest_framework.response import Response

from communities.core.api.base import DomainViewSet
from communities.core.api.schema import SummarySchema
from communities.property.api.serializers import (
    ManagementQuerySerializer,
    PropertyManagementSerializer,
    PropertyServiceSerializer,
)
from communities.property.filters import PropertyServiceFilter
from communities.property.models import PropertyService
from communities.property.selectors import management_modes, renewal_reminders


class PropertyServiceViewSet(DomainViewSet):
    queryset = PropertyService.objects.all()
    serializer_class = PropertyServiceSerializer
    filterset_class = PropertyServiceFilter
    ordering = ["community_id", "-contract_start", "id"]
    ordering_fields = ["id", "contract_start", "contract_end", "fee_per_m2_month"]


class PropertyManagementViewSet(viewsets.ViewSet):
    """Classified management (分类管理): communities by who keeps them up on a day —
    professional company, neighbourhood fallback, owners themselves, or none — and the
    contracts due for renewal (ending within 60 days, with no successor lined up)."""

    schema = SummarySchema()
    # Contract periods, modes and providers are public in /property-services/ already.
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        summary="Communities by management mode, and renewal reminders",
        parameters=[ManagementQuerySerializer],
        responses=PropertyManagementSerializer,
    )
    def list(self, request):
        query = ManagementQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        on: date = query.validated_data.get("on") or timezone.localdate()
        district = query.validated_data.get("district")
        code = district.code if district else None
        data = {
            "on": on,
            "modes": management_modes(on=on, district=code),
            "renewal_reminders": renewal_reminders(
                on=on, days=query.validated_data["days"], district=code
            ),
        }
        return Response(PropertyManagementSerializer(data, context={"on": on}).data)
