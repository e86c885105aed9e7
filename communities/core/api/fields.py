"""What a reader receives: choice labels, public page addresses, and whether residents' names
and phones are given (only to staff whose scope covers the record)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import (
    serializers,
)

from communities.core.scoping import IN_SCOPE, in_scope, scope_for

# --- Who may see what -------------------------------------------------------------------------


def can_see_personal_data(request, obj: models.Model | None = None) -> bool:
    """Whether the request may read residents' names and phone numbers (of ``obj``).

    Staff whose scope covers the record do; the public, outside systems and staff of other
    districts or companies never do. Without ``obj`` the answer is for any record at all, so
    only staff who see the whole city get it. An object read through ``ScopedViewMixin``
    carries its scope as an annotation (no query); any other costs one query.
    """
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and user.is_staff):
        return False
    if obj is None:
        return scope_for(user).everything
    flag = getattr(obj, IN_SCOPE, None)
    if flag is not None:
        return bool(flag)
    return in_scope(user, obj)


def personal_data_allowed(serializer: serializers.BaseSerializer, instance) -> bool:
    """For a serializer's ``to_representation``: the view's decision for the record it answers
    about (``context["personal_data"]``, set by actions on one record), else the record's own."""
    decided = serializer.context.get("personal_data")
    if decided is not None:
        return decided
    request = serializer.context.get("request")
    if isinstance(instance, models.Model):
        return can_see_personal_data(request, instance)
    return can_see_personal_data(request)


# --- Fields -----------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class ChoiceLabelField(serializers.Field):
    """The translated label of a choice code (``status_display`` next to ``status``).

    ``source`` points at the code, so it also works through relations (``kind.category``) and
    on plain dictionaries (statistics rows).
    """

    def __init__(self, choices, **kwargs):
        self.labels = dict(choices.choices)
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return str(self.labels.get(value, value))


@extend_schema_field(OpenApiTypes.URI)
class SiteURLField(serializers.Field):
    """The absolute URL of the object's public page (``get_absolute_url``)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs.setdefault("source", "*")
        kwargs.setdefault("help_text", _("The public page of this record."))
        super().__init__(**kwargs)

    def to_representation(self, value):
        path = value.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class StaffOnlyFields:
    """A serializer mixin: the fields named in ``STAFF_ONLY`` (owners' names, rooms, who
    recorded a move) are dropped unless the reader may see the record's personal data."""

    STAFF_ONLY: tuple[str, ...] = ()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if self.STAFF_ONLY and not personal_data_allowed(self, instance):
            for name in self.STAFF_ONLY:
                data.pop(name, None)
        return data
