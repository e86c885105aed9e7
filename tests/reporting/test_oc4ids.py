"""``/api/v1/oc4ids/``: every community's renovation batch as an OC4IDS 0.9.4 project,
validated against the vendored schema and its codelists."""

import csv
import json
from pathlib import Path

import pytest
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from communities.reporting.oc4ids import SCHEMA_DIR
from tests.support.api import API, api_client
from tests.support.factories import make_community
from tests.support.regions import make_region_world

pytestmark = pytest.mark.django_db

PROJECT_URL = (
    "https://standard.open-contracting.org/infrastructure/schema/0__9__4/project-schema.json"
)


def _validator() -> Draft4Validator:
    package = json.loads((SCHEMA_DIR / "project-package-schema.json").read_text())
    project = json.loads((SCHEMA_DIR / "project-schema.json").read_text())
    registry = Registry().with_resource(PROJECT_URL, Resource(project, DRAFT4))
    return Draft4Validator(package, registry=registry, format_checker=FormatChecker())


def _codes(name: str) -> set[str]:
    with (SCHEMA_DIR / "codelists" / name).open(encoding="utf-8") as handle:
        return {row["Code"] for row in csv.DictReader(handle)}


def _package(query: str = "") -> dict:
    response = api_client().get(f"{API}/oc4ids/{query}")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def world():
    return make_region_world()


def test_the_vendored_copy_keeps_its_licence():
    assert "Apache License" in (SCHEMA_DIR / "LICENSE").read_text()
    assert Path(SCHEMA_DIR / "codelists" / "projectStatus.csv").exists()


def test_the_package_validates_against_the_schema_with_no_errors(world):
    package = _package()

    errors = sorted(_validator().iter_errors(package), key=lambda error: list(error.path))

    assert [f"{list(error.path)}: {error.message}" for error in errors] == []
    assert len(package["projects"]) == 4
    # The validator does reach into the project schema: a wrong status is caught.
    broken = {**package, "projects": [{**package["projects"][0], "status": "finished"}]}
    assert list(_validator().iter_errors(broken))


def test_every_closed_codelist_value_is_in_its_codelist(world):
    projects = _package()["projects"]

    assert {project["status"] for project in projects} <= _codes("projectStatus.csv")
    assert {project["type"] for project in projects} == {"rehabilitation"}
    assert {
        location["geometry"]["type"]
        for project in projects
        for location in project["locations"]
        if "geometry" in location
    } <= _codes("geometryType.csv")
    currencies = {project["budget"]["amount"]["currency"] for project in projects}
    assert currencies <= _codes("currency.csv")
    # The open codelists used keep to their published codes too.
    roles = {
        role for project in projects for party in project["parties"] for role in party["roles"]
    }
    assert roles <= _codes("partyRole.csv")
    metrics = {metric["id"] for project in projects for metric in project.get("metrics", [])}
    assert metrics <= _codes("metricID.csv")


def test_a_project_carries_status_location_budget_parties_progress_and_completion(world):
    jia = world["communities"]["jia"]
    projects = {project["title"]: project for project in _package("?region=370902")["projects"]}

    project = projects["甲小区老旧小区改造（2022年批次）"]
    assert project["status"] == "completion"
    assert project["locations"][0]["geometry"] == {
        "type": "Point",
        "coordinates": [float(jia.longitude), float(jia.latitude)],
    }
    assert project["budget"]["amount"] == {"amount": 200000.0, "currency": "CNY"}
    breakdown = project["budget"]["budgetBreakdowns"][0]["budgetBreakdown"]
    assert {line["id"]: line["amount"]["amount"] for line in breakdown} == {
        "central_subsidy": 120000.0,
        "residents": 30000.0,
    }
    parties = {party["name"]: party["roles"] for party in project["parties"]}
    assert parties["泰山区住房和城乡建设局"] == ["publicAuthority"]
    assert parties["泰安岱宗建设工程有限公司"] == ["supplier"]
    assert parties["泰安正信监理有限公司"] == ["supplier"]
    assert project["publicAuthority"]["name"] == "泰山区住房和城乡建设局"
    metrics = {metric["id"]: metric["observations"][0]["measure"] for metric in project["metrics"]}
    assert metrics == {"physicalProgress": 100.0, "financialProgress": 90.0}
    assert project["completion"]["finalValue"] == {"amount": 180000.0, "currency": "CNY"}
    assert project["completion"]["endDate"].startswith("2022-11-30T00:00:00")


def test_an_under_construction_batch_is_in_implementation_without_completion(world):
    (project,) = _package("?region=370911")["projects"]

    assert project["status"] == "implementation"
    assert "completion" not in project
    metrics = {metric["id"]: metric["observations"][0]["measure"] for metric in project["metrics"]}
    assert metrics == {"physicalProgress": 30.0, "financialProgress": 15.0}


def test_it_filters_by_region_and_year(world):
    assert len(_package("?region=37")["projects"]) == 4
    assert len(_package("?region=3709")["projects"]) == 3
    assert len(_package("?region=3701")["projects"]) == 1
    assert len(_package("?year=2023")["projects"]) == 2
    assert len(_package("?region=3709&year=2022")["projects"]) == 1


def test_communities_outside_the_programme_are_not_published(world):
    make_community(name="未纳入小区")

    titles = [project["title"] for project in _package()["projects"]]

    assert not [title for title in titles if title.startswith("未纳入小区")]


def test_packages_are_bounded_and_linked(world):
    first = _package("?page_size=3")
    second = _package("?page_size=3&page=2")

    assert len(first["projects"]) == 3
    assert first["links"]["next"].endswith("page_size=3&page=2")
    assert len(second["projects"]) == 1
    assert "next" not in second["links"]
    assert not {p["id"] for p in first["projects"]} & {p["id"] for p in second["projects"]}


def test_bad_input_is_400(world):
    queries = [
        "?region=3",
        "?region=abcd",
        "?region=3709021",
        "?year=1999",
        "?year=x",
        "?page=0",
        "?page_size=201",
        "?page=99999999999999999999",
        "?region=37%00",
    ]
    for query in queries:
        assert api_client().get(f"{API}/oc4ids/{query}").status_code == 400, query


def test_no_matching_project_is_404_not_an_invalid_package(world):
    assert api_client().get(f"{API}/oc4ids/?region=44").status_code == 404
    assert api_client().get(f"{API}/oc4ids/?page=9").status_code == 404


def test_the_package_runs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    # count, page of communities, items' sums, suppliers' names, funding by source, regions
    with django_assert_max_num_queries(6):
        _package()
