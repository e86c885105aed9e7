"""A changelist's row links carry its filters exactly as Django writes them, without resolving
each link against the URL configuration (communities.core.admin.BaseAdmin.get_changelist)."""

import re
from html import unescape

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags import admin_urls
from django.test import RequestFactory
from django.urls import resolve, reverse

from communities.core.admin import BaseAdmin
from communities.places.models import Community
from tests.support import factories as f

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/communities/community/"


def _row_links(html: str, pk_urls: list[str]) -> list[str]:
    links = [unescape(href) for href in re.findall(r'<a href="([^"]+)"', html)]
    return [link for link in links if link.split("?")[0] in pk_urls]


def _djangos_links(query: str, communities: list[Community], city_admin) -> list[str]:
    """What Django's own ``add_preserved_filters`` makes of each row's change URL."""
    request = RequestFactory().get(CHANGELIST + query)
    request.user, request.resolver_match = city_admin, resolve(CHANGELIST)
    model_admin = admin.site._registry[Community]
    context = {
        "preserved_filters": model_admin.get_preserved_filters(request),
        "opts": Community._meta,
    }
    return [
        admin_urls.add_preserved_filters(
            context, reverse("admin:communities_community_change", args=[community.pk])
        )
        for community in communities
    ]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?q=和平",
        "?o=-1",
        "?renovation_status__exact=completed&q=和平",
        "?q=a%26b%3Dc+d",  # characters the filters' own quoting must keep
        "?_popup=1&_to_field=id",
    ],
)
def test_row_links_are_djangos_with_the_lists_filters(staff_client, city_admin, query):
    district = f.make_district()
    communities = [
        f.make_community(
            district=district, name=f"和平{n}号院 a&b=c d", renovation_status="completed"
        )
        for n in range(3)
    ]
    pk_urls = [
        reverse("admin:communities_community_change", args=[community.pk])
        for community in communities
    ]

    response = staff_client.get(CHANGELIST + query)

    assert response.status_code == 200
    shown = _row_links(response.content.decode(), pk_urls)
    expected = _djangos_links(query, communities, city_admin)
    assert sorted(shown) == sorted(expected)
    assert len(shown) == len(communities)
    if query:
        assert all("_changelist_filters=" in link for link in shown)


def test_a_filtered_list_resolves_no_row_link(staff_client, monkeypatch):
    district = f.make_district()
    for n in range(5):
        f.make_community(district=district, name=f"和平{n}号院")
    resolved = []
    resolve = admin_urls.resolve

    def counting(path, *args, **kwargs):
        resolved.append(path)
        return resolve(path, *args, **kwargs)

    monkeypatch.setattr(admin_urls, "resolve", counting)

    response = staff_client.get(CHANGELIST + "?q=和平")

    assert response.status_code == 200
    assert response.content.decode().count("_changelist_filters=q%3D") >= 5
    # The add button's link is resolved once, as Django does; no row's link is.
    assert not [path for path in resolved if "/change/" in path]


def test_every_admin_of_the_product_builds_its_list_with_the_row_links():
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, BaseAdmin):
            continue
        request = RequestFactory().get("/")
        changelist = model_admin.get_changelist(request)
        assert any(klass.__name__ == "RowLinksChangeList" for klass in changelist.__mro__), model
