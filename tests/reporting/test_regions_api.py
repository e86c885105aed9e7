"""``/api/v1/regions/`` and ``/api/v1/stats/?region=…&as_of=…`` on a small fixture with
hand-worked figures (tests/support/regions.py)."""

from datetime import timedelta
from decimal import Decimal

import pytest

from communities.core import clock
from tests.support.api import API, api_client
from tests.support.factories import make_community, make_district, make_item
from tests.support.regions import AS_OF, AS_OF_FIGURES, TODAY_FIGURES, make_region_world

pytestmark = pytest.mark.django_db

HEADLINES = list(TODAY_FIGURES)


@pytest.fixture
def world():
    return make_region_world()


def _get(url: str) -> dict:
    response = api_client().get(url)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_regions_list_shandong_and_its_sixteen_cities_with_their_figures(world):
    body = _get(f"{API}/regions/?page_size=50")

    rows = {row["code"]: row for row in body["results"]}
    assert body["count"] == 17
    assert rows["37"]["level"] == "province"
    assert rows["37"]["children_count"] == 16
    assert rows["3709"]["parent"] == "37"
    assert rows["3709"]["children_count"] == 2  # 泰山区, 岱岳区
    assert {key: rows["37"]["figures"][key] for key in HEADLINES} == TODAY_FIGURES
    assert rows["3709"]["figures"]["communities_renovated"] == 2
    assert rows["3701"]["figures"]["communities_renovated"] == 1
    assert rows["3702"]["figures"]["communities"] == 0
    assert rows["3702"]["figures"]["physical_progress"] is None


def test_progress_rolls_up_by_the_published_formula(world):
    rows = {row["code"]: row["figures"] for row in _get(f"{API}/regions/?page_size=50")["results"]}

    assert (rows["37"]["physical_progress"], rows["37"]["financial_progress"]) == ("62.7", "52.0")
    assert (rows["3709"]["physical_progress"], rows["3709"]["financial_progress"]) == (
        "60.0",
        "48.6",
    )
    assert (rows["3701"]["physical_progress"], rows["3701"]["financial_progress"]) == (
        "100.0",
        "100.0",
    )
    # The sums are published with the ratios: anyone can recompute them.
    assert (rows["37"]["budget"], rows["37"]["spent"], rows["37"]["items"]) == (
        "750000.00",
        "390000.00",
        5,
    )


def test_a_regions_detail_lists_its_children_and_the_formula(world):
    body = _get(f"{API}/regions/3709/")

    children = {child["code"]: child for child in body["children"]}
    assert set(children) == {"370902", "370911"}
    assert children["370911"]["name"] == "岱岳区"
    assert (children["370911"]["physical_progress"], children["370911"]["financial_progress"]) == (
        "30.0",
        "15.0",
    )
    assert "Σ" in body["formula"]["physical_progress"]
    assert body["formula"]["documentation"].startswith("docs/regions-and-open-data.md")


def test_a_provinces_detail_lists_its_cities(world):
    body = _get(f"{API}/regions/37/")

    assert len(body["children"]) == 16
    assert body["children"][0]["code"] == "3701"


def test_region_statistics_equal_the_sum_of_their_districts(world):
    for region in ("37", "3709"):
        whole = _get(f"{API}/stats/?region={region}")
        districts = [
            _get(f"{API}/stats/?district={row['district']}") for row in whole["by_district"]
        ]
        assert whole["region"] == region
        for key in HEADLINES:
            total = sum(Decimal(str(part[key])) for part in districts)
            assert Decimal(str(whole[key])) == total, (region, key)
        assert Decimal(whole["progress"]["budget"]) == sum(
            Decimal(part["progress"]["budget"]) for part in districts
        )


def test_region_statistics_agree_with_the_regions_list(world):
    rows = {row["code"]: row["figures"] for row in _get(f"{API}/regions/?page_size=50")["results"]}

    stats = _get(f"{API}/stats/?region=3709")

    for key in HEADLINES:
        assert str(stats[key]) == str(rows["3709"][key]), key
    assert stats["progress"]["physical_progress"] == rows["3709"]["physical_progress"]


def test_the_citys_statistics_leave_out_the_other_city(world):
    stats = _get(f"{API}/stats/?region=3701")

    assert [row["district"] for row in stats["by_district"]] == ["370102"]
    assert stats["households_benefited"] == 80


