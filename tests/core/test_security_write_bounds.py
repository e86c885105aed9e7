"""Every date a client can write through the API is bounded: a day in year 9999 or year 1 is a
400 naming the field, before anything computes with it (generated from the router's
serializers, so a new date field is covered without a new case)."""

import pytest
from rest_framework import serializers

from communities.core.api.base import DomainSerializer
from renovation.api_urls import router


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
