"""Request bodies and parameters no view should have to survive: JSON nested thousands deep,
a Content-Length beyond any real upload, a NUL character. Each is a 4xx that names the
problem, before the body is read where that matters, and never a 500."""

import pytest
from django.test import Client
from django.urls import reverse

from communities.core.api.parsers import json_depth
from communities.places.models import District
from communities.repairs import services as services_repairs
from communities.repairs.models import RepairRequest
from tests.support.api import API, api_client
from tests.support.factories import make_community, make_district

pytestmark = pytest.mark.django_db

OPEN311 = "/open311/v2/requests.json"
DEEP = 10_000


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args, **kwargs):
        raise AssertionError("the body was read")

    readline = read


def _nested(depth: int) -> str:
    return '{"code": "370999", "name": ' + "[" * depth + "]" * depth + "}"


# --- Nesting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("1", 0),
        ('{"a": [1, {"b": []}]}', 4),
        ('["[[[[", "\\"]]]]"]', 1),  # brackets inside strings, an escaped quote
        ("[" * 100_000, 100_000),  # unclosed: counted, not parsed
    ],
)
def test_json_depth_counts_brackets_outside_strings(text, depth):
    assert json_depth(text) == depth


def test_json_nested_ten_thousand_deep_is_a_400_on_an_api_write(city_admin, english):
    response = api_client(city_admin).generic(
        "POST", f"{API}/districts/", _nested(DEEP), content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["detail"] == "JSON 请求内容的嵌套超过 32 层。"
    assert not District.objects.filter(code="370999").exists()


def test_unclosed_brackets_a_hundred_thousand_deep_are_a_400(city_admin):
    response = api_client(city_admin).generic(
        "PATCH",
        f"{API}/districts/{make_district().code}/",
        "[" * 100_000,
        content_type="application/json",
    )

    assert response.status_code == 400


def test_the_depth_limit_is_a_setting(city_admin, settings):
    settings.API_MAX_JSON_DEPTH = 2
    client = api_client(city_admin)

    deep = client.generic("POST", f"{API}/districts/", _nested(2), content_type="application/json")
    flat = client.generic(
        "POST",
        f"{API}/districts/",
        '{"code": "370999", "name": "新区"}',
        content_type="application/json",
    )

    assert deep.status_code == 400
    assert flat.status_code == 201


def test_json_nested_ten_thousand_deep_is_a_400_on_open311_filing():
    _, key = services_repairs.open311_client_create(name="12345热线")

    response = Client().post(
        f"{OPEN311}?api_key={key}", _nested(DEEP), content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()[0]["code"] == 400
    assert not RepairRequest.objects.exists()


# --- Size -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        (OPEN311, "multipart/form-data; boundary=BoUnDaRy"),
        ("/i18n/setlang/", "application/x-www-form-urlencoded"),
        (f"{API}/districts/", "application/json"),
    ],
)
def test_a_body_over_the_limit_is_refused_before_it_is_read(path, content_type, settings):
    assert reverse("set_language") == "/i18n/setlang/"
    response = Client().generic(
        "POST",
        path,
        CONTENT_TYPE=content_type,
        CONTENT_LENGTH=str(settings.DATA_UPLOAD_MAX_REQUEST_SIZE + 1),
        **{"wsgi.input": UnreadableBody()},
    )

    assert response.status_code == 413
    assert response["Connection"] == "close"


def test_the_default_limit_allows_the_largest_real_upload(settings):
    from communities.repairs.models import PHOTO_MAX_BYTES
    from communities.works.models.plans import DOCUMENT_MAX_BYTES

    assert max(DOCUMENT_MAX_BYTES, PHOTO_MAX_BYTES) < settings.DATA_UPLOAD_MAX_REQUEST_SIZE
    assert settings.DATA_UPLOAD_MAX_REQUEST_SIZE < 60 * 1024 * 1024


def test_a_body_within_the_limit_goes_through(settings):
    settings.DATA_UPLOAD_MAX_REQUEST_SIZE = 1000

    response = Client().post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert response.status_code == 302


# --- NUL characters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/communities/?q=%00",
        "/communities/?q=abc%00def",
        "/communities/?%00=1",
        "/communities/export.csv?district=%00",
        "/districts/%00/",
        f"{API}/communities/?name=%00",
        f"{API}/districts/?code=%00",
        "/open311/v2/requests.json?service_code=%00",
    ],
)
def test_a_nul_in_a_public_url_is_a_400(url):
    make_community()

    response = Client().get(url)

    assert response.status_code == 400


def test_the_api_names_the_parameter_holding_a_nul():
    response = Client().get(f"{API}/communities/?name=%00")

    assert response.status_code == 400
    assert list(response.json()) == ["name"]


@pytest.mark.parametrize(
    "url",
    [
        "/admin/communities/community/autocomplete/?term=%00",
        "/admin/autocomplete/?term=%00&app_label=communities&model_name=building"
        "&field_name=community",
        "/admin/communities/community/?q=%00",
    ],
)
def test_a_nul_in_an_admin_url_is_a_400(staff_client, url):
    assert staff_client.get(url).status_code == 400


def test_a_nul_in_a_form_value_is_a_400(staff_client):
    setlang = Client().post("/i18n/setlang/", {"language": "en", "next": "/\x00"})
    admin = staff_client.post(
        reverse("admin:communities_district_add"), {"code": "370999", "name": "新\x00区"}
    )

    assert setlang.status_code == 400
    assert admin.status_code == 400
    assert not District.objects.filter(code="370999").exists()


def test_an_escaped_percent_is_not_a_nul():
    assert Client().get("/communities/?q=%2500").status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        '{"code": "370999", "name": "新\\u0000区"}',
        '{"code": "370999", "name": "新区", "\\u0000": 1}',
    ],
)
def test_a_nul_inside_a_json_body_is_a_400_that_changes_nothing(city_admin, body):
    """PostgreSQL keeps no NUL in text or jsonb: the parser refuses it before any write."""
    response = api_client(city_admin).post(
        f"{API}/districts/", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert not District.objects.filter(code="370999").exists()
