"""``/reports/<region>/``: beside the communities, their households — plan against started and
completed by month, a second server-drawn chart with its own data table, in both languages."""

from datetime import date

import pytest

from communities.places.choices import RenovationStatus
from tests.support.factories import make_community, make_district
from tests.support.returns import make_annual_plan

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def region():
    """泰山区 planned 3 communities of 600 households for 2023: one of 120 started in February
    and completed in March, one of 80 started in March."""
    taishan = make_district(code="370902", name="泰山区")
    make_annual_plan(district=taishan, target_communities=3, target_households=600)
    make_community(
        district=taishan,
        households=120,
        renovation_status=RenovationStatus.COMPLETED,
        renovation_year=2023,
        started_on=date(2023, 2, 1),
        completed_on=date(2023, 3, 20),
    )
    make_community(
        district=taishan,
        households=80,
        renovation_status=RenovationStatus.UNDER_CONSTRUCTION,
        renovation_year=2023,
        started_on=date(2023, 3, 2),
    )


def test_households_are_planned_started_and_completed_by_month(
    client, region, django_assert_num_queries
):
    # the region's districts; the plans; starts by month; completions by month (as before)
    with django_assert_num_queries(4):
        response = client.get("/reports/370902/", {"year": "2023"}, **EN)

    rows = [
        (r["month"], r["plan_households"], r["started_households"], r["completed_households"])
        for r in response.context["series"]
    ]
    assert rows[:4] == [(1, 600, 0, 0), (2, 600, 120, 0), (3, 600, 200, 120), (4, 600, 200, 120)]
    body = response.content.decode()
    assert 'id="plan-actual-households"' in body
    assert 'id="plan-actual-households-table"' in body
    assert "Households: plan, started, completed (cumulative)" in body
    assert "Households by month" in body
    table = body.split('id="plan-actual-households-table"')[1].split("</table>")[0]
    assert '<td class="num">600</td><td class="num">200</td><td class="num">120</td>' in table
    assert body.count("<polyline") == 6  # three lines in each chart


def test_the_households_chart_has_its_own_scale(client, region):
    chart = client.get("/reports/370902/", {"year": "2023"}).context["households_chart"]

    assert [line.key for line in chart["lines"]] == ["plan", "started", "completed"]
    assert chart["grid"][-1]["label"] == 600  # the top: the plan's households


def test_the_page_speaks_chinese_by_default(client, region):
    body = client.get("/reports/370902/", {"year": "2023"}, **ZH).content.decode()

    assert 'id="plan-actual-households-table"' in body
