"""Every date a client can write through the API is bounded: a day in year 9999 or year 1 is a
400 naming the field, before anything computes with it (generated from the router's
serializers, so a new date field is covered without a new case)."""

from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from rest_framework import serializers

from communities.core.api.base import DomainSerializer
from communities.core.bounds import BoundedDateField
from renovation.api_urls import router
from tests.support.factories import make_community


def writable_dates():
    seen = set()
    for _prefix, viewset, _basename in router.registry:
        serializer_class = getattr(viewset, "serializer_class", None)
        if serializer_class is None or not issubclass(serializer_class, DomainSerializer):
            continue
        for name, field in serializer_class().fields.items():
            if field.read_only or not isinstance(field, serializers.DateField):
                continue
            if (serializer_class, name) in seen:
                continue
            seen.add((serializer_class, name))
            yield pytest.param(serializer_class, name, id=f"{serializer_class.__name__}.{name}")


@pytest.mark.django_db
@pytest.mark.parametrize(("serializer_class", "name"), list(writable_dates()))
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_date_outside_the_range_is_refused_naming_the_field(serializer_class, name, day):
    serializer = serializer_class(data={name: day}, partial=True)

    assert not serializer.is_valid()
    assert name in serializer.errors


def test_the_walk_finds_the_date_fields():
    assert len(list(writable_dates())) >= 10


def bounded_model_dates():
    for model in apps.get_app_config("communities").get_models():
        if model._meta.model_name.startswith("historical"):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, BoundedDateField):
                yield pytest.param(field, id=f"{model.__name__}.{field.name}")


@pytest.mark.parametrize("field", list(bounded_model_dates()))
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_every_model_date_is_bounded_in_its_form_and_its_own_validation(field, day):
    """The same bound holds in the admin's forms and in imports and services (full_clean)."""
    with pytest.raises(ValidationError):
        field.formfield().clean(day)
    with pytest.raises(ValidationError):
        field.run_validators(date.fromisoformat(day))


def test_every_model_date_of_the_domain_is_bounded():
    plain = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_app_config("communities").get_models()
        for field in model._meta.concrete_fields
        if type(field) is models.DateField
    ]
    assert plain == []
    assert len(list(bounded_model_dates())) >= 25


@pytest.mark.django_db
def test_the_admin_refuses_a_date_in_year_9999_with_a_form_error(
    staff_client, admin_form_data, admin_errors
):
    community = make_community()
    url = reverse("admin:communities_community_change", args=[community.pk])
    data = admin_form_data(staff_client.get(url))
    data["started_on"] = "9999-12-31"

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert "started_on" in admin_errors(response)
    community.refresh_from_db()
    assert community.started_on != date(9999, 12, 31)
