"""``/api/v1/design-plan-objections/`` and the shape every objection resource shares (the
elevator retrofits' ``/api/v1/elevator-objections/`` builds on it).

- Anyone reads the published objections with their answers; staff of the district also read
  those still in moderation or hidden, and the filer's name, room and phone (never anyone else).
- Anyone may file one (``POST`` on the list, throttled per client address: residents have no
  account); a signed-in user files only within their scope.
- Staff moderate (``moderate``) and answer (``answer``); the approval of the notice waits for
  every answer (409 from the plan's ``approve`` or the retrofit's ``advance``).
"""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from communities.core import bounds
from communities.core.api.base import (
    DomainSerializer,
    DomainViewSet,
    raise_api_error,
    refuse_out_of_scope,
    status_code_field,
)
from communities.core.api.fields import ChoiceLabelField, personal_data_allowed
from communities.core.client_ip import client_ip
from communities.core.filters import FilterSet, IntegerFilter
from communities.core.masking import public_text
from communities.places.models import Building
from communities.works.choices import ObjectionStatus
from communities.works.models.objections import ANSWER_MAX, TEXT_MAX, DesignPlanObjection
from communities.works.models.plans import DesignPlan
from communities.works.objections import (
    design_plan_objection_file,
    objection_answer,
    objection_moderate,
)

# --- Serializers ------------------------------------------------------------------------------


class ObjectionSerializer(DomainSerializer):
    """An objection as it is read. The text and the answer reach the public masked
    (``core.masking.public_text``: phone numbers and the filer's name), and only published."""

    status = status_code_field(ObjectionStatus)
    status_display = ChoiceLabelField(ObjectionStatus, source="status")
    filed_on = serializers.SerializerMethodField(help_text=_("The day it was filed."))
    answered = serializers.BooleanField(source="is_answered", read_only=True)

    COMMON_FIELDS = [
        "id",
        "status",
        "status_display",
        "filed_on",
        "text",
        "answered",
        "answer",
        "answered_on",
        # Staff of the district only:
        "name",
        "room",
        "phone",
        "moderation_reason",
        "moderated_at",
    ]
    STAFF_ONLY_COMMON = ("name", "room", "phone", "moderation_reason", "moderated_at")

    def get_filed_on(self, obj) -> str:
        return timezone.localtime(obj.filed_at).date().isoformat()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not personal_data_allowed(self, instance):
            names = (instance.name,)
            data["text"] = public_text(instance.text, names=names)
            data["answer"] = public_text(instance.answer, names=names)
        return data


class DesignPlanObjectionSerializer(ObjectionSerializer):
    class Meta:
        model = DesignPlanObjection
        fields = ["plan", *ObjectionSerializer.COMMON_FIELDS, "building"]
        read_only_fields = fields
        staff_only_fields = (*ObjectionSerializer.STAFF_ONLY_COMMON, "building")


class FileSerializer(serializers.Serializer):
    """What a resident gives: who they are (kept private) and what they object to."""

    name = serializers.CharField(max_length=50, help_text=_("Kept private."))
    room = serializers.CharField(max_length=30, help_text=_("Kept private, e.g. 301."))
    phone = serializers.CharField(max_length=30, help_text=_("Kept private."))
    text = serializers.CharField(max_length=TEXT_MAX, help_text=_("Public after moderation."))

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            bounds.bound_serializer_field(field)
        return fields


class DesignPlanFileSerializer(FileSerializer):
    plan = serializers.PrimaryKeyRelatedField(queryset=DesignPlan.objects.all())
    building = serializers.PrimaryKeyRelatedField(
        queryset=Building.objects.all(),
        help_text=_("The filer's building in the plan's community (kept private)."),
    )


class ModerateSerializer(serializers.Serializer):
    publish = serializers.BooleanField(help_text=_("True publishes the text; false hides it."))
    reason = serializers.CharField(
        max_length=300, required=False, allow_blank=True, help_text=_("Needed to hide.")
    )


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=ANSWER_MAX)
    answered_on = serializers.DateField(required=False, help_text=_("Today when not given."))

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            bounds.bound_serializer_field(field)
        return fields


# --- Views ------------------------------------------------------------------------------------


class ObjectionFilingThrottle(ScopedRateThrottle):
    """``objection_file``'s rate per client address (``core.client_ip``), for filing only."""

    scope_attr = "filing_throttle_scope"

    def get_ident(self, request) -> str:
        return client_ip(request) or ""


