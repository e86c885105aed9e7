"""What every API resource shares, written once: later issues land their rules here.

- ``DomainSerializer``: refuses unknown and read-only keys, runs the model's own validation
  (``full_clean()``: field validators, ``clean()``, uniqueness, constraints) on every write so
  the API refuses exactly what the admin refuses, field by field, and hides staff-only fields
  (personal data) from everyone else.
- ``DomainViewSet``: filters and strict ordering, the queryset each serializer needs (so every
  list runs a constant number of queries), writes in a transaction, a 409 instead of a 500
  when a delete is blocked by records that refer to the object.
- ``ApiAutoSchema``: the error responses every operation can give, so the schema is truthful.
"""

import copy
import hashlib
import json
from collections.abc import Mapping

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, router, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import extend_schema_field
from rest_framework import (
    exceptions,
    filters,
    permissions,
    renderers,
    serializers,
    status,
    viewsets,
)
from rest_framework.request import override_method
from rest_framework.response import Response
from rest_framework.settings import api_settings

from communities.core import bounds, caching, locks
from communities.core.api import lean
from communities.core.api.fields import can_see_personal_data, personal_data_allowed
from communities.core.api.filtering import DjangoFilterBackend
from communities.core.api.renderers import JSONRenderer
from communities.core.errors import WrongState
from communities.core.scoping import IN_SCOPE, in_scope, scope_for, scope_queryset

# --- Serializers ------------------------------------------------------------------------------


def _constraint_field(constraint) -> str:
    """The field a constraint's message belongs to, when it is about one field only."""
    if isinstance(constraint, models.CheckConstraint):
        fields = set(constraint.condition.referenced_base_fields)
    elif isinstance(constraint, models.UniqueConstraint) and constraint.fields:
        fields = set(constraint.fields)
    else:
        fields = set()
    return fields.pop() if len(fields) == 1 else NON_FIELD_ERRORS


def model_errors(instance: models.Model) -> dict[str, list]:
    """Everything ``full_clean()`` refuses, with constraint messages filed under their field.

    The same checks in the same order as ``Model.full_clean()``; the only difference is that a
    constraint on one field (``floor_area_m2 >= 0``) reports on that field instead of on the
    whole record, so an API client can show it next to the input.
    """
    errors: dict[str, list] = {}
    try:
        instance.full_clean(validate_constraints=False)
    except DjangoValidationError as exc:
        errors = exc.update_error_dict(errors)
    exclude = {name for name in errors if name != NON_FIELD_ERRORS}
    using = router.db_for_write(type(instance), instance=instance)
    for model_class, constraints in instance.get_constraints():
        for constraint in constraints:
            try:
                constraint.validate(model_class, instance, exclude=exclude, using=using)
            except DjangoValidationError as exc:
                errors.setdefault(_constraint_field(constraint), []).extend(exc.error_list)
    return {
        field: [message for error in error_list for message in error.messages]
        for field, error_list in errors.items()
    }


