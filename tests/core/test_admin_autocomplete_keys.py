"""The admin's autocomplete fields take any posted key without an error page: a key of the wrong
type or beyond its column's range (20 digits) is the form's "not one of the choices", on SQLite
as on PostgreSQL (Django's widget looked such a key up with ``__in``, which SQLite refuses)."""

import pytest
from django.urls import reverse

from communities.core.bounds import fits_key
from communities.places.models import Community, District

pytestmark = pytest.mark.django_db

TOO_LONG = "9" * 20


@pytest.mark.parametrize(
    ("url", "data", "field"),
    [
        ("admin:communities_community_add", {"name": "和平小区", "district": TOO_LONG}, "district"),
        (
            "admin:communities_annualplan_add",
            {"year": 2024, "communities": [TOO_LONG]},
            "communities",
        ),
    ],
)
def test_a_key_beyond_range_is_a_form_error_not_a_server_error(staff_client, url, data, field):
    response = staff_client.post(reverse(url), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors
    assert f'value="{TOO_LONG}"' not in response.content.decode()


@pytest.mark.parametrize(
    ("value", "fits"),
    [("1", True), ("-1", True), (TOO_LONG, False), ("1" * 400, False), ("abc", False), ("", False)],
)
def test_fits_key(value, fits):
    assert fits_key(District._meta.pk, value) is fits
    assert fits_key(Community._meta.get_field("district").target_field, value) is fits
