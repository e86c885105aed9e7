"""The site as an attacker meets it: deployment checks, CSP, lockout, escaping, filters, CSRF,
oversized and malformed payloads, anonymous and out-of-scope writes."""

import json
import re

import pytest
from django.db import models
from django.test import Client
from django.urls import reverse

from communities.access.choices import Role
from communities.places.models import Building, Community, District
from communities.property.models import PropertyService
from communities.works.models.facilities import Facility
from communities.works.models.items import FundingLine, RenovationItem
from renovation.api_urls import router
from tests.support.api import API, api_client
from tests.support.factories import (
    make_building,
    make_busy_community,
    make_community,
    make_district,
    make_elevator,
    make_facility,
    make_funding,
    make_item,
    make_service,
)
from tests.support.processes import manage, production_env
from tests.support.roles import grant

pytestmark = pytest.mark.django_db

SCRIPT = "<script>{n}</script>"  # short enough for the narrowest text column (20)


# --- Deployment -------------------------------------------------------------------------------


@pytest.mark.own_database
@pytest.mark.django_db(transaction=False)
def test_check_deploy_is_clean_in_the_production_configuration(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_every_page_carries_a_content_security_policy_without_inline_scripts(staff_client):
    community = make_busy_community()
    for url in [
        reverse("site:home"),
        reverse("site:community-list"),
        community.get_absolute_url(),
        reverse("site:map"),
        reverse("admin:index"),
        "/api/docs/",
    ]:
        response = staff_client.get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy, url
        assert "object-src 'none'" in policy
        assert "frame-ancestors 'none'" in policy
        html = response.content.decode()
        inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)
        assert inline == [], f"{url} has an inline script the policy would block"


# --- Login lockout ----------------------------------------------------------------------------


