"""``/reports/<region>/``: plan against actual by month, a server-drawn SVG and its table."""

from datetime import date

import pytest

from communities.places.choices import RenovationStatus
from tests.support.factories import make_community, make_district
from tests.support.returns import make_annual_plan

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def region():
    """泰山区 planned 3 communities for 2023: one started in February and completed in
    March, one started in March; a 岱岳区 one (plan 2) started in January."""
    taishan = make_district(code="370902", name="泰山区")
    daiyue = make_district(code="370911", name="岱岳区")
    make_annual_plan(district=taishan, target_communities=3)
    make_annual_plan(district=daiyue, target_communities=2)
    make_community(
        district=taishan,
        renovation_status=RenovationStatus.COMPLETED,
        renovation_year=2023,
        started_on=date(2023, 2, 1),
        completed_on=date(2023, 3, 20),
    )
    make_community(
        district=taishan,
        renovation_status=RenovationStatus.UNDER_CONSTRUCTION,
        renovation_year=2023,
        started_on=date(2023, 3, 2),
    )
    make_community(
        district=daiyue,
        renovation_status=RenovationStatus.UNDER_CONSTRUCTION,
        renovation_year=2023,
        started_on=date(2023, 1, 9),
    )


def _table(response) -> list[tuple]:
    return [
        (row["month"], row["plan"], row["started"], row["completed"])
        for row in response.context["series"]
    ]


def test_a_district_page_shows_plan_started_and_completed_by_month(
    client, region, django_assert_num_queries
):
    # the region's districts; the plans; starts by month; completions by month
    with django_assert_num_queries(4):
        response = client.get("/reports/370902/", {"year": "2023"})
    assert response.status_code == 200
    assert _table(response)[:4] == [(1, 3, 0, 0), (2, 3, 1, 0), (3, 3, 2, 1), (4, 3, 2, 1)]
    body = response.content.decode()
    assert "<svg" in body and "<polyline" in body and 'id="plan-actual-table"' in body
    assert "2023-03" in body


def test_a_city_page_adds_up_its_districts(client, region):
    response = client.get("/reports/3709/", {"year": "2023"})
    assert _table(response)[0] == (1, 5, 1, 0)
    assert _table(response)[11] == (12, 5, 3, 1)


def test_the_page_speaks_english_too(client, region):
    response = client.get("/reports/3709/", {"year": "2023"}, **EN)
    assert "plan against actual" in response.content.decode()


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/reports/4401/", {}),
        ("/reports/abc/", {}),
        ("/reports/12345678901234567890/", {}),
        ("/reports/3709/", {"year": "99999"}),
        ("/reports/3709/", {"year": "２０２３"}),
    ],
)
def test_bad_regions_and_years_are_not_found(client, region, path, query):
    assert client.get(path, query).status_code == 404
