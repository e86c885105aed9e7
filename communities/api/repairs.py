"""``/api/v1/service-requests/``: repair requests (报修), their lifecycle moves and measures;
``/api/v1/property-management/``: the classified-management view and renewal reminders.

Staff see every request of their scope with the reporter's name and phone and its
timeline. Everybody else sees only the requests marked public, through a serializer that has
no personal field at all, with phone numbers and the reporter's name masked in free text.
"""

from datetime import date

import django_filters
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from communities import selectors_repairs, services_repairs
from communities.api.base import (
    ApiAutoSchema,
    ChoiceLabelField,
    Conflict,
    QuerySerializer,
    ScopedViewMixin,
    StrictOrderingFilter,
)
from communities.choices import ManagementMode
from communities.filters import BooleanFilter, DateFilter, IntegerFilter, district_filter
from communities.models import Building, Community, District, RepairEvent, RepairRequest
from communities.models.repairs import (
    ClosedBy,
    HandlerKind,
    RepairAction,
    RepairCategory,
    RepairSource,
    RepairStatus,
)

# --- Filters ----------------------------------------------------------------------------------


# The most repair requests city-wide measures read in one answer (about a province's worth);
# beyond that the answer asks for a district or a community.
CITYWIDE_STATS_MAX = 200_000


class RepairRequestFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=RepairStatus.choices, label=_("Status (repeat for several)")
    )
    category = django_filters.MultipleChoiceFilter(
        choices=RepairCategory.choices, label=_("Category (repeat for several)")
    )
    source = django_filters.ChoiceFilter(choices=RepairSource.choices, label=_("Source"))
    community = IntegerFilter(field_name="community_id", label=_("Community id"))
    district = district_filter("community__district")
    is_emergency = BooleanFilter(label=_("Emergency"))
    overdue = BooleanFilter(method="filter_overdue", label=_("Open past its deadline"))
    submitted_after = DateFilter(method="filter_submitted", label=_("Submitted on or after"))
    submitted_before = DateFilter(method="filter_submitted", label=_("Submitted on or before"))

    class Meta:
        model = RepairRequest
        fields = [
            "status",
            "category",
            "source",
            "community",
            "district",
            "is_emergency",
            "overdue",
            "submitted_after",
            "submitted_before",
        ]

    def filter_submitted(self, queryset, name, value):
        bound = "since" if name == "submitted_after" else "until"
        return selectors_repairs.submitted_between(queryset, **{bound: value})

    def filter_overdue(self, queryset, name, value):
        now = timezone.now()
        return queryset.overdue(now) if value else queryset.not_overdue(now)


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
            data[name] = selectors_repairs.public_text(data[name], names=names)
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


# --- Permissions ------------------------------------------------------------------------------


