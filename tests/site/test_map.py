"""The city map (``/map/``) and the map assets: Leaflet served locally, tiles from settings."""

import re
from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders

from communities.places.choices import RenovationStatus
from communities.site.views import DEFAULT_TILE_ATTRIBUTION, DEFAULT_TILE_URL
from tests.support import factories as f

pytestmark = pytest.mark.django_db

MAP = "/map/"
VENDORED = [
    "vendor/leaflet-1.9.4/leaflet.js",
    "vendor/leaflet-1.9.4/leaflet.css",
    "vendor/leaflet-1.9.4/LICENSE",
    "vendor/leaflet-1.9.4/images/marker-icon.png",
    "vendor/leaflet-1.9.4/images/layers.png",
    "vendor/leaflet.markercluster-1.5.3/leaflet.markercluster.js",
    "vendor/leaflet.markercluster-1.5.3/MarkerCluster.css",
    "vendor/leaflet.markercluster-1.5.3/MarkerCluster.Default.css",
    "vendor/leaflet.markercluster-1.5.3/MIT-LICENCE.txt",
    "communities/map.js",
    "communities/site.css",
]


def attribute(content: str, name: str) -> str:
    match = re.search(rf'{name}="([^"]*)"', content)
    assert match, f"{name} is not on the page"
    return match.group(1)


@pytest.fixture
def located():
    district = f.make_district(code="370902", name="泰山区")
    f.make_community(
        district=district,
        name="乐园小区",
        renovation_status=RenovationStatus.COMPLETED,
        latitude=Decimal("36.100000"),
        longitude=Decimal("117.000000"),
    )
    f.make_community(
        district=f.make_district(code="370911", name="岱岳区"),
        name="松园小区",
        latitude=Decimal("36.300000"),
        longitude=Decimal("117.200000"),
    )
    f.make_community(district=district, name="无坐标小区", latitude=None, longitude=None)


def test_the_map_loads_its_markers_from_the_api_geojson(client, located):
    content = client.get(MAP).content.decode()

    assert attribute(content, "data-geojson") == "/api/v1/communities/geojson/"
    assert attribute(content, "data-cluster") == "true"


def test_the_map_filters_as_the_list_does(client, located):
    response = client.get(MAP, {"district": "370902", "status": "completed"})
    content = response.content.decode()

    assert attribute(content, "data-geojson") == (
        "/api/v1/communities/geojson/?district=370902&amp;status=completed"
    )
    assert [c.name for c in response.context["page"].object_list] == ["乐园小区"]


def test_the_geojson_the_map_loads_has_every_located_community_with_its_popup(client, located):
    geojson = client.get("/api/v1/communities/geojson/").json()

    assert geojson["type"] == "FeatureCollection"
    assert sorted(feature["properties"]["name"] for feature in geojson["features"]) == [
        "乐园小区",
        "松园小区",
    ]
    for feature in geojson["features"]:
        assert {"id", "name", "district", "status", "status_display", "url"} <= set(
            feature["properties"]
        )


def test_the_map_starts_on_the_bounds_of_every_located_community(client, located):
    content = client.get(MAP).content.decode()

    assert attribute(content, "data-bounds") == "36.100000,117.000000,36.300000,117.200000"


def test_the_map_lists_every_community_below_it_for_when_tiles_or_javascript_fail(client, located):
    response = client.get(MAP)

    assert [c.name for c in response.context["page"].object_list] == [
        "乐园小区",
        "无坐标小区",
        "松园小区",
    ]
    content = response.content.decode()
    assert content.index('id="city-map"') < content.index('class="results-table"')


def test_tiles_default_to_openstreetmap(client, located, settings):
    del settings.MAP_TILE_URL
    del settings.MAP_TILE_ATTRIBUTION
    content = client.get(MAP).content.decode()

    assert attribute(content, "data-tile-url") == DEFAULT_TILE_URL
    assert "OpenStreetMap" in attribute(content, "data-tile-attribution")
    assert "openstreetmap.org/copyright" in DEFAULT_TILE_ATTRIBUTION


def test_the_tile_server_and_attribution_are_settings(client, located, settings):
    settings.MAP_TILE_URL = "https://tiles.example.gov.cn/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "&copy; 泰安市自然资源和规划局"
    content = client.get(MAP).content.decode()

    assert attribute(content, "data-tile-url") == "https://tiles.example.gov.cn/{z}/{x}/{y}.png"
    assert attribute(content, "data-tile-attribution") == "&amp;copy; 泰安市自然资源和规划局"


def test_an_empty_tile_url_means_a_plain_background(client, located, settings):
    settings.MAP_TILE_URL = ""
    content = client.get(MAP).content.decode()

    assert attribute(content, "data-tile-url") == ""


def test_map_assets_are_served_locally_never_from_a_cdn(client, located):
    for url in (MAP, "/communities/"):
        content = client.get(url).content.decode()
        sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', content)
        assert sources, "the page loads its assets"
        assert all(source.startswith("/static/") for source in sources), sources


@pytest.mark.parametrize("path", VENDORED)
def test_vendored_assets_and_their_licences_are_present(path):
    assert finders.find(path), f"{path} is missing from the static files"


def test_a_malformed_filter_shows_the_error_and_no_map(client, located):
    response = client.get(MAP, {"bbox": "1,2,3"}, HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()

    assert 'role="alert"' in content
    assert "data-map" not in content


@pytest.mark.parametrize("communities", [3, 30])
def test_the_map_page_runs_the_same_queries_however_many_communities(
    client, django_assert_num_queries, communities
):
    district = f.make_district(code="370902", name="泰山区")
    for _number in range(communities):
        f.make_community(district=district)
    # 1 count, 1 page of communities with their district, 1 batch years and 1 districts for
    # the form, 1 bounds of the map (the markers come from the API, in another request).
    with django_assert_num_queries(5):
        response = client.get(MAP)
    assert response.status_code == 200