class DomainSerializer(serializers.ModelSerializer):
    """The base of every model serializer in the API.

    ``Meta.fields`` is always an explicit list: a new column must not leak into the public API.
    ``Meta.staff_only_fields`` names the fields only ``can_see_personal_data`` users receive;
    they are documented in the schema but never required, and dropped from other responses.
    """

    default_error_messages = {
        "unknown_field": _("Unknown field."),
        "read_only_field": _("This field is read-only."),
    }
    # Sent by the browsable API's HTML forms; never a field.
    IGNORED_KEYS = frozenset({"csrfmiddlewaretoken"})

    @classmethod
    def setup_queryset(cls, queryset: models.QuerySet) -> models.QuerySet:
        """Add the joins, prefetches and annotations the fields read (no query per row)."""
        return queryset

    def get_fields(self):
        """The fields, introspected from the model once per class and language.

        ``ModelSerializer`` inspects the model again for every serializer it makes (a detail
        page makes a dozen); the result depends only on the class and, through labels chosen
        by comparing translated names, on the language. Each instance gets a deep copy, as DRF
        itself copies declared fields, so changing one instance's fields changes no other.
        """
        templates = type(self).__dict__.get("_field_templates")
        if templates is None:
            templates = {}
            type(self)._field_templates = templates
        language = get_language()
        if language not in templates:
            templates[language] = super().get_fields()
        return copy.deepcopy(templates[language])

    # Reading

    def to_representation(self, instance):
        data = super().to_representation(instance)
        staff_only = getattr(self.Meta, "staff_only_fields", ())
        if staff_only and not personal_data_allowed(self, instance):
            for name in staff_only:
                data.pop(name, None)
        return data

    # Writing

    def build_standard_field(self, field_name, model_field):
        """Keep the model's own range validators, so a value out of range gets the model's
        message (as in the admin), and a limit that moves (the current year) stays a limit
        evaluated when the request comes, not a number fixed when the process started."""
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        limits = [
            validator
            for validator in model_field.validators
            if isinstance(validator, MinValueValidator | MaxValueValidator)
        ]
        if limits:
            field_kwargs.pop("min_value", None)
            field_kwargs.pop("max_value", None)
            field_kwargs["validators"] = [*field_kwargs.get("validators", []), *limits]
        return field_class, field_kwargs

    def get_validators(self):
        """Uniqueness is the model's business: ``full_clean()`` checks it with its messages."""
        return []

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            self._refuse_unexpected_keys(data)
        return super().to_internal_value(data)

    def _refuse_unexpected_keys(self, data: Mapping) -> None:
        errors = {}
        for key in data:
            if key in self.IGNORED_KEYS:
                continue
            field = self.fields.get(key)
            if field is None:
                errors[key] = [self.error_messages["unknown_field"]]
            elif field.read_only:
                errors[key] = [self.error_messages["read_only_field"]]
        if errors:
            raise serializers.ValidationError(errors, code="invalid")

    def validate(self, attrs):
        attrs = super().validate(attrs)
        candidate = self._candidate(attrs)
        self._raise_model_errors(candidate)
        self._validated_candidate = candidate
        self._validated_names = set(attrs)
        return attrs

    def _candidate(self, attrs) -> models.Model:
        """The object as it would be saved: a new one, or a copy of the current one changed."""
        if self.instance is None:
            return self.Meta.model(**attrs)
        # A copy keeps what the queryset annotated (funding_sum...) and the related objects
        # already loaded; the object the view holds stays as it is if validation fails.
        candidate = copy.copy(self.instance)
        for name, value in attrs.items():
            setattr(candidate, name, value)
        return candidate

    def _raise_model_errors(self, candidate: models.Model) -> None:
        errors = model_errors(candidate)
        if not errors:
            return
        frozen = locks.frozen_errors(candidate)
        if frozen:
            raise Frozen(
                {
                    "detail": " ".join(dict.fromkeys(m for ms in frozen.values() for m in ms)),
                    "frozen": frozen,
                }
            )
        by_source = {
            field.source: name for name, field in self.fields.items() if not field.read_only
        }
        detail: dict[str, list] = {}
        for key, messages in errors.items():
            if key == NON_FIELD_ERRORS:
                key = api_settings.NON_FIELD_ERRORS_KEY
            else:
                key = by_source.get(key, key)
            detail.setdefault(key, []).extend(messages)
        raise serializers.ValidationError(detail)

    def _save_candidate(self, validated_data) -> models.Model:
        candidate = self._validated_candidate
        extra = {k: v for k, v in validated_data.items() if k not in self._validated_names}
        if extra:  # save(**kwargs) from a view: those values must pass the rules too
            for name, value in extra.items():
                setattr(candidate, name, value)
            self._raise_model_errors(candidate)
        candidate.save()
        return candidate

    def save(self, **kwargs):
        """Every write through a domain serializer, whatever its ``create``/``update`` do,
        ends inside the user's scope, or is rolled back with a 403."""
        with transaction.atomic():
            instance = super().save(**kwargs)
            request = self.context.get("request")
            if request is not None:
                refuse_out_of_scope(request.user, instance)
        return instance

    def create(self, validated_data):
        return self._save_candidate(validated_data)

    def update(self, instance, validated_data):
        return self._save_candidate(validated_data)


