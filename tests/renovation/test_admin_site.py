"""The admin site: its title, and its JavaScript catalogue built once per language with the same
text as Django's own view, an ETag and a private cache lifetime."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.utils import translation
from django.views.i18n import JavaScriptCatalog

from renovation.admin_site import CATALOGUE_MAX_AGE, SITE_TITLE, RenovationAdminSite, _catalogue

pytestmark = pytest.mark.django_db

URL = "/admin/jsi18n/"


def djangos_catalogue(language: str) -> bytes:
    """What Django's admin view answers for the catalogue in ``language``."""
    with translation.override(language):
        view = JavaScriptCatalog.as_view(packages=["django.contrib.admin"])
        return view(RequestFactory().get(URL)).content


def test_admin_site_is_ours_with_the_title():
    assert isinstance(admin.site, RenovationAdminSite)
    assert admin.site.site_header == admin.site.site_title == SITE_TITLE


def test_the_admin_pages_carry_the_title(staff_client):
    assert SITE_TITLE in staff_client.get("/admin/").content.decode()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_catalogue_is_djangos_in_each_language(staff_client, language):
    response = staff_client.get(URL, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response["Content-Type"] == 'text/javascript; charset="utf-8"'
    assert response.content == djangos_catalogue(language)


def test_the_two_languages_get_different_catalogues_and_etags(staff_client):
    chinese = staff_client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans")
    english = staff_client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert chinese.content != english.content
    assert chinese["ETag"] != english["ETag"]
    # The translation of a string the admin's scripts use (calendar.js, DateTimeShortcuts.js).
    assert "现在".encode("unicode_escape") in chinese.content or "现在".encode() in chinese.content


def test_it_is_cached_privately_and_answers_304_to_its_etag(staff_client):
    first = staff_client.get(URL)
    assert first["ETag"].startswith('"')
    cache_control = {part.strip() for part in first["Cache-Control"].split(",")}
    assert cache_control == {"private", f"max-age={CATALOGUE_MAX_AGE}"}
    assert "Accept-Language" in first["Vary"] and "Cookie" in first["Vary"]
    again = staff_client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    stale = staff_client.get(URL, HTTP_IF_NONE_MATCH='"another"')
    assert stale.status_code == 200
    assert stale.content == first.content


@pytest.fixture
def builds(monkeypatch) -> list[str]:
    """The languages Django's catalogue view is run for, in order, from an empty memo."""
    _catalogue.cache_clear()
    built = []
    original = JavaScriptCatalog.get

    def counting(self, request, *args, **kwargs):
        built.append(translation.get_language())
        return original(self, request, *args, **kwargs)

    monkeypatch.setattr(JavaScriptCatalog, "get", counting)
    return built


def test_it_is_built_once_per_language(staff_client, builds):
    for language in ("zh-hans", "en", "zh-hans", "en", "zh-hans"):
        assert staff_client.get(URL, HTTP_ACCEPT_LANGUAGE=language).status_code == 200
    assert builds == ["zh-hans", "en"]


def test_a_changed_setting_builds_it_again(staff_client, builds, settings):
    staff_client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    settings.LOCALE_PATHS = [*settings.LOCALE_PATHS]
    after = staff_client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert builds == ["en", "en"]
    assert after.content == djangos_catalogue("en")


def test_a_visitor_who_is_not_signed_in_is_sent_to_the_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def _names(app_list) -> list[tuple[str, list[str]]]:
    return [(str(app["name"]), [str(model["name"]) for model in app["models"]]) for app in app_list]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("who", ["superuser", "district clerk"])
def test_the_app_list_is_djangos_in_the_same_order(django_user_model, language, who):
    """Names translated once before sorting: the same apps, models, order and links."""
    from django.contrib.admin import AdminSite

    from communities.access.choices import Role
    from tests.support.factories import make_district
    from tests.support.roles import grant

    if who == "superuser":
        user = django_user_model.objects.create_superuser("site-admin", "a@example.invalid", "x")
    else:
        user = django_user_model.objects.create_user("site-clerk", is_staff=True)
        grant("site-clerk", Role.DISTRICT_STAFF, "--district", make_district(code="370902").code)
    request = RequestFactory().get("/admin/")
    request.user = user

    with translation.override(language):  # the names read in the request's language
        ours = admin.site.get_app_list(request)
        djangos = AdminSite.get_app_list(admin.site, request)
        assert ours and _names(ours) == _names(djangos)
        one_app = admin.site.get_app_list(request, app_label="communities")
        assert _names(one_app) == _names(AdminSite.get_app_list(admin.site, request, "communities"))

    assert [m["admin_url"] for a in ours for m in a["models"]] == [
        m["admin_url"] for a in djangos for m in a["models"]
    ]
    assert all(isinstance(model["name"], str) for app in ours for model in app["models"])
