"""The OpenAPI schema, Swagger UI, ReDoc and the browsable root."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.utils.module_loading import import_string

from renovation.api_urls import router
from tests.support.api import API, api_client, assert_matches_schema, openapi_document
from tests.support.factories import make_community

pytestmark = pytest.mark.django_db

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


def test_the_schema_generates_and_validates_as_openapi_3_without_warnings(tmp_path: Path):
    target = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    assert target.read_text().startswith("openapi: 3.0.3")


def test_the_schema_is_served_anonymously_at_api_schema():
    response = api_client().get("/api/schema/?format=json")

    assert response.status_code == 200
    assert response.json()["openapi"] == "3.0.3"
    assert "/api/v1/communities/" in response.json()["paths"]


@pytest.mark.parametrize("resource", RESOURCES)
def test_the_schema_describes_every_operation_of_every_resource(resource):
    paths = openapi_document()["paths"]
    lookup = {"districts": "code", "renovation-kinds": "code"}.get(resource, "id")

    collection = paths[f"/api/v1/{resource}/"]
    item = paths[f"/api/v1/{resource}/{{{lookup}}}/"]

    assert set(collection) >= {"get", "post"}
    assert set(item) >= {"get", "put", "patch", "delete"}
    assert {"200", "400", "404"} <= set(collection["get"]["responses"])
    assert {"201", "400", "401", "403"} <= set(collection["post"]["responses"])
    assert {"204", "401", "403", "404", "409"} <= set(item["delete"]["responses"])
    assert collection["get"]["tags"] == [resource]


def test_the_schema_lists_every_registered_resource_and_nothing_else():
    documented = {
        path.split("/")[3] for path in openapi_document()["paths"] if path.startswith(f"{API}/")
    }

    assert documented == {prefix for prefix, _, _ in router.registry} | {"stats", "reports"}


@pytest.mark.parametrize(
    ("path", "filterset_path"),
    [
        ("/api/v1/communities/", "communities.dossier.filters.CommunityFilter"),
        ("/api/v1/communities/geojson/", "communities.dossier.filters.CommunityFilter"),
        ("/api/v1/buildings/", "communities.places.filters.BuildingFilter"),
        ("/api/v1/renovation-kinds/", "communities.works.filters.RenovationKindFilter"),
        ("/api/v1/renovation-items/", "communities.works.filters.RenovationItemFilter"),
        ("/api/v1/funding-lines/", "communities.works.filters.FundingLineFilter"),
        ("/api/v1/elevator-retrofits/", "communities.elevators.filters.ElevatorRetrofitFilter"),
        ("/api/v1/property-services/", "communities.property.filters.PropertyServiceFilter"),
        ("/api/v1/facilities/", "communities.works.filters.FacilityFilter"),
    ],
)
def test_every_filter_is_a_documented_query_parameter(path, filterset_path):
    filterset = import_string(filterset_path)
    parameters = {
        parameter["name"]: parameter
        for parameter in openapi_document()["paths"][path]["get"]["parameters"]
    }

    assert set(filterset.base_filters) | {"ordering"} <= set(parameters)
    assert all(parameters[name].get("description") for name in filterset.base_filters)


def test_typed_filters_are_documented_with_their_type_and_choices():
    parameters = {
        parameter["name"]: parameter["schema"]
        for parameter in openapi_document()["paths"]["/api/v1/communities/"]["get"]["parameters"]
    }

    assert parameters["renovation_year"]["type"] == "integer"
    assert parameters["has_elevator"]["type"] == "boolean"
    assert set(parameters["status"]["enum"]) == {
        "not_started",
        "planned",
        "under_construction",
        "completed",
    }
    assert parameters["page_size"]["type"] == "integer"


def test_the_statistics_parameters_are_documented():
    operation = openapi_document()["paths"]["/api/v1/stats/"]["get"]

    assert {parameter["name"] for parameter in operation["parameters"]} == {
        "district",
        "region",
        "year",
        "as_of",
    }
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Statistics"
    }
    assert "400" in operation["responses"]


def test_staff_only_fields_are_documented_but_never_required():
    service = openapi_document()["components"]["schemas"]["PropertyService"]

    assert "contact_name" in service["properties"]
    assert "contact_name" not in service.get("required", [])


LOCAL_ASSET = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")


def test_swagger_ui_renders_with_local_assets_only():
    response = api_client().get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assets = LOCAL_ASSET.findall(html)
    assert assets
    for asset in assets:
        assert not re.match(r"^(https?:)?//", asset), f"{asset} is not served locally"
        if asset.startswith("/static/"):
            assert finders.find(asset.removeprefix("/static/")), f"{asset} does not exist"
    # The Swagger UI's own script is a separate, same-origin file (no inline script under the CSP).
    assert "/api/schema/" in api_client().get("/api/docs/?script=").content.decode()


def test_the_browsable_root_lists_every_resource_and_the_statistics():
    response = api_client().get(f"{API}/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert set(response.json()) == {prefix for prefix, _, _ in router.registry} | {
        "stats",
        "stats/satisfaction",
    }
    assert set(response.json()) >= set(RESOURCES)
    assert response.json()["stats"] == f"http://testserver{API}/stats/"
    assert response.json()["communities"] == f"http://testserver{API}/communities/"


def test_the_browsable_api_renders_html():
    root = api_client().get(f"{API}/", HTTP_ACCEPT="text/html")
    listing = api_client().get(f"{API}/communities/", HTTP_ACCEPT="text/html")

    assert root.status_code == listing.status_code == 200
    assert "text/html" in listing["Content-Type"]


def test_the_browsable_detail_offers_a_raw_form_with_the_writable_fields_only(staff_client):
    community = make_community()

    response = staff_client.get(f"{API}/communities/{community.pk}/", HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    raw = response.context["raw_data_put_form"].fields["_content"].initial
    assert '"name"' in raw and '"district"' in raw
    assert '"district_name"' not in raw and '"buildings"' not in raw and '"url"' not in raw


def test_a_body_no_parser_reads_is_a_415_the_schema_documents(city_admin):
    response = api_client(city_admin).generic(
        "POST", f"{API}/building-appraisals/", b"a,b", content_type="text/csv"
    )

    assert response.status_code == 415
    assert_matches_schema(response.json(), f"{API}/building-appraisals/", "post", 415)