class ObjectionPermission(permissions.BasePermission):
    """Reads and filing for everyone; moderation and answers for staff holding the model's
    change permission (scope: ``ScopedViewMixin`` answers 404 outside it)."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS or view.action == "create":
            return True
        user = request.user
        if not (user and user.is_authenticated and user.is_staff):
            return False
        model = view.queryset.model
        return user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")


MODERATE_DOC = extend_schema(
    summary="Publish or hide an objection",
    description=(
        "Staff of the district holding the change permission. Hiding needs a reason; a hidden "
        "objection still needs its answer before approval."
    ),
    request=ModerateSerializer,
)
ANSWER_DOC = extend_schema(
    summary="Answer an objection",
    description=(
        "Staff of the district holding the change permission. The answer is published with "
        "the objection; the notice's approval waits until every objection is answered."
    ),
    request=AnswerSerializer,
)
CREATE_DOC = extend_schema(
    summary="File an objection during the public notice",
    description=(
        "Open to anyone (residents have no account), throttled per client address. Only while "
        "the notice runs (409 otherwise); name, room and phone are kept private, the text is "
        "public once staff publish it."
    ),
)


class ObjectionViewSet(DomainViewSet):
    """The shared behaviour; a subclass names its model, serializers, target and filing."""

    http_method_names = ["get", "post", "head", "options"]
    permission_classes = [ObjectionPermission]
    filing_throttle_scope = "objection_file"
    ordering_fields = ["id", "filed_at", "answered_on"]
    file_serializer_class: type[FileSerializer]
    target_field: str

    def get_queryset(self):
        # The serializer of a filing or an action reads no relation: the read one's setup.
        return self.serializer_class.setup_queryset(self.queryset.all())

    def public_queryset(self, queryset):
        return queryset.published()

    def get_serializer_class(self):
        if self.action == "create":
            return self.file_serializer_class
        if self.action == "moderate":
            return ModerateSerializer
        if self.action == "answer":
            return AnswerSerializer
        return super().get_serializer_class()

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.action == "create":
            throttles.append(ObjectionFilingThrottle())
        return throttles

    def file(self, **data):  # pragma: no cover - each resource files its own way
        raise NotImplementedError

    def _answer_with(self, objection, code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=objection.pk)
        # The filer's details go back only to staff whose scope covers the record.
        context = self.get_serializer_context()
        return Response(self.serializer_class(fresh, context=context).data, status=code)

    @CREATE_DOC
    def create(self, request, *args, **kwargs):
        payload = self.get_serializer(data=request.data)
        payload.is_valid(raise_exception=True)
        target = payload.validated_data[self.target_field]
        if request.user and request.user.is_authenticated:
            refuse_out_of_scope(request.user, target)  # staff file only in their districts
        try:
            objection = self.file(**payload.validated_data)
        except DjangoValidationError as exc:
            raise_api_error(exc)
        return self._answer_with(objection, status.HTTP_201_CREATED)

    @MODERATE_DOC
    @action(detail=True, methods=["post"])
    def moderate(self, request, pk=None):
        objection = self.get_object()
        payload = ModerateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            objection_moderate(
                objection=objection,
                publish=payload.validated_data["publish"],
                reason=payload.validated_data.get("reason", ""),
                by=request.user,
            )
        except DjangoValidationError as exc:
            raise_api_error(exc)
        return self._answer_with(objection)

    @ANSWER_DOC
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        objection = self.get_object()
        payload = AnswerSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            objection_answer(
                objection=objection,
                answer=payload.validated_data["answer"],
                on=payload.validated_data.get("answered_on"),
                by=request.user,
            )
        except DjangoValidationError as exc:
            raise_api_error(exc)
        return self._answer_with(objection)


class DesignPlanObjectionFilter(FilterSet):
    plan = IntegerFilter(field_name="plan_id", label=_("Design plan id"))
    status = django_filters.ChoiceFilter(choices=ObjectionStatus.choices, label=_("Moderation"))

    class Meta:
        model = DesignPlanObjection
        fields = ["plan", "status"]


class DesignPlanObjectionViewSet(ObjectionViewSet):
    """Residents' objections to design plans under public notice."""

    queryset = DesignPlanObjection.objects.all()
    serializer_class = DesignPlanObjectionSerializer
    file_serializer_class = DesignPlanFileSerializer
    filterset_class = DesignPlanObjectionFilter
    ordering = ["plan_id", "filed_at", "id"]
    target_field = "plan"

    def file(self, **data):
        return design_plan_objection_file(**data)