class QuerySerializer(serializers.Serializer):
    """The query parameters of a view that is not a list (statistics and the like).

    An empty value (``?district=``) is refused like any other invalid value: the schema
    documents each parameter as non-empty, and DRF would otherwise read it as not given.
    Dates and whole numbers are bounded (``communities.core.bounds``): a day in year 9999 or a
    20-digit number is refused by name, not passed on to overflow further in.
    """

    default_error_messages = {"blank": _("Give a value, or leave the parameter out.")}

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            bounds.bound_serializer_field(field)
        return fields

    def to_internal_value(self, data):
        blank = [name for name in self.fields if name in data and data.get(name) == ""]
        if blank:
            raise serializers.ValidationError(
                {name: [self.error_messages["blank"]] for name in blank}
            )
        return super().to_internal_value(data)


# --- Errors -----------------------------------------------------------------------------------


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The request conflicts with the current state of the record.")
    default_code = "conflict"


class Frozen(Conflict):
    """409: the change touches fields a decision has frozen (``communities.core.locks``); the
    body names the decision, in ``detail`` and field by field under ``frozen``."""

    default_code = "frozen"


def raise_api_error(error: DjangoValidationError):
    """A service's refusal as the API answers it: 409 when the record's state does not allow
    the move (``WrongState``), else 400 with the messages field by field."""
    if isinstance(error, WrongState):
        raise Conflict(str(error)) from error
    if hasattr(error, "error_dict"):
        raise serializers.ValidationError(error.message_dict) from error
    raise serializers.ValidationError(
        {api_settings.NON_FIELD_ERRORS_KEY: error.messages}
    ) from error


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(
        "The record has changed since you read it: read it again and make your change on the "
        "current version."
    )
    default_code = "precondition_failed"


class ErrorSerializer(serializers.Serializer):
    """An error that is not about one field: 401, 403, 404, 409, 412, 429."""

    detail = serializers.CharField()


VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "Field-by-field messages: each key is a field or query parameter "
        f"(`{api_settings.NON_FIELD_ERRORS_KEY}` for the record as a whole); a body that "
        "cannot be parsed at all (not JSON) gets one message under `detail` instead. A field "
        "that holds a list of records (an acceptance's parties) has its messages by the "
        'position of the record in the list, then by field: `{"0": {"party": [...]}}`.'
    ),
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {
        "anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "object"}]
    },
}


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's schema plus the error responses each operation really gives."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, kind in self._error_codes():
            if code in responses:
                continue
            if kind == "validation":
                component = ResolvedComponent(
                    name="ValidationError",
                    type=ResolvedComponent.SCHEMA,
                    schema=VALIDATION_ERROR_SCHEMA,
                    object="ValidationError",
                )
                self.registry.register_on_missing(component)
                responses[code] = {
                    "content": {"application/json": {"schema": component.ref}},
                    "description": str(_("Invalid input")),
                }
            else:
                responses[code] = self._get_response_for_code(ErrorSerializer, code)
                responses[code]["description"] = str(kind)
        return responses

    def get_tags(self) -> list[str]:
        """Group operations by resource: /api/v1/<resource>/..."""
        parts = [part for part in self.path.split("/") if part]
        if len(parts) >= 3 and parts[0] == "api":
            return [parts[2]]
        return super().get_tags()

    def _query_serializer(self):
        return getattr(self.view, "query_serializer_class", None)

    def get_override_parameters(self):
        """A view's ``query_serializer_class`` documents its query parameters."""
        query = self._query_serializer()
        return [*super().get_override_parameters(), *([query] if query else [])]

    def _error_codes(self) -> list[tuple[str, object]]:
        has_lookup = "{" in self.path
        codes = []
        if self.method == "GET":
            is_list = self._is_list_view()
            if is_list or self.get_filter_backends() or self._query_serializer():
                codes.append(("400", "validation"))  # a malformed filter, ordering or page size
            if has_lookup or (is_list and self._get_paginator()):
                codes.append(("404", _("Not found")))  # no such object, or a page past the last
        else:
            takes_body = self.method in {"POST", "PUT", "PATCH"}
            if takes_body:
                codes.append(("400", "validation"))
            codes += [("401", _("Not authenticated")), ("403", _("Permission denied"))]
            if takes_body:
                # A body in a type the operation does not read, or a multipart body without
                # its boundary: DRF's parsers answer 415 before any field is read.
                codes.append(("415", _("Unsupported media type")))
            if has_lookup:
                codes.append(("404", _("Not found")))
            if self.method == "DELETE":
                codes.append(("409", _("Other records refer to this one")))
            if has_lookup and self.method == "POST":
                # An action on a record (dispatch, advance...) its current state refuses.
                codes.append(("409", _("The record's current state does not allow this")))
            if has_lookup and self.method in {"PUT", "PATCH", "DELETE"}:
                codes.append(("412", _("The record changed since it was read (If-Match)")))
        codes.append(("429", _("Too many requests")))
        return codes


