"""The public site with many districts and communities: what changes past a city's size, and
query counts that stay the same however many rows there are."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from communities.places.choices import RenovationStatus
from communities.places.selectors import batch_years
from communities.site import views
from communities.site.views import PAGE_SIZE
from tests.support import factories as f

pytestmark = pytest.mark.django_db


def renovated(district, count: int, *, budget: str = "1000") -> None:
    """``count`` completed communities in ``district``, each with one item of ``budget``."""
    for _number in range(count):
        community = f.make_community(
            district=district, renovation_status=RenovationStatus.COMPLETED
        )
        f.make_item(community=community, budget=Decimal(budget))


@pytest.fixture
def province(monkeypatch):
    """Four districts where the home page draws two: 泰山区 renovated most, 新泰市 spent most."""
    monkeypatch.setattr(views, "HOME_DISTRICTS", 2)
    districts = {
        "taishan": f.make_district(code="370902", name="泰山区"),
        "daiyue": f.make_district(code="370911", name="岱岳区"),
        "xintai": f.make_district(code="370982", name="新泰市"),
        "feicheng": f.make_district(code="370983", name="肥城市"),
    }
    renovated(districts["taishan"], 4, budget="1000000")
    renovated(districts["daiyue"], 1, budget="9000000")
    renovated(districts["xintai"], 2, budget="5000000")
    renovated(districts["feicheng"], 3, budget="100000")
    return districts


def chart(response, chart_id: str):
    return {chart.id: chart for chart in response.context["charts"]}[chart_id]


def test_home_charts_the_districts_that_renovated_most_with_the_others_total(client, province):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")

    communities = chart(response, "chart-district-communities")
    assert [bar.label for bar in communities.bars] == ["泰山区", "肥城市"]
    assert [bar.percent for bar in communities.bars] == [100.0, 75.0]
    # 新泰市 2 + 岱岳区 1
    note = "The 2 districts with the highest figures of 4; the other 2 together: 3."
    assert communities.note == note
    assert note in response.content.decode()


def test_home_charts_the_districts_that_invested_most(client, province):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")

    investment = chart(response, "chart-district-investment")
    assert [bar.label for bar in investment.bars] == ["新泰市", "岱岳区"]
    assert [bar.href for bar in investment.bars] == [
        reverse("site:district", args=["370982"]),
        reverse("site:district", args=["370911"]),
    ]
    # 泰山区 4,000,000 + 肥城市 300,000 yuan
    assert investment.note.endswith("the other 2 together: ¥4.3 million.")


def test_home_links_the_leading_districts_and_offers_every_district_in_a_select(client, province):
    response = client.get("/")

    page = response.content.decode()
    assert [row["district"] for row in response.context["districts"]] == ["370902", "370983"]
    picker = re.search(r'<form class="district-picker".*?</form>', page, re.S).group(0)
    assert f'action="{reverse("site:community-list")}"' in picker
    assert re.findall(r'<option value="(\d+)">', picker) == ["370902", "370911", "370982", "370983"]
    listed = client.get(reverse("site:community-list"), {"district": "370982"})
    assert {c.district.code for c in listed.context["page"].object_list} == {"370982"}


def test_a_city_sees_every_district_in_code_order_and_no_select(client, monkeypatch):
    monkeypatch.setattr(views, "HOME_DISTRICTS", 5)
    for code in ("370983", "370902", "370911"):
        renovated(f.make_district(code=code), 1)

    response = client.get("/")

    communities = chart(response, "chart-district-communities")
    assert [bar.href.split("/")[-2] for bar in communities.bars] == ["370902", "370911", "370983"]
    assert communities.note == ""
    assert len(response.context["districts"]) == 3
    assert response.context["all_districts"] == ""
    assert "district-picker" not in response.content.decode()


@pytest.mark.parametrize("districts", [3, 30])
def test_home_runs_the_same_queries_however_many_districts(
    client, django_assert_num_queries, monkeypatch, districts
):
    monkeypatch.setattr(views, "HOME_DISTRICTS", 2)
    for number in range(districts):
        renovated(f.make_district(code=f"{371000 + number}"), 1)
    # 4 headline figures (renovated, elevators, play area, property service), 2 by district
    # (communities, investment), 2 by year (communities, investment), 1 by category,
    # 1 facilities by kind, 1 latest completed communities.
    with django_assert_num_queries(11):
        response = client.get("/")
    assert len(response.context["charts"][0].bars) == 2


def test_the_batch_years_are_those_in_use_newest_first(client):
    for year in (2021, 2024, 2021, 2019):
        f.make_community(renovation_status=RenovationStatus.PLANNED, renovation_year=year)
    f.make_community(renovation_status=RenovationStatus.NOT_STARTED)

    assert batch_years() == [2024, 2021, 2019]
    response = client.get(reverse("site:community-list"))
    assert response.context["controls"]["years"] == ["2024", "2021", "2019"]


def test_there_are_no_batch_years_without_communities_in_a_batch():
    f.make_community(renovation_status=RenovationStatus.NOT_STARTED)

    assert batch_years() == []


def test_each_listed_community_links_to_its_districts_page(client):
    community = f.make_community(district=f.make_district(code="370902", name="泰山区"))

    response = client.get(reverse("site:community-list"))

    assert '<a href="/districts/370902/">泰山区</a>' in response.content.decode()
    assert client.get(community.district.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("communities", [3, 30])
def test_the_unfiltered_list_runs_the_same_queries_however_many_communities(
    client, django_assert_num_queries, communities
):
    for number in range(communities):
        f.make_community(district=f.make_district(code=f"{371000 + number % 7}"))
    # 1 count (PostgreSQL's estimate for a national table), 1 page of communities with their
    # district, 1 districts and 1 batch years for the form, 1 bounds of the map.
    with django_assert_num_queries(5):
        response = client.get(reverse("site:community-list"))
    assert response.context["page"].paginator.count == communities
    assert len(response.context["page"].object_list) == min(communities, PAGE_SIZE)