class RepairRequestPermission(permissions.BasePermission):
    """Anyone reads (what they may see); filing needs ``add_repairrequest``, every lifecycle
    move ``change_repairrequest``, both for a staff user."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        user = request.user
        if not (user and user.is_authenticated and user.is_staff):
            return False
        needed = "add" if view.action == "create" else "change"
        return user.has_perm(f"communities.{needed}_repairrequest")


# --- Views ------------------------------------------------------------------------------------


def _raise_for(exc: DjangoValidationError):
    """A service's refusal as an API error: 409 for a move the status does not allow, 400
    with field messages otherwise."""
    if isinstance(exc, services_repairs.TransitionNotAllowed):
        raise Conflict(exc.messages[0]) from exc
    if hasattr(exc, "error_dict"):
        raise serializers.ValidationError(exc.message_dict) from exc
    raise serializers.ValidationError({"non_field_errors": exc.messages}) from exc


class QueryParametersSchema(ApiAutoSchema):
    """Also documents the 400 of a GET whose query parameters a serializer validates when the
    serializer is declared through ``extend_schema(parameters=[...])``."""

    def _error_codes(self) -> list[tuple[str, object]]:
        codes = super()._error_codes()
        validated = any(
            isinstance(parameter, serializers.BaseSerializer)
            or (isinstance(parameter, type) and issubclass(parameter, serializers.BaseSerializer))
            for parameter in self.get_override_parameters()
        )
        if self.method == "GET" and validated and all(code != "400" for code, _ in codes):
            codes.insert(0, ("400", "validation"))
        return codes


class SummarySchema(QueryParametersSchema):
    """The schema of a viewset whose ``list`` answers one summary object, not an array
    (drf-spectacular takes every ``list`` action for a list)."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class RepairRequestViewSet(
    ScopedViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Repair requests (报修). Staff see the requests of their scope (their districts, or the
    communities their company serves) with the reporter's name and phone and the timeline;
    everybody else sees the public requests, without any personal data."""

    schema = QueryParametersSchema()
    permission_classes = [RepairRequestPermission]
    filterset_class = RepairRequestFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, StrictOrderingFilter]
    ordering_fields = ["submitted_at", "deadline_at", "updated_at", "id"]
    queryset = RepairRequest.objects.all()
    # A staff answer names the reporter throughout: staff read their scope's requests only
    # (another district's public ones are on the public site, without names).
    limited_staff_read = "scope"

    def _staff(self) -> bool:
        return self.may_read_private()

    def public_queryset(self, queryset):
        return queryset.public()

    def get_queryset(self):
        requests = RepairRequest.objects.all()
        requests = requests.select_related("community__district", "building")
        if self._staff():
            requests = requests.select_related("grid_inspector")
            if self.action == "retrieve":
                requests = requests.prefetch_related(
                    Prefetch("timeline", queryset=RepairEvent.objects.order_by("at", "id"))
                )
        return requests

    def get_serializer_class(self):
        if self.action == "create":
            return SubmitSerializer
        if not self._staff():
            return PublicRepairRequestSerializer
        if self.action == "retrieve":
            return StaffRepairRequestDetailSerializer
        return StaffRepairRequestSerializer

    def _answer(self, repair_request, code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().prefetch_related("timeline").get(pk=repair_request.pk)
        serializer = StaffRepairRequestDetailSerializer(
            fresh, context=self.get_serializer_context()
        )
        return Response(serializer.data, status=code)

    @extend_schema(
        summary="File a repair request",
        request=SubmitSerializer,
        responses={201: StaffRepairRequestDetailSerializer},
    )
    def create(self, request, *args, **kwargs):
        serializer = SubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            with transaction.atomic():
                repair_request = services_repairs.repair_request_submit(by=request.user, **data)
                self.refuse_out_of_scope(repair_request)
        except DjangoValidationError as exc:
            _raise_for(exc)
        return self._answer(repair_request, status.HTTP_201_CREATED)

    def _move(self, request, mover, input_serializer=None, **fixed):
        arguments = dict(fixed)
        if input_serializer is not None:
            payload = input_serializer(data=request.data)
            payload.is_valid(raise_exception=True)
            arguments.update(payload.validated_data)
        repair_request = self.get_object()
        try:
            moved = mover(repair_request=repair_request, by=request.user, **arguments)
        except DjangoValidationError as exc:
            _raise_for(exc)
        return self._answer(moved)

    @extend_schema(
        summary="Dispatch to the property service covering the community",
        request=NoteSerializer,
        responses=StaffRepairRequestDetailSerializer,
    )
    # Not named ``dispatch``: that is the method every view answers requests through.
    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def dispatch_to_handler(self, request, pk=None):
        return self._move(request, services_repairs.repair_request_dispatch, NoteSerializer)

    @extend_schema(
        summary="Start the work",
        request=NoteSerializer,
        responses=StaffRepairRequestDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._move(request, services_repairs.repair_request_start, NoteSerializer)

    @extend_schema(
        summary="Resolve (say what was done)",
        request=ResolveSerializer,
        responses=StaffRepairRequestDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        return self._move(request, services_repairs.repair_request_resolve, ResolveSerializer)

    @extend_schema(
        summary="Record the reporter's rating (closes the request)",
        request=RateSerializer,
        responses=StaffRepairRequestDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        return self._move(request, services_repairs.repair_request_rate, RateSerializer)

    @extend_schema(
        summary="Reopen: the reporter is not satisfied",
        request=ReasonSerializer,
        responses=StaffRepairRequestDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._move(request, services_repairs.repair_request_reopen, ReasonSerializer)

    @extend_schema(
        summary="Reject with a reason",
        request=ReasonSerializer,
        responses=StaffRepairRequestDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._move(request, services_repairs.repair_request_reject, ReasonSerializer)

    @extend_schema(
        summary="Close a resolved request left unrated for the set days",
        request=None,
        responses=StaffRepairRequestDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="auto-close")
    def auto_close(self, request, pk=None):
        return self._move(request, services_repairs.repair_request_auto_close)

    @extend_schema(
        summary="Show to or hide from the public",
        request=RepairPublishSerializer,
        responses=StaffRepairRequestDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._move(
            request, services_repairs.repair_request_set_public, RepairPublishSerializer
        )

    @extend_schema(
        summary="Measures: by status and category; by community, company, district, month",
        parameters=[StatsQuerySerializer],
        responses=RepairStatsSerializer,
    )
    @action(
        detail=False, methods=["get"], permission_classes=[permissions.AllowAny], public_read=True
    )
    def stats(self, request):
        query = StatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        if not params.get("district") and not params.get("community"):
            # City-wide measures read every request; past this many (a province's worth)
            # they take longer than a client waits: the answer asks for a scope instead.
            scope = selectors_repairs.repair_request_scope(
                category=params.get("category"),
                since=params.get("since"),
                until=params.get("until"),
            )
            if scope.order_by()[: CITYWIDE_STATS_MAX + 1].count() > CITYWIDE_STATS_MAX:
                raise serializers.ValidationError(
                    {
                        "district": [
                            _(
                                "More than %(max)s repair requests match: choose a district "
                                "or a community."
                            )
                            % {"max": f"{CITYWIDE_STATS_MAX:,}"}
                        ]
                    }
                )
        measures = selectors_repairs.repair_measures(
            district=params["district"].code if params.get("district") else None,
            community=params["community"].pk if params.get("community") else None,
            category=params.get("category"),
            since=params.get("since"),
            until=params.get("until"),
        )
        return Response(RepairStatsSerializer(measures).data)


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
        if row["mode"] == selectors_repairs.NO_SERVICE:
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
            "modes": selectors_repairs.management_modes(on=on, district=code),
            "renewal_reminders": selectors_repairs.renewal_reminders(
                on=on, days=query.validated_data["days"], district=code
            ),
        }
        return Response(PropertyManagementSerializer(data, context={"on": on}).data)
