"""Who may do what over the API, and what anonymous readers never see."""

import json
import re
from datetime import date
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import Client
from rest_framework import permissions
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from communities.core.api.permissions import DjangoModelPermissionsOrAnonReadOnly
from communities.dossier.api.views import CommunityViewSet
from communities.places.choices import SafetyGrade
from communities.places.models import Community
from tests.support.api import API, api_client, in_service_elevator, make_user
from tests.support.factories import (
    make_building,
    make_community,
    make_district,
    make_elevator,
    make_facility,
    make_funding,
    make_item,
    make_service,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    """One record of every resource, with what a detail URL needs to find it."""
    district = make_district(code="370902", name="泰山区")
    community = make_community(district=district)
    building = make_building(
        community=community, safety_grade=SafetyGrade.B, appraised_on=date(2021, 1, 5)
    )
    item = make_item(community=community, building=building)
    funding = make_funding(item=item)
    elevator = make_elevator(building=building)
    service = make_service(community=community, contact_name="王经理")
    facility = make_facility(community=community, renovation_item=item)
    return {
        "districts": (district.code, "district"),
        "communities": (community.pk, "community"),
        "buildings": (building.pk, "building"),
        "renovation-kinds": ("roads", "renovationkind"),
        "renovation-items": (item.pk, "renovationitem"),
        "funding-lines": (funding.pk, "fundingline"),
        "elevator-retrofits": (elevator.pk, "elevatorretrofit"),
        "property-services": (service.pk, "propertyservice"),
        "facilities": (facility.pk, "facility"),
    }


RESOURCES = [
    "districts",
    "communities",
    "buildings",
    "renovation-kinds",
    "renovation-items",
    "funding-lines",
    "elevator-retrofits",
    "property-services",
    "facilities",
]


def _writes(records, resource):
    key, _ = records[resource]
    detail = f"{API}/{resource}/{key}/"
    return [
        ("post", f"{API}/{resource}/"),
        ("put", detail),
        ("patch", detail),
        ("delete", detail),
    ]


@pytest.mark.parametrize("resource", RESOURCES)
def test_anonymous_readers_get_every_list_and_detail(records, resource):
    key, _ = records[resource]
    client = api_client()

    assert client.get(f"{API}/{resource}/").status_code == 200
    assert client.get(f"{API}/{resource}/{key}/").status_code == 200


@pytest.mark.parametrize("resource", RESOURCES)
def test_an_anonymous_write_is_401_with_a_token_challenge(records, resource):
    for method, url in _writes(records, resource):
        response = getattr(api_client(), method)(url, {}, format="json")

        assert response.status_code == 401, (method, url)
        assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_write_without_permission_is_403(records, resource):
    _, model = records[resource]
    reader = api_client(make_user(f"communities.view_{model}"))

    for method, url in _writes(records, resource):
        response = getattr(reader, method)(url, {}, format="json")

        assert response.status_code == 403, (method, url)


def test_each_kind_of_write_needs_its_own_permission(records):
    key, _ = records["communities"]
    may_add = api_client(make_user("communities.add_community"))

    assert may_add.patch(f"{API}/communities/{key}/", {"name": "改名"}).status_code == 403
    assert may_add.delete(f"{API}/communities/{key}/").status_code == 403
    assert Community.objects.filter(pk=key).exists()


def test_a_wrong_token_is_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = client.get(f"{API}/communities/")

    assert response.status_code == 401


def test_a_token_made_with_drf_create_token_authenticates_writes(records):
    user = make_user("communities.change_community")
    output = StringIO()

    call_command("drf_create_token", user.username, stdout=output)

    key = Token.objects.get(user=user).key
    assert key in output.getvalue()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    community_pk, _ = records["communities"]
    response = client.patch(
        f"{API}/communities/{community_pk}/", {"name": "天平花园"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert Community.objects.get(pk=community_pk).name == "天平花园"


def test_a_session_write_needs_the_csrf_token(records):
    user = make_user("communities.change_community")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    community_pk, _ = records["communities"]
    url = f"{API}/communities/{community_pk}/"

    without = client.patch(url, json.dumps({"name": "天平花园"}), content_type="application/json")
    client.get(f"{API}/communities/", HTTP_ACCEPT="text/html")  # the browsable API sets the cookie
    token = client.cookies["csrftoken"].value
    with_token = client.patch(
        url,
        json.dumps({"name": "天平花园"}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )

    assert without.status_code == 403
    assert with_token.status_code == 200, with_token.json()
    assert Community.objects.get(pk=community_pk).name == "天平花园"


def test_a_browsable_api_form_post_is_accepted(records):
    user = make_user("communities.add_district")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(f"{API}/districts/", HTTP_ACCEPT="text/html")
    token = client.cookies["csrftoken"].value

    response = client.post(
        f"{API}/districts/",
        {"csrfmiddlewaretoken": token, "code": "370983", "name": "肥城市"},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 201, response.json()


# --- Personal data ----------------------------------------------------------------------------

# Keys that would carry a person's name, phone or identity. The property service's
# ``contact_phone`` is the company's public service line and is allowed.
PERSONAL_KEY = re.compile(
    r"(^|_)(owner|reporter|resident|contact|handler|inspector|voter|person)_?(name|phone)$"
    r"|phone|mobile|id_card|id_number|wechat|openid",
    re.IGNORECASE,
)
PUBLIC_PHONE_KEYS = {"contact_phone"}


def _keys(data, path=""):
    if isinstance(data, dict):
        for key, value in data.items():
            yield f"{path}.{key}", key
            yield from _keys(value, f"{path}.{key}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _keys(value, f"{path}[{index}]")


def _every_public_response(client):
    """Every list (from the browsable root), the first detail of each, the map and the stats."""
    root = client.get(f"{API}/", HTTP_ACCEPT="application/json").json()
    for url in root.values():
        body = client.get(url).json()
        yield url, body
        for row in body.get("results", [])[:1]:
            if "url" in row:
                yield row["url"], client.get(row["url"]).json()
    yield "geojson", client.get(f"{API}/communities/geojson/").json()


def test_no_anonymous_response_carries_personal_data(records):
    in_service_elevator(building=make_building(community=make_community()))
    client = api_client()
    seen = 0

    for url, body in _every_public_response(client):
        seen += 1
        for path, key in _keys(body):
            assert not (PERSONAL_KEY.search(key) and key not in PUBLIC_PHONE_KEYS), (url, path)
        assert "王经理" not in json.dumps(body, ensure_ascii=False), url

    # root entries, plus one detail per resource that has records, plus the map
    assert seen >= 2 * len(RESOURCES) + 1


def test_an_outside_system_without_staff_status_sees_no_personal_data_either(records):
    client = api_client(make_user())

    for url, body in _every_public_response(client):
        assert "王经理" not in json.dumps(body, ensure_ascii=False), url


def test_staff_see_the_contact_person(records):
    service_pk, _ = records["property-services"]
    staff = api_client(make_user(is_staff=True))

    body = staff.get(f"{API}/property-services/{service_pk}/").json()

    assert body["contact_name"] == "王经理"


# --- The default permission answers as DRF's, without a queryset for a read -------------------


def test_the_default_permission_answers_every_method_and_user_as_drfs(records):
    editor = make_user("communities.change_community", is_staff=True)
    inactive = make_user("communities.change_community", is_staff=True)
    inactive.is_active = False
    users = [AnonymousUser(), make_user(), editor, inactive]
    ours, drfs = (
        DjangoModelPermissionsOrAnonReadOnly(),
        permissions.DjangoModelPermissionsOrAnonReadOnly(),
    )
    answers = 0
    for method in ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE", "TRACE"]:
        for user in users:
            request = Request(APIRequestFactory().generic(method, "/"))
            request.user = user
            view = CommunityViewSet(request=request, format_kwarg=None, action="list", kwargs={})

            def answer(permission, request=request, view=view):
                try:
                    return permission.has_permission(request, view)
                except MethodNotAllowed:
                    return "405"

            assert answer(ours) == answer(drfs), (method, user)
            answers += answer(ours) is True
    assert answers == 3 * 4 + 2  # every read; the editor's PUT and PATCH


def test_a_read_builds_the_views_queryset_once(records, monkeypatch):
    calls = []
    original = CommunityViewSet.get_queryset
    monkeypatch.setattr(
        CommunityViewSet, "get_queryset", lambda self: calls.append(1) or original(self)
    )
    assert api_client().get(f"{API}/communities/").status_code == 200
    assert len(calls) == 1  # the list's own; DRF's permission built one more
