"""The public region pages: province → cities → districts → communities, with the figures,
progress and its formula, as of today or a past day, in Chinese and English."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.support.factories import make_community, make_district, make_item
from tests.support.regions import AS_OF, make_region_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_region_world()


def _page(client: Client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response


def _figure(response, key: str) -> str:
    (card,) = [card for card in response.context["cards"] if card["key"] == key]
    return card["value"]


def test_the_province_page_lists_its_cities_with_figures_and_progress(client, world):
    response = _page(client, reverse("site:region", args=["37"]))

    html = response.content.decode()
    assert "山东省" in html
    codes = [row["code"] for row in response.context["children"]]
    assert codes[:2] == ["3701", "3702"] and len(codes) == 16
    assert _figure(response, "communities_renovated") == "3"
    assert _figure(response, "households_benefited") == "380"
    assert str(response.context["figures"]["physical_progress"]) == "62.7"
    assert 'href="/regions/3709/"' in html
    assert "62.7%" in html and "52.0%" in html


def test_the_city_page_lists_its_districts_and_links_down(client, world):
    response = _page(client, reverse("site:region", args=["3709"]))

    rows = {row["code"]: row for row in response.context["children"]}
    assert set(rows) == {"370902", "370911"}
    assert str(rows["370911"]["physical_progress"]) == "30.0"
    html = response.content.decode()
    assert 'href="/regions/370911/"' in html
    assert 'href="/regions/37/"' in html  # the breadcrumb up to the province


def test_the_district_page_lists_its_communities_with_their_progress(client, world):
    response = _page(client, reverse("site:region", args=["370911"]))

    (row,) = response.context["community_rows"]
    assert row["community"].name == "丙小区"
    assert (str(row["physical_progress"]), str(row["financial_progress"])) == ("30.0", "15.0")
    html = response.content.decode()
    assert row["community"].get_absolute_url() in html
    assert [part["code"] for part in response.context["trail"]] == ["37", "3709"]


def test_the_formula_is_shown_on_every_region_page(client, world):
    for code in ("37", "3709", "370902"):
        html = _page(client, reverse("site:region", args=[code])).content.decode()
        assert 'id="formula"' in html
        assert "Σ" in html


def test_the_page_speaks_english(client, world):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    html = _page(client, reverse("site:region", args=["3709"])).content.decode()

    assert "Tai&#x27;an" in html or "Tai'an" in html
    assert "Physical progress" in html
    assert "How progress is computed" in html


def test_as_of_shows_the_figures_of_that_day(client, world):
    response = _page(client, reverse("site:region", args=["37"]) + f"?as_of={AS_OF}")

    assert _figure(response, "communities_renovated") == "2"
    assert _figure(response, "elevators_in_service") == "1"
    assert _figure(response, "children_play_area_m2") == "200"
    html = response.content.decode()
    assert f'data-as-of="{AS_OF}"' in html
    # The drill-down keeps the day.
    assert f'href="/regions/3709/?as_of={AS_OF}"' in html


def test_a_bad_day_is_a_400_that_says_why(client, world):
    for query in ["as_of=bad", "as_of=2023-02-30", "as_of=1999-12-31", "as_of=9999-01-01"]:
        url = reverse("site:region", args=["3709"]) + f"?{query}"
        response = _page(client, url, status=400)

        assert 'role="alert"' in response.content.decode(), query


def test_an_unknown_or_malformed_code_is_a_404(client, world):
    for code in ["12", "3799", "379999", "3", "370", "abcd", "1234567"]:
        assert client.get(f"/regions/{code}/").status_code == 404, code
    # A NUL byte is refused before any view (renovation.limits).
    assert client.get("/regions/37%00/").status_code in {400, 404}


def test_the_index_lists_the_provinces(client, world):
    response = _page(client, reverse("site:regions"))

    assert [row["code"] for row in response.context["children"]] == ["37"]
    assert 'href="/regions/37/"' in response.content.decode()


def test_the_home_and_district_pages_link_to_the_region_pages(client, world):
    assert 'href="/regions/"' in _page(client, "/").content.decode()
    district = _page(client, reverse("site:district", args=["370902"])).content.decode()
    assert 'href="/regions/370902/"' in district


@pytest.mark.parametrize("children", [3, 30])
def test_the_city_page_runs_the_same_queries_however_many_districts(
    client, django_assert_num_queries, children
):
    for number in range(children):
        district = make_district(validate=False, code=f"3709{number + 10:02d}", name=f"区{number}")
        make_item(validate=False, community=make_community(validate=False, district=district))
    # the region, the breadcrumbs' names, the 6 figures' queries, the children's names
    with django_assert_num_queries(9):
        response = client.get(reverse("site:region", args=["3709"]))
    assert response.status_code == 200
    assert len(response.context["children"]) == children


@pytest.mark.parametrize("children", [3, 30])
def test_the_district_page_runs_the_same_queries_however_many_communities(
    client, django_assert_num_queries, children
):
    district = make_district(code="370902", name="泰山区")
    for _number in range(children):
        make_item(validate=False, community=make_community(validate=False, district=district))
    # the district, the breadcrumbs' names, the 6 figures' queries, the count, the page of
    # communities, their items' sums
    with django_assert_num_queries(11):
        response = client.get(reverse("site:region", args=["370902"]))
    assert response.status_code == 200
    assert len(response.context["community_rows"]) == children