def test_a_login_is_locked_out_after_five_failures_even_with_the_right_password(
    django_user_model, settings
):
    django_user_model.objects.create_user("clerk", password="pw-clerk-9x!", is_staff=True)
    client = Client()
    url = reverse("admin:login")

    failures = [
        client.post(url, {"username": "clerk", "password": f"wrong-{n}"}).status_code
        for n in range(settings.AXES_FAILURE_LIMIT)
    ]
    locked = client.post(url, {"username": "clerk", "password": "pw-clerk-9x!"})

    assert failures[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_successful_login_resets_the_failure_count(django_user_model, settings):
    django_user_model.objects.create_user("clerk", password="pw-clerk-9x!", is_staff=True)
    client = Client()
    url = reverse("admin:login")
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(url, {"username": "clerk", "password": f"wrong-{n}"})

    assert client.post(url, {"username": "clerk", "password": "pw-clerk-9x!"}).status_code == 302
    client.logout()
    client.post(url, {"username": "clerk", "password": "wrong-again"})
    assert client.post(url, {"username": "clerk", "password": "pw-clerk-9x!"}).status_code == 302


def test_weak_passwords_are_refused(english):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ["12345678", "password", "abc"]:
        with pytest.raises(ValidationError):
            validate_password(weak)


# --- Escaping ---------------------------------------------------------------------------------


def _poison(model: type[models.Model], queryset) -> None:
    """Put a script in every free-text column of these rows (bypassing validation, as a row
    imported by an older tool might)."""
    names = [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and field.name not in {"code", "contact_phone"}
    ]
    for n, pk in enumerate(queryset.values_list("pk", flat=True)):
        # Numbered, so labels unique within a community stay unique.
        model.objects.filter(pk=pk).update(**dict.fromkeys(names, SCRIPT.format(n=n)))


def test_html_in_every_text_field_is_escaped_wherever_it_is_shown(staff_client):
    community = make_busy_community()
    _poison(District, District.objects.filter(pk=community.district_id))
    _poison(Community, Community.objects.filter(pk=community.pk))
    for model in [Building, RenovationItem, Facility, PropertyService]:
        _poison(model, model.objects.filter(community=community))
    _poison(FundingLine, FundingLine.objects.filter(item__community=community))

    pages = {
        "home": Client().get(reverse("site:home")),
        "list": Client().get(reverse("site:community-list")),
        "detail": Client().get(community.get_absolute_url()),
        "district": Client().get(reverse("site:district", args=[community.district.code])),
        "admin list": staff_client.get(reverse("admin:communities_community_changelist")),
        "admin page": staff_client.get(
            reverse("admin:communities_community_change", args=[community.pk])
        ),
        "api": api_client().get(f"{API}/communities/{community.pk}/?format=api"),
    }

    for name, response in pages.items():
        assert response.status_code == 200, name
        assert not re.search(r"<script>\d", response.content.decode()), f"{name}: raw HTML"
    assert "&lt;script&gt;0&lt;/script&gt;" in pages["detail"].content.decode()


# --- Filters ----------------------------------------------------------------------------------

INJECTIONS = ["' OR '1'='1", '"; DROP TABLE communities_community; --', "1) OR (1=1", "%_\\"]


def _filtered_lists():
    for prefix, viewset, _basename in router.registry:
        filterset = getattr(viewset, "filterset_class", None)
        if filterset is not None:
            for name in filterset.base_filters:
                yield prefix, name


@pytest.mark.parametrize(("resource", "name"), list(_filtered_lists()))
def test_sql_metacharacters_in_an_api_filter_are_refused_or_match_nothing(resource, name):
    community = make_community()
    make_item(community=community)
    client = api_client()

    for value in INJECTIONS:
        response = client.get(f"{API}/{resource}/", {name: value})
        assert response.status_code in {200, 400}, (name, value, response.status_code)
        if response.status_code == 200 and name not in {"search", "q"}:
            assert response.json()["count"] in {0, 1}, (name, value)
    assert Community.objects.filter(pk=community.pk).exists()


@pytest.mark.parametrize("value", INJECTIONS)
def test_sql_metacharacters_in_the_public_list_never_break_it(value):
    make_community()
    from communities.dossier.filters import CommunityFilter

    for name in CommunityFilter.base_filters:
        response = Client().get(reverse("site:community-list"), {name: value})
        assert response.status_code in {200, 400}, (name, value)


# --- Writes -----------------------------------------------------------------------------------


def test_anonymous_writes_are_refused():
    community = make_community()
    client = api_client()

    created = client.post(f"{API}/districts/", {"code": "370999", "name": "新区"}, format="json")
    changed = client.patch(f"{API}/communities/{community.pk}/", {"name": "x"}, format="json")
    deleted = client.delete(f"{API}/communities/{community.pk}/")

    assert {created.status_code, changed.status_code, deleted.status_code} <= {401, 403}
    assert Community.objects.filter(pk=community.pk, name=community.name).exists()


def test_session_writes_without_a_csrf_token_are_refused(city_admin):
    community = make_community()
    client = Client(enforce_csrf_checks=True)
    client.force_login(city_admin)

    api = client.patch(
        f"{API}/communities/{community.pk}/",
        json.dumps({"name": "伪造"}),
        content_type="application/json",
    )
    admin = client.post(
        reverse("admin:communities_community_delete", args=[community.pk]), {"post": "yes"}
    )

    assert api.status_code == 403
    assert admin.status_code == 403
    community.refresh_from_db()
    assert community.name != "伪造"


def test_read_only_and_unknown_fields_are_refused(city_admin):
    community = make_community()

    response = api_client(city_admin).patch(
        f"{API}/communities/{community.pk}/",
        {"id": 999, "updated_at": "2000-01-01T00:00:00Z", "is_admin": True},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"id", "updated_at", "is_admin"}


def test_malformed_json_is_a_400(city_admin):
    response = api_client(city_admin).generic(
        "POST", f"{API}/districts/", '{"code": "370999", ', content_type="application/json"
    )

    assert response.status_code == 400
    assert not District.objects.filter(code="370999").exists()


def test_an_oversized_payload_is_refused_without_a_server_error(city_admin, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client = Client()
    client.force_login(city_admin)
    padding = "x" * 20_000

    api = client.post(
        f"{API}/districts/",
        json.dumps({"code": "370999", "name": padding}),
        content_type="application/json",
    )
    admin = client.post(reverse("admin:communities_district_add"), {"name": padding})

    assert api.status_code in {400, 413}
    assert admin.status_code == 400
    assert not District.objects.filter(code="370999").exists()


@pytest.mark.parametrize(
    ("resource", "make"),
    [
        ("communities", lambda c: c),
        ("buildings", lambda c: make_building(community=c)),
        ("renovation-items", lambda c: make_item(community=c)),
        ("funding-lines", lambda c: make_funding(item=make_item(community=c))),
        ("facilities", lambda c: make_facility(community=c)),
        ("property-services", lambda c: make_service(community=c)),
        ("elevator-retrofits", lambda c: make_elevator(building=make_building(community=c))),
    ],
)
def test_district_staff_cannot_touch_another_districts_record_by_id(
    django_user_model, resource, make
):
    ours = make_district(code="370902")
    record = make(make_community(district=make_district(code="370911")))
    django_user_model.objects.create_user("clerk")
    grant("clerk", Role.DISTRICT_STAFF, "--district", ours.code)
    clerk = django_user_model.objects.get(username="clerk")
    admin = Client()
    admin.force_login(clerk)
    model = type(record)
    before = model.objects.filter(pk=record.pk).values().get()

    patched = api_client(clerk).patch(f"{API}/{resource}/{record.pk}/", {}, format="json")
    deleted = api_client(clerk).delete(f"{API}/{resource}/{record.pk}/")
    opts = model._meta
    page = admin.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]))

    assert (patched.status_code, deleted.status_code, page.status_code) == (404, 404, 404)
    assert model.objects.filter(pk=record.pk).values().get() == before
