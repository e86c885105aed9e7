"""The public dashboard (``/``) and the district pages (``/districts/<code>/``)."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from communities.elevators.choices import ElevatorStage
from communities.places.choices import RenovationStatus
from communities.reporting import selectors
from communities.works.choices import FacilityKind, ItemStatus
from tests.support import factories as f

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _views_render_every_time(settings):
    """These tests read the views' context, which an answer from the public response cache
    does not carry (tests/core/test_public_cache.py tests the cache on these pages)."""
    settings.PUBLIC_CACHE_SECONDS = 0


def figure(response, key: str) -> tuple[str, str]:
    """The value and link of one headline figure as the page shows them."""
    match = re.search(
        rf'data-figure="{key}">\s*<a href="([^"]+)">\s*<span class="figure__value">'
        r'<span class="figure__number">([^<]+)</span>',
        response.content.decode(),
    )
    assert match, f"figure {key} is not on the page"
    return match.group(2), match.group(1).replace("&amp;", "&")


def listed_ids(client, url: str) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200
    return {community.pk for community in response.context["page"].object_list}


@pytest.fixture
def city():
    """Two districts: completed, planned and under-construction communities, with what the
    six headline figures count and what they must not."""
    taishan = f.make_district(code="370902", name="泰山区")
    daiyue = f.make_district(code="370911", name="岱岳区")
    leyuan = f.make_community(
        district=taishan,
        name="乐园小区",
        renovation_status=RenovationStatus.COMPLETED,
        renovation_year=2021,
        started_on=date(2021, 3, 1),
        completed_on=date(2021, 11, 1),
        households=1200,
        floor_area_m2=Decimal("100000.50"),
    )
    songyuan = f.make_community(
        district=daiyue,
        name="松园小区",
        renovation_status=RenovationStatus.COMPLETED,
        renovation_year=2022,
        households=800,
        floor_area_m2=Decimal("50000.00"),
        completed_on=date(2022, 12, 1),
    )
    planned = f.make_community(
        district=taishan,
        name="天平花园",
        renovation_status=RenovationStatus.PLANNED,
        renovation_year=2024,
        households=999,
    )
    f.make_community(
        district=daiyue, name="牡丹花园", renovation_status=RenovationStatus.UNDER_CONSTRUCTION
    )
    f.make_item(community=leyuan, budget=Decimal("3000000"), status=ItemStatus.COMPLETED)
    f.make_item(community=songyuan, budget=Decimal("1000000"))
    f.make_item(community=planned, budget=Decimal("500000"))
    f.make_elevator(building=f.make_building(community=songyuan), stage=ElevatorStage.IN_SERVICE)
    f.make_elevator(building=f.make_building(community=planned), stage=ElevatorStage.DESIGN)
    f.make_facility(
        community=leyuan,
        kind=FacilityKind.CHILDREN_PLAY_AREA,
        name="儿童乐园",
        area_m2=Decimal("600"),
    )
    f.make_facility(
        community=songyuan,
        kind=FacilityKind.CHILDREN_PLAY_AREA,
        name="未开放乐园",
        area_m2=Decimal("999"),
        opened_on=None,
    )
    f.make_service(community=leyuan)
    f.make_service(
        community=songyuan,
        contract_start=date.today() - timedelta(days=400),
        contract_end=date.today() - timedelta(days=30),
    )
    return {"taishan": taishan, "daiyue": daiyue, "leyuan": leyuan, "songyuan": songyuan}


def test_home_shows_the_six_headline_figures(client, city):
    response = client.get("/")

    assert response.status_code == 200
    assert figure(response, "communities_renovated")[0] == "2"
    assert figure(response, "renovated_floor_area_m2")[0] == "150,001"
    assert figure(response, "households_benefited")[0] == "2,000"
    assert figure(response, "elevators_in_service")[0] == "1"
    assert figure(response, "children_play_area_m2")[0] == "600"
    assert figure(response, "communities_with_property_service")[0] == "1"


def test_each_headline_figure_links_to_the_communities_behind_it(client, city):
    response = client.get("/")
    leyuan, songyuan = city["leyuan"].pk, city["songyuan"].pk

    for key in ("communities_renovated", "renovated_floor_area_m2", "households_benefited"):
        assert listed_ids(client, figure(response, key)[1]) == {leyuan, songyuan}
    assert listed_ids(client, figure(response, "elevators_in_service")[1]) == {songyuan}
    assert listed_ids(client, figure(response, "children_play_area_m2")[1]) == {leyuan}
    assert listed_ids(client, figure(response, "communities_with_property_service")[1]) == {leyuan}


def test_home_charts_show_the_numbers_of_the_stats_api(client, city):
    page = client.get("/", **EN)
    stats = client.get("/api/v1/stats/", **EN).json()

    charts = {chart.id: chart for chart in page.context["charts"]}
    by_district = charts["chart-district-communities"].bars
    assert [bar.value for bar in by_district] == [
        row["communities_renovated"] for row in stats["by_district"]
    ]
    assert [bar.label for bar in by_district] == [
        row["district_name"] for row in stats["by_district"]
    ]
    assert [bar.value for bar in charts["chart-district-investment"].bars] == [
        Decimal(row["budget"]) for row in stats["by_district"]
    ]
    assert [bar.label for bar in charts["chart-year-communities"].bars] == [
        str(row["year"]) for row in stats["by_year"]
    ]
    assert [bar.value for bar in charts["chart-year-investment"].bars] == [
        Decimal(row["budget"]) for row in stats["by_year"]
    ]
    assert {bar.value for bar in charts["chart-facilities"].bars} == {
        row["facilities"] for row in stats["facilities_by_kind"]
    }


def test_home_charts_have_a_data_table_readable_without_javascript(client, city):
    response = client.get("/", **EN)
    content = response.content.decode()

    # Communities renovated by district: 泰山区 1 of 2 in the programme, 岱岳区 1 of 2.
    table = content[content.index('id="chart-district-communities"') :]
    table = table[table.index("<table>") : table.index("</table>")]
    assert re.search(r"泰山区</th>\s*<td class=\"num\">1</td>\s*<td class=\"num\">2</td>", table)
    assert re.search(r"岱岳区</th>\s*<td class=\"num\">1</td>\s*<td class=\"num\">2</td>", table)
    # Investment by district in millions of yuan: 3.5 for 泰山区, 1.0 for 岱岳区.
    assert "¥3.5 million" in content
    assert "¥1.0 million" in content
    assert "<script" not in content.split("</main>")[0]


def test_chart_bars_are_scaled_to_the_largest_value(client, city):
    response = client.get("/")

    investment = {chart.id: chart for chart in response.context["charts"]}[
        "chart-district-investment"
    ]
    assert [bar.percent for bar in investment.bars] == [100.0, pytest.approx(28.6)]


def test_home_lists_the_latest_completed_communities_and_never_planned_ones(client, city):
    response = client.get("/")

    assert [c.name for c in response.context["latest"]] == ["松园小区", "乐园小区"]
    latest = response.content.decode().split('id="latest-title"')[1].split("</section>")[0]
    assert "天平花园" not in latest


def test_home_speaks_english_when_asked(client, city):
    response = client.get("/", **EN)

    assert '<html lang="en">' in response.content.decode()
    assert "Communities renovated" in response.content.decode()


@pytest.mark.parametrize("communities", [3, 30])
def test_home_runs_the_same_queries_however_many_communities(
    client, django_assert_num_queries, communities
):
    district = f.make_district(code="370902", name="泰山区")
    for number in range(communities):
        community = f.make_community(
            district=district,
            renovation_status=RenovationStatus.COMPLETED,
            renovation_year=2020 + number % 3,
        )
        f.make_item(community=community)
        f.make_facility(community=community)
        f.make_service(community=community)
    # 4 headline figures (renovated, elevators, play area, property service), 2 by district
    # (communities, investment), 2 by year (communities, investment), 1 by category,
    # 1 facilities by kind, 1 latest completed communities.
    with django_assert_num_queries(11):
        response = client.get("/")
    assert response.status_code == 200


def test_district_page_shows_the_figures_of_that_district_alone(client, city):
    response = client.get(reverse("site:district", args=["370902"]))

    assert response.status_code == 200
    assert response.context["stats"] == selectors.city_statistics(district="370902")
    assert figure(response, "communities_renovated")[0] == "1"
    assert figure(response, "households_benefited")[0] == "1,200"
    assert figure(response, "children_play_area_m2")[0] == "600"
    assert [c.name for c in response.context["latest"]] == ["乐园小区"]


def test_district_figures_link_to_that_districts_communities(client, city):
    response = client.get(reverse("site:district", args=["370911"]))

    value, href = figure(response, "communities_renovated")
    assert "district=370911" in href
    assert listed_ids(client, href) == {city["songyuan"].pk}
    assert value == "1"


def test_district_page_charts_by_year_not_by_district(client, city):
    response = client.get(reverse("site:district", args=["370902"]))

    ids = [chart.id for chart in response.context["charts"]]
    assert "chart-district-communities" not in ids
    assert "chart-year-communities" in ids
    years = {chart.id: chart for chart in response.context["charts"]}["chart-year-communities"]
    assert [bar.label for bar in years.bars] == ["2021", "2024"]


def test_an_unknown_district_code_is_a_404(client, city):
    assert client.get(reverse("site:district", args=["999999"])).status_code == 404
    assert client.get("/districts/taishan/").status_code == 404


@pytest.mark.parametrize("communities", [3, 30])
def test_district_page_runs_the_same_queries_however_many_communities(
    client, django_assert_num_queries, communities
):
    district = f.make_district(code="370902", name="泰山区")
    for _number in range(communities):
        community = f.make_community(
            district=district, renovation_status=RenovationStatus.COMPLETED
        )
        f.make_item(community=community)
        f.make_facility(community=community)
    # 1 district, then the home page's 11: 4 headline figures, 2 by district, 2 by year,
    # 1 by category, 1 facilities by kind, 1 latest completed.
    with django_assert_num_queries(12):
        response = client.get(reverse("site:district", args=["370902"]))
    assert response.status_code == 200
