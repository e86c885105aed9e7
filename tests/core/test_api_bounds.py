"""Answers whose size grows with the whole country are bounded: past a cap they ask for a
narrower question instead of running until the client (or the server) gives up."""

import jsonschema
import pytest

from communities.dossier.api import views as community_views
from communities.repairs import selectors as repair_selectors
from tests.support import factories as f
from tests.support.api import API, api_client
from tests.support.repairs import make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_districts():
    first, second = f.make_district(code="370902"), f.make_district(code="370911")
    for district in (first, first, second):
        make_request(community=f.make_community(district=district))
    return first, second


def test_a_map_of_more_communities_than_the_cap_is_refused_with_advice(two_districts, monkeypatch):
    monkeypatch.setattr(community_views, "GEOJSON_MAX_FEATURES", 2)
    response = api_client().get(f"{API}/communities/geojson/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    (message,) = response.json()["non_field_errors"]
    assert message.startswith("More than 2 communities match: choose a district")

    narrowed = api_client().get(f"{API}/communities/geojson/?district=370902")
    assert narrowed.status_code == 200
    assert len(narrowed.json()["features"]) == 2


def test_city_wide_repair_measures_over_the_cap_ask_for_a_district(two_districts, monkeypatch):
    monkeypatch.setattr(repair_selectors, "CITYWIDE_MEASURES_MAX", 2)
    url = f"{API}/service-requests/stats/"
    response = api_client().get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["district"] == [
        "More than 2 repair requests match: choose a district or a community."
    ]
    assert api_client().get(f"{url}?district=370902").json()["overall"]["requests"] == 2

    monkeypatch.setattr(repair_selectors, "CITYWIDE_MEASURES_MAX", 3)
    assert api_client().get(url).status_code == 200


def test_a_body_that_is_not_json_gets_a_400_the_schema_documents(city_admin):
    response = api_client(city_admin).post(
        f"{API}/buildings/", data=b"\x00", content_type="application/json"
    )
    assert response.status_code == 400
    schema = api_client().get("/api/schema/?format=json").json()
    component = schema["components"]["schemas"]["ValidationError"]
    jsonschema.validate(response.json(), component)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"name": "not a list"}, component)