# --- Views ------------------------------------------------------------------------------------


def etag(obj: models.Model) -> str:
    """A strong ETag of the record's own row: it changes whenever any of its columns does.

    Computed from the stored values, not from a serializer's output, so a list, a detail and a
    write's response agree, and a change to related records does not make a clerk's edit stale.
    """
    values = [field.value_to_string(obj) for field in obj._meta.concrete_fields]
    digest = hashlib.sha256(json.dumps([obj._meta.label, values]).encode()).hexdigest()
    return f'"{digest[:32]}"'


class StrictOrderingFilter(filters.OrderingFilter):
    """``?ordering=`` over the view's ``ordering_fields``: an unknown field is a 400."""

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params:
            terms = [term.strip() for term in params.split(",")]
            valid = {
                item[0] for item in self.get_valid_fields(queryset, view, {"request": request})
            }
            unknown = [term for term in terms if term.lstrip("-") not in valid]
            if unknown or not all(terms):
                raise exceptions.ValidationError(
                    {
                        self.ordering_param: [
                            _("Cannot order by %(fields)s. Choose from: %(valid)s.")
                            % {
                                "fields": ", ".join(unknown) or '""',
                                "valid": ", ".join(sorted(valid)),
                            }
                        ]
                    }
                )
            # A unique last key keeps pages stable when the chosen fields tie.
            if not {"id", "-id", "pk", "-pk"} & set(terms):
                terms.append("pk")
            return terms
        return self.get_default_ordering(view)

    def get_schema_operation_parameters(self, view):
        fields = ", ".join(view.ordering_fields)
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": str(
                    _(
                        "Fields to order by, separated by commas; a leading - sorts "
                        "descending. One of: %(fields)s."
                    )
                    % {"fields": fields}
                ),
                "schema": {"type": "string"},
            }
        ]


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """The browsable API, its raw-data form pre-filled with the writable fields only.

    DRF pre-fills it with the whole representation, which ``DomainSerializer`` would refuse
    (read-only keys are an error, not ignored).
    """

    def get_raw_data_form(self, data, view, method, request):
        form = super().get_raw_data_form(data, view, method, request)
        content = form.fields["_content"].initial if form is not None else None
        if not content:
            return form
        try:
            body = json.loads(content)
        except ValueError:
            return form
        if not isinstance(body, dict):
            return form
        with override_method(view, request, method):
            fields = view.get_serializer().fields
        writable = {name for name, field in fields.items() if not field.read_only}
        form.fields["_content"].initial = json.dumps(
            {key: value for key, value in body.items() if key in writable},
            indent=4,
            ensure_ascii=False,
        )
        return form


def refuse_out_of_scope(user, instance: models.Model) -> None:
    """Called inside a write's transaction: a record created in, or moved to, a district
    outside the user's scope is refused, and the write rolled back with the exception."""
    if not in_scope(user, instance):
        raise exceptions.PermissionDenied(
            _("You may only create or change records of your own districts.")
        )


