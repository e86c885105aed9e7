"""The monthly return against figures worked out by hand, its locking, variances, downloads
and the API's refusals."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from communities.places.choices import RenovationStatus
from communities.reporting import returns
from communities.reporting.models import SubmittedReturn
from communities.works.choices import ItemStatus
from communities.works.models.items import RenovationKind
from tests.support.api import API, api_client, make_user
from tests.support.factories import make_community, make_district, make_funding, make_item
from tests.support.returns import make_annual_plan, make_quantity
from tests.support.roles import grant

pytestmark = pytest.mark.django_db

URL = f"{API}/reports/monthly/"


def _community(district, name, households, buildings, started, completed=None):
    status = RenovationStatus.COMPLETED if completed else RenovationStatus.UNDER_CONSTRUCTION
    return make_community(
        district=district,
        name=name,
        households=households,
        buildings_count=buildings,
        renovation_status=status,
        renovation_year=started.year,
        started_on=started,
        completed_on=completed,
    )


def _finished_item(community, kind, start, end, **fields):
    return make_item(
        community=community,
        kind=RenovationKind.objects.get(code=kind),
        status=ItemStatus.ACCEPTED,
        actual_start=start,
        actual_end=end,
        budget=Decimal("1000000.00"),
        **fields,
    )


@pytest.fixture
def world():
    """The return of 3709 for 2023-03 (hand-worked in the tests below):

    370902 泰山区, plan 2023: 4 communities, 400 households, 20 buildings, ¥1,000,000
      甲 100 hh 5 bldg started 2023-01-10, completed 2023-03-15;
         water-drainage item 2023-01-10 to 2023-03-15 (the community's dates): central 300000,
         local 100000, residents 20000;
         water supply 1.20 km, drainage 0.80 km
      乙 150 hh 6 bldg started 2023-03-05 (under way); its item unfinished: utilities 70000,
         water supply 3.00 km (neither counted)
      丙  80 hh 4 bldg started 2022-05-01, completed 2022-11-30; gas item accepted 2022-10-01:
         special bonds 50000, gas 2.50 km
      丁  50 hh 3 bldg started 2023-04-02 (after the period)
    370911 岱岳区, plan 2023: 2 communities, 200 households, 10 buildings, ¥500,000
      戊 120 hh 7 bldg started 2023-02-01, completed 2023-03-31; charging item accepted
         2023-03-20: social capital 40000, other 5000; EV points 10, e-bike points 40
    371002 (another city): 己 started 2023-03-01, plan of 10 communities (never counted in 3709)
    """
    taishan = make_district(code="370902", name="泰山区")
    daiyue = make_district(code="370911", name="岱岳区")
    other = make_district(code="371002", name="外市区")
    a = _community(taishan, "甲", 100, 5, date(2023, 1, 10), date(2023, 3, 15))
    b = _community(taishan, "乙", 150, 6, date(2023, 3, 5))
    c = _community(taishan, "丙", 80, 4, date(2022, 5, 1), date(2022, 11, 30))
    _community(taishan, "丁", 50, 3, date(2023, 4, 2))
    e = _community(daiyue, "戊", 120, 7, date(2023, 2, 1), date(2023, 3, 31))
    f = _community(other, "己", 90, 3, date(2023, 3, 1))
    make_annual_plan(
        district=taishan,
        target_communities=4,
        target_households=400,
        target_buildings=20,
        target_investment=Decimal("1000000.00"),
        communities=[a, b],
    )
    make_annual_plan(
        district=daiyue,
        target_communities=2,
        target_households=200,
        target_buildings=10,
        target_investment=Decimal("500000.00"),
    )
    make_annual_plan(district=other, target_communities=10, target_households=900)

    water = _finished_item(a, "water-drainage", date(2023, 1, 10), date(2023, 3, 15))
    make_funding(item=water, source="central_subsidy", amount=Decimal("300000.00"))
    make_funding(item=water, source="local_budget", amount=Decimal("100000.00"))
    make_funding(item=water, source="residents", amount=Decimal("20000.00"))
    make_quantity(item=water, measure="water_supply_pipe", amount=Decimal("1.20"))
    make_quantity(item=water, measure="drainage_pipe", amount=Decimal("0.80"))
    unfinished = make_item(
        community=b,
        kind=RenovationKind.objects.get(code="water-drainage"),
        status=ItemStatus.UNDER_CONSTRUCTION,
        actual_start=date(2023, 3, 6),
    )
    make_funding(item=unfinished, source="utility_companies", amount=Decimal("70000.00"))
    make_quantity(item=unfinished, measure="water_supply_pipe", amount=Decimal("3.00"))
    gas = _finished_item(c, "gas", date(2022, 6, 1), date(2022, 10, 1))
    make_funding(item=gas, source="special_bonds", amount=Decimal("50000.00"))
    make_quantity(item=gas, measure="gas_pipe", amount=Decimal("2.50"))
    charging = _finished_item(e, "charging", date(2023, 2, 10), date(2023, 3, 20))
    make_funding(item=charging, source="social_capital", amount=Decimal("40000.00"))
    make_funding(item=charging, source="other", amount=Decimal("5000.00"))
    make_quantity(item=charging, measure="ev_charging_points", amount=Decimal("10"))
    make_quantity(item=charging, measure="ebike_charging_points", amount=Decimal("40"))
    finished = _finished_item(f, "gas", date(2023, 3, 2), date(2023, 3, 3))
    make_funding(item=finished, source="central_subsidy", amount=Decimal("999.00"))
    return {"taishan": taishan, "a": a}


def _figures(region="3709", period="2023-03"):
    return returns.compute_figures(returns.parse_region(region), returns.parse_period(period))


def test_the_city_return_counts_starts_and_completions_by_window(world):
    progress = _figures()["progress"]
    assert progress["started"] == {
        "cumulative": {"communities": 4, "households": 450, "buildings": 22},
        "year_to_date": {"communities": 3, "households": 370, "buildings": 18},
        "month": {"communities": 1, "households": 150, "buildings": 6},
    }
    assert progress["completed"] == {
        "cumulative": {"communities": 3, "households": 300, "buildings": 16},
        "year_to_date": {"communities": 2, "households": 220, "buildings": 12},
        "month": {"communities": 2, "households": 220, "buildings": 12},
    }


def test_the_city_return_sums_the_plans_and_rates_against_them(world):
    figures = _figures()
    assert figures["plan"] == {
        "year": 2023,
        "plans": 2,
        "communities": 6,
        "households": 600,
        "buildings": 30,
        "investment": "1500000.00",
    }
    assert figures["rates"] == {
        "start_rate_communities": "50.00",
        "start_rate_households": "61.67",
        "completion_rate_communities": "33.33",
        "completion_rate_households": "36.67",
    }


def test_investment_completed_is_by_the_surveys_sources(world):
    investment = _figures()["investment"]
    cumulative = {key: row["cumulative"] for key, row in investment.items()}
    assert cumulative == {
        "central_subsidy": "300000.00",
        "local_fiscal": "100000.00",
        "special_bonds": "50000.00",
        "residents": "20000.00",
        "social_capital": "40000.00",
        "utilities": "0.00",
        "other": "5000.00",
        "total": "515000.00",
    }
    assert Decimal(investment["total"]["year_to_date"]) == Decimal("465000")
    assert Decimal(investment["special_bonds"]["year_to_date"]) == 0


def test_quantities_delivered_count_finished_items_only(world):
    quantities = _figures()["quantities"]
    delivered = {
        measure: (Decimal(row["cumulative"]), Decimal(row["year_to_date"]), row["unit"])
        for measure, row in quantities.items()
        if Decimal(row["cumulative"])
    }
    assert delivered == {
        "water_supply_pipe": (Decimal("1.2"), Decimal("1.2"), "km"),
        "drainage_pipe": (Decimal("0.8"), Decimal("0.8"), "km"),
        "gas_pipe": (Decimal("2.5"), Decimal("0"), "km"),
        "ev_charging_points": (Decimal("10"), Decimal("10"), "points"),
        "ebike_charging_points": (Decimal("40"), Decimal("40"), "points"),
    }


def test_a_district_return_reads_its_district_only(world):
    figures = _figures(region="370902")
    assert figures["region_name"] == "泰山区"
    assert figures["plan"]["communities"] == 4
    assert figures["progress"]["started"]["cumulative"]["communities"] == 3
    assert figures["rates"]["start_rate_communities"] == "50.00"  # 甲 and 乙 of 4


def test_the_return_is_computed_in_four_queries(world):
    region, period = returns.parse_region("3709"), returns.parse_period("2023-03")
    with CaptureQueriesContext(connection) as queries:
        returns.compute_figures(region, period)
    # the plans; the communities' 18 conditional aggregates; funding by source; quantities
    assert len(queries) == 4


def _clerk(django_user_model, district="370902", submit=True):
    user = django_user_model.objects.create_user("clerk", password="pw-clerk-9x!")
    grant("clerk", "district_staff", "--district", district)
    user = django_user_model.objects.get(pk=user.pk)
    if not submit:
        user.groups.first().permissions.remove(Permission.objects.get(codename="submit_return"))
        user = django_user_model.objects.get(pk=user.pk)
    return user


def test_the_api_answers_the_return_as_json(world):
    response = api_client(make_user(is_staff=True, is_superuser=True)).get(
        URL, {"period": "2023-03", "region": "3709"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["progress"]["completed"]["month"]["communities"] == 2
    assert body["variances"] is None


def test_the_public_cannot_read_returns(world):
    response = api_client().get(URL, {"period": "2023-03", "region": "3709"})
    assert response.status_code in {401, 403}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"period": "2023-13", "region": "3709"}, "period"),
        ({"period": "99999-01", "region": "3709"}, "period"),
        ({"period": "2023-03\x00", "region": "3709"}, "period"),
        ({"period": "1999-03", "region": "3709"}, "period"),
        ({"period": "2023-03", "region": "370"}, "region"),
        ({"period": "2023-03", "region": "12345678901234567890"}, "region"),
        ({"period": "2023-03", "region": "4401"}, "region"),
        ({"period": "2023-03"}, "region"),
        ({"period": "2023-03", "region": "3709", "format": "pdf"}, "format"),
        ({"period": "2023-03", "region": "3709", "format": "xlsx", "x": "1"}, None),
    ],
)
def test_bad_periods_and_regions_are_a_400_with_the_reason(world, query, field):
    client = api_client(make_user(is_staff=True, is_superuser=True))
    response = client.get(URL, query)
    if field is None:
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert field in response.json()


def test_a_bad_download_is_answered_in_json(world):
    client = api_client(make_user(is_staff=True, is_superuser=True))
    response = client.get(URL, {"period": "2023-3", "region": "3709", "format": "xlsx"})
    assert response.status_code == 400
    assert "period" in response.json()


def test_a_clerk_reads_only_regions_within_their_district(world, django_user_model):
    client = api_client(_clerk(django_user_model))
    assert client.get(URL, {"period": "2023-03", "region": "370902"}).status_code == 200
    for region in ("370911", "3709", "37"):
        refused = client.get(URL, {"period": "2023-03", "region": region})
        assert refused.status_code == 403, region


def test_submitting_locks_and_a_later_correction_shows_as_a_variance(world, django_user_model):
    clerk = _clerk(django_user_model)
    client = api_client(clerk)
    submitted = client.post(
        f"{URL}submit/", {"period": "2023-03", "region": "370902"}, format="json"
    )
    assert submitted.status_code == 201, submitted.content
    locked = SubmittedReturn.objects.get()
    assert locked.submitted_by == clerk
    assert locked.figures["progress"]["started"]["cumulative"]["households"] == 330

    community = world["a"]
    community.households = 110  # a correction after the return went up
    community.full_clean()
    community.save()

    locked.refresh_from_db()
    assert locked.figures["progress"]["started"]["cumulative"]["households"] == 330
    later = client.get(URL, {"period": "2023-04", "region": "370902"}).json()
    variances = later["variances"]
    assert variances["against"]["period"] == "2023-03"
    assert variances["against"]["submitted_by"] == "clerk"
    change = {c["figure"]: c for c in variances["changes"]}
    assert change["progress.started.cumulative.households"]["change"] == 10
    assert change["progress.started.cumulative.households"]["now"] == 340
    assert {"type": "community", "id": community.pk, "name": "甲"} in [
        {k: r[k] for k in ("type", "id", "name")} for r in variances["records"]
    ]
    listed = client.get(f"{API}/reports/submitted/").json()
    assert [row["period"] for row in listed["results"]] == ["2023-03"]


def test_submitting_needs_the_permission(world, django_user_model):
    client = api_client(_clerk(django_user_model, submit=False))
    response = client.post(
        f"{URL}submit/", {"period": "2023-03", "region": "370902"}, format="json"
    )
    assert response.status_code == 403
    assert not SubmittedReturn.objects.exists()


def test_a_clerk_cannot_submit_or_list_another_districts_returns(world, django_user_model):
    root = make_user(is_staff=True, is_superuser=True)
    api_client(root).post(f"{URL}submit/", {"period": "2023-03", "region": "370911"}, format="json")
    api_client(root).post(f"{URL}submit/", {"period": "2023-03", "region": "3709"}, format="json")
    client = api_client(_clerk(django_user_model))
    response = client.post(
        f"{URL}submit/", {"period": "2023-03", "region": "370911"}, format="json"
    )
    assert response.status_code == 403
    assert client.get(f"{API}/reports/submitted/").json()["results"] == []
    assert SubmittedReturn.objects.count() == 2


def test_the_xlsx_opens_and_its_totals_equal_the_json(world):
    client = api_client(make_user(is_staff=True, is_superuser=True))
    query = {"period": "2023-03", "region": "3709"}
    body = client.get(URL, query).json()
    response = client.get(URL, {**query, "format": "xlsx"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) == 5
    investment = workbook[workbook.sheetnames[3]]
    assert "3709" in investment["A1"].value and "2023-03" in investment["A1"].value
    rows = list(investment.iter_rows(min_row=3, values_only=True))
    assert rows[-1][0] == "合计"
    assert Decimal(str(rows[-1][1])) == Decimal(body["investment"]["total"]["cumulative"])
    assert isinstance(rows[-1][1], int | float)
    progress = workbook[workbook.sheetnames[1]]
    first = next(progress.iter_rows(min_row=3, max_row=3, values_only=True))
    assert first[1] == body["progress"]["started"]["cumulative"]["communities"]


def test_the_csv_has_the_same_rows(world):
    client = api_client(make_user(is_staff=True, is_superuser=True))
    response = client.get(URL, {"period": "2023-03", "region": "3709", "format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    total = next(row for row in rows if row and row[0] == "合计")
    assert Decimal(total[1]) == Decimal("515000.00")


# The staff page in the admin

PAGE = "/admin/communities/annualplan/returns/"


def test_the_staff_page_computes_submits_and_downloads(world, django_user_model, client):
    clerk = _clerk(django_user_model)
    clerk.is_staff = True
    clerk.save()
    client.force_login(clerk)
    page = client.get(PAGE, {"period": "2023-03", "region": "370902"})
    assert page.status_code == 200
    assert page.context["figures"]["progress"]["started"]["cumulative"]["communities"] == 3
    assert b'id="return-submit"' in page.content

    submitted = client.post(PAGE, {"period": "2023-03", "region": "370902"})
    assert submitted.status_code == 302
    assert SubmittedReturn.objects.get().submitted_by == clerk

    download = client.get(PAGE, {"period": "2023-03", "region": "370902", "download": "xlsx"})
    assert download.status_code == 200
    assert "2023" in load_workbook(io.BytesIO(download.content)).sheetnames[0]


def test_the_staff_page_refuses_another_district_and_bad_input(world, django_user_model, client):
    clerk = _clerk(django_user_model)
    clerk.is_staff = True
    clerk.save()
    client.force_login(clerk)
    for query in (
        {"period": "2023-03", "region": "370911"},
        {"period": "2023-3", "region": "370902"},
        {"period": "2023-03", "region": "37"},
    ):
        page = client.get(PAGE, query)
        assert page.status_code == 200, (query, page.content[:300])
        assert page.context["figures"] is None
        assert page.context["form"].errors
    # NUL bytes are refused before the page with a message (core middleware).
    assert client.get(PAGE, {"period": "2023-03", "region": "9\x00"}).status_code == 400
    refused = client.post(PAGE, {"period": "2023-03", "region": "370911"})
    assert refused.status_code == 200
    assert not SubmittedReturn.objects.exists()


def test_the_submitted_list_costs_the_same_queries_for_one_or_many(
    world, django_user_model, django_assert_num_queries
):
    root = make_user(is_staff=True, is_superuser=True)
    client = api_client(root)
    client.post(f"{URL}submit/", {"period": "2023-03", "region": "3709"}, format="json")
    # the token with its user; the count; the page with its submitters
    with django_assert_num_queries(3):
        assert len(client.get(f"{API}/reports/submitted/").json()["results"]) == 1
    for period in ("2023-04", "2023-05"):
        client.post(f"{URL}submit/", {"period": period, "region": "3709"}, format="json")
    with django_assert_num_queries(3):
        listed = client.get(f"{API}/reports/submitted/", {"region": "3709"}).json()
    assert [row["period"] for row in listed["results"]] == ["2023-05", "2023-04", "2023-03"]