def test_figures_as_of_a_past_day_count_what_stood_that_day(world):
    stats = _get(f"{API}/stats/?as_of={AS_OF.isoformat()}")

    assert stats["as_of"] == AS_OF.isoformat()
    assert {key: stats[key] for key in HEADLINES} == AS_OF_FIGURES
    by_district = {row["district"]: row for row in stats["by_district"]}
    # 乙小区 was still under construction on 31 March 2023 (completed 30 June).
    assert by_district["370902"]["communities_renovated"] == 1
    assert by_district["370902"]["under_construction"] == 1


def test_figures_as_of_today_equal_todays(world):
    today = _get(f"{API}/stats/")
    as_of = _get(f"{API}/stats/?as_of={clock.today().isoformat()}")

    assert {key: as_of[key] for key in HEADLINES} == {key: today[key] for key in HEADLINES}
    assert {key: today[key] for key in HEADLINES} == TODAY_FIGURES


def test_regions_as_of_a_past_day(world):
    body = _get(f"{API}/regions/37/?as_of={AS_OF.isoformat()}")

    assert {key: body["figures"][key] for key in HEADLINES} == AS_OF_FIGURES


def test_as_of_before_anything_was_completed_counts_nothing(world):
    stats = _get(f"{API}/stats/?as_of=2020-01-01&region=37")

    assert stats["communities_renovated"] == 0
    assert stats["elevators_in_service"] == 0


BAD_QUERIES = [
    "region=3",
    "region=370",
    "region=abcd",
    "region=99",
    "region=9999",
    "region=370902",
    "region=37%00",
    "region=",
    "region=3709&district=370902",
    "as_of=2023-02-30",
    "as_of=yesterday",
    "as_of=1999-12-31",
    "as_of=9999-12-31",
    "as_of=2023-03-31%00",
    "as_of=",
]


def test_bad_region_or_day_is_a_400_that_names_the_parameter(world):
    client = api_client()
    for query in BAD_QUERIES:
        response = client.get(f"{API}/stats/?{query}")

        assert response.status_code == 400, query
        assert query.split("=")[0] in response.json(), query


def test_tomorrow_is_out_of_range(world):
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()

    response = api_client().get(f"{API}/stats/?as_of={tomorrow}")

    assert response.status_code == 400
    assert "as_of" in response.json()


def test_the_regions_list_refuses_bad_input(world):
    for query in ["as_of=2023-13-01", "as_of=2101-01-01", "level=county"]:
        assert api_client().get(f"{API}/regions/?{query}").status_code == 400, query


def test_an_unknown_region_is_a_404(world):
    assert api_client().get(f"{API}/regions/12/").status_code == 404
    assert api_client().get(f"{API}/regions/370902/").status_code == 404


def test_regions_are_read_only_in_the_api(world, city_admin):
    client = api_client(city_admin)

    assert client.post(f"{API}/regions/", {"code": "44"}, format="json").status_code == 405
    assert client.delete(f"{API}/regions/37/").status_code == 405


def test_the_list_filters_by_level(world):
    body = _get(f"{API}/regions/?level=province")

    assert [row["code"] for row in body["results"]] == ["37"]


def _districts(count: int) -> None:
    for number in range(count):
        district = make_district(validate=False, code=f"3709{number + 10:02d}", name=f"区{number}")
        make_item(validate=False, community=make_community(validate=False, district=district))


@pytest.mark.parametrize("districts", [3, 30])
def test_the_regions_list_runs_the_same_queries_however_many_districts(
    django_assert_num_queries, districts
):
    _districts(districts)
    # count, page of regions, the cities per province; the figures: districts, communities,
    # elevators, play areas, property service, items.
    with django_assert_num_queries(9):
        response = api_client().get(f"{API}/regions/")
    assert response.status_code == 200


@pytest.mark.parametrize("districts", [3, 30])
def test_a_regions_detail_runs_the_same_queries_however_many_districts(
    django_assert_num_queries, districts
):
    _districts(districts)
    # the region, the cities per province, the 6 figures' queries, the children's names
    with django_assert_num_queries(9):
        response = api_client().get(f"{API}/regions/3709/")
    assert response.status_code == 200
    assert len(response.json()["children"]) == districts