class ScopedViewMixin:
    """The API's one gate of scope (``communities.core.scoping``), mixed into every viewset.

    - A **public read** (``list``, ``retrieve``, and actions declared with
      ``@action(..., public_read=True)``) answers what the public may read of the resource
      (``public_queryset``) to everyone; staff who may read private rows
      (``may_read_private``) also get those of their scope. Personal data in a public read is
      given only for records in the reader's scope (``can_see_personal_data``).
    - **Everything else** (writes, and every other action, GET ones too) reaches only records
      in the user's scope: a route with a lookup checks it before the handler runs, so a
      record outside the scope is a 404 (as if it did not exist) before any payload is read.

    An action that forgets to declare itself is therefore scoped: a new endpoint is safe by
    default, and ``tests/access/test_scope_generated.py`` walks every route to prove it.
    """

    # Set per action by ``@action(..., public_read=True)``.
    public_read = False
    # What staff whose scope is limited read in a public read: "union" (the public rows and,
    # for the private ones, those of their scope) or "scope" (only their scope's rows: for a
    # resource whose staff representation is personal throughout, such as repair requests).
    limited_staff_read = "union"

    def reads_public_data(self) -> bool:
        return self.request.method in permissions.SAFE_METHODS and (
            self.action in {"list", "retrieve", "metadata"} or self.public_read
        )

    def public_queryset(self, queryset: models.QuerySet) -> models.QuerySet:
        """The rows anyone may read (every row, unless the resource has private ones)."""
        return queryset

    def may_read_private(self) -> bool:
        """Whether the user may read, within their scope, rows the public does not see."""
        user = self.request.user
        return bool(user and user.is_authenticated and user.is_staff)

    def scope_queryset(self, queryset: models.QuerySet) -> models.QuerySet:
        user = self.request.user
        if not self.reads_public_data():
            return scope_queryset(queryset, user)
        if not self.may_read_private():
            return self.public_queryset(queryset)
        condition = scope_for(user).condition(queryset.model)
        if condition is None:
            return queryset
        mine = queryset.filter(condition)
        if self.limited_staff_read == "union":
            mine = self.public_queryset(queryset) | mine
        return mine.annotate(
            **{IN_SCOPE: models.ExpressionWrapper(condition, models.BooleanField())}
        )

    def filter_queryset(self, queryset):
        return self.scope_queryset(super().filter_queryset(queryset))

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        lookup = self.lookup_url_kwarg or self.lookup_field
        if lookup in self.kwargs and not self.reads_public_data():
            self.get_object()  # 404 outside the scope, before the handler reads anything

    def get_object(self):
        cached = getattr(self, "_scoped_object", None)
        if cached is None:
            cached = self._scoped_object = super().get_object()
        return cached

    def get_serializer_context(self):
        context = super().get_serializer_context()
        obj = getattr(self, "_scoped_object", None)
        if obj is not None and self.action not in {"list", "retrieve"}:
            # An action on one record answers about its parts: they share its scope.
            context["personal_data"] = can_see_personal_data(self.request, obj)
        return context

    def refuse_out_of_scope(self, instance: models.Model) -> None:
        refuse_out_of_scope(self.request.user, instance)


# The lean lists' unfiltered ``.values()`` querysets, by viewset class, its queryset and its
# serializer (never evaluated: each request narrows a clone).
_LEAN_TEMPLATES: dict[tuple, models.QuerySet] = {}


class DomainViewSet(ScopedViewMixin, viewsets.ModelViewSet):
    """The base of every resource: a viewset declares its queryset, serializers and filters.

    ``serializer_class`` serves lists and writes; ``detail_serializer_class`` (optional) serves
    a single object read. Each serializer's ``setup_queryset`` adds what its fields read.
    """

    schema = ApiAutoSchema()
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer]
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    detail_serializer_class: type[serializers.Serializer] | None = None
    # Serve JSON list pages from ``.values()`` rows (communities.core.api.lean): for the lists that
    # must stay fast over hundreds of thousands of rows. The output is the serializer's own.
    lean_list = False

    def list(self, request, *args, **kwargs):
        plan = lean.plan_for(self.get_serializer_class()) if self.lean_list else None
        if plan is None or not isinstance(request.accepted_renderer, renderers.JSONRenderer):
            return super().list(request, *args, **kwargs)
        rows = self.filter_queryset(self._lean_rows(plan))
        page = self.paginate_queryset(rows)
        if page is None:
            return Response(plan.represent(rows, request))
        return self.get_paginated_response(plan.represent(page, request))

    def _lean_rows(self, plan: lean.LeanPlan) -> models.QuerySet:
        """The viewset's queryset as the plan's ``.values()`` rows, for the filters to narrow
        (the same SQL as the filtered queryset's ``.values()``). When ``get_queryset`` is this
        class's own, the queryset is the same for every request (the class's queryset and its
        serializer's ``setup_queryset``): its ``.values()`` is built once per viewset class and
        serializer, and cloned (``set_values`` over 20-odd columns and their joins cost 0.15 ms
        of every page of communities)."""
        if type(self).get_queryset is not DomainViewSet.get_queryset:
            return plan.values(self.get_queryset())
        key = (type(self), self.queryset, self.get_serializer_class())
        template = _LEAN_TEMPLATES.get(key)
        if template is None:
            template = _LEAN_TEMPLATES[key] = plan.values(self.get_queryset())
        return template.all()

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return super().get_serializer_class()

    def get_queryset(self):
        return self.get_serializer_class().setup_queryset(super().get_queryset())

    # Optimistic concurrency: a detail response carries the record's ETag; a write sending
    # If-Match with an older one is refused with 412 and changes nothing.

    def get_object(self):
        obj = super().get_object()
        self._check_if_match(obj)
        self._etag_object = obj
        return obj

    def _check_if_match(self, obj: models.Model) -> None:
        header = self.request.headers.get("If-Match")
        if header is None or self.request.method in permissions.SAFE_METHODS:
            return
        wanted = {tag.strip().removeprefix("W/") for tag in header.split(",")}
        if "*" not in wanted and etag(obj) not in wanted:
            raise PreconditionFailed()

    def finalize_response(self, request, response, *args, **kwargs):
        obj = getattr(self, "_etag_object", None)
        detail_actions = {"retrieve", "update", "partial_update"}
        if obj is not None and self.action in detail_actions and response.status_code == 200:
            response["ETag"] = etag(obj)
        return super().finalize_response(request, response, *args, **kwargs)

    def perform_create(self, serializer):
        with transaction.atomic():
            serializer.save()  # DomainSerializer refuses a record outside the scope
            if not isinstance(serializer, DomainSerializer):
                self.refuse_out_of_scope(serializer.instance)
        self._reload(serializer)

    def perform_update(self, serializer):
        with transaction.atomic():
            if self.request.headers.get("If-Match") is not None:
                # Read again under a row lock: two clerks sending the same ETag at the same
                # moment cannot both pass the check.
                current = (
                    type(serializer.instance)
                    ._default_manager.select_for_update()
                    .get(pk=serializer.instance.pk)
                )
                self._check_if_match(current)
            serializer.save()  # DomainSerializer refuses a record outside the scope
            if not isinstance(serializer, DomainSerializer):
                self.refuse_out_of_scope(serializer.instance)
        self._reload(serializer)

    def _reload(self, serializer) -> None:
        """Answer a write with the record as a read shows it (counts, sums, fresh relations)."""
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)
        self._etag_object = serializer.instance

    def perform_destroy(self, instance):
        self._etag_object = None
        try:
            with caching.tokens_replaced_once(), transaction.atomic():
                instance.delete()
        except (ProtectedError, RestrictedError) as exc:
            blocking = (
                exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
            )
            counts: dict[str, int] = {}
            for obj in blocking:
                label = str(capfirst(obj._meta.verbose_name_plural))
                counts[label] = counts.get(label, 0) + 1
            raise Conflict(
                _("This record cannot be deleted while other records refer to it: %(records)s.")
                % {"records": ", ".join(f"{label} ({n})" for label, n in sorted(counts.items()))}
            ) from exc


# --- Fields -----------------------------------------------------------------------------------


def status_code_field(choices, **kwargs) -> serializers.CharField:
    """A read-only choice code documented with its values inline: several resources have a
    ``status`` of their own, and one enum component per field name would collide."""
    schema = {"type": "string", "enum": list(choices.values)}
    if kwargs.get("allow_null"):
        schema["nullable"] = True
    field_class = extend_schema_field(schema)(type("StatusCodeField", (serializers.CharField,), {}))
    return field_class(read_only=True, **kwargs)


# --- Permissions ------------------------------------------------------------------------------


class HoldsPermission(permissions.BasePermission):
    """An authenticated user holding ``view.action_permission`` (an ``app.codename``)."""

    def has_permission(self, request, view):
        user = request.user
        needed = getattr(view, "action_permission", None)
        return bool(user and user.is_authenticated and needed and user.has_perm(needed))
