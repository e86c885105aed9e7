"""The admin at national scale: sorting by a computed column and the repair measures page are
bounded (a message instead of a page that takes longer than anyone waits), as the API is."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from communities.dossier import admin as dossier_admin
from communities.repairs import selectors as repair_selectors
from tests.support.factories import make_community, make_district, make_item
from tests.support.repairs import make_request

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:communities_community_changelist")
MEASURES = "/admin/communities/repairrequest/measures/"


@pytest.fixture
def budgets():
    """Three communities whose budgets sort the other way from their names; two in Taishan."""
    taishan = make_district(code="370902", name="泰山区")
    rows = []
    for name, budget, district in [
        ("阿小区", "1000.00", taishan),
        ("博小区", "5000.00", taishan),
        ("车小区", "9000.00", None),
    ]:
        community = make_community(name=name, **({"district": district} if district else {}))
        make_item(community=community, budget=Decimal(budget))
        rows.append(community)
    return taishan, rows


def _by_budget(client, **params):
    columns = client.get(CHANGELIST).context["cl"].list_display
    query = {"o": f"-{columns.index('budget')}", **params}
    return client.get(CHANGELIST, query, HTTP_ACCEPT_LANGUAGE="en")


def _warnings(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_sorting_by_budget_within_the_bound_sorts(staff_client, budgets, monkeypatch):
    monkeypatch.setattr(dossier_admin, "COMPUTED_SORT_MAX", 3)
    _taishan, (a, b, c) = budgets

    response = _by_budget(staff_client)

    assert list(response.context["cl"].result_list) == [c, b, a]
    assert _warnings(response) == []


def test_sorting_by_budget_past_the_bound_keeps_the_order_and_says_why(
    staff_client, budgets, monkeypatch, english
):
    monkeypatch.setattr(dossier_admin, "COMPUTED_SORT_MAX", 2)
    taishan, (a, b, c) = budgets

    everywhere = _by_budget(staff_client)
    one_district = _by_budget(staff_client, district__id__exact=taishan.pk)

    # The default order (district, then name in pinyin), the page still answered.
    assert everywhere.status_code == 200
    assert list(everywhere.context["cl"].result_list) == sorted(
        [a, b, c], key=lambda x: (x.district.code, x.name_sort)
    )
    assert _warnings(everywhere) == [
        "Sorting by items, budget or progress needs at most 2 communities: "
        "filter by district or batch year first."
    ]
    assert list(one_district.context["cl"].result_list) == [b, a]
    assert _warnings(one_district) == []


def test_a_bounded_sort_costs_one_query_more(staff_client, budgets, django_assert_num_queries):
    columns = staff_client.get(CHANGELIST).context["cl"].list_display
    params = {"o": f"-{columns.index('budget')}"}
    staff_client.get(CHANGELIST, params)

    # session, user, the capped count of the communities listed, district filter options,
    # count, the page's rows, date hierarchy bounds and years, batch-year filter options
    with django_assert_num_queries(9):
        staff_client.get(CHANGELIST, params)
    # Unsorted: no capped count.
    with django_assert_num_queries(8):
        staff_client.get(CHANGELIST)


def test_the_citywide_measures_page_past_the_bound_asks_for_a_district(
    staff_client, monkeypatch, english
):
    monkeypatch.setattr(repair_selectors, "CITYWIDE_MEASURES_MAX", 1)
    first = make_request()
    make_request()

    citywide = staff_client.get(MEASURES, HTTP_ACCEPT_LANGUAGE="en")
    one_district = staff_client.get(MEASURES, {"district": first.community.district.pk})

    assert citywide.status_code == 200
    assert "overall_rows" not in citywide.context
    assert _warnings(citywide) == [
        "More than 1 repair requests match: choose a district or a community."
    ]
    assert "Overall" not in citywide.content.decode()
    assert one_district.context["overall_rows"][0]["requests"] == 1
    assert _warnings(one_district) == []


def test_the_citywide_management_table_past_the_bound_asks_for_a_district(
    staff_client, monkeypatch, english
):
    from communities.repairs import admin as repairs_admin

    monkeypatch.setattr(repairs_admin, "MODES_CITYWIDE_MAX", 1)
    first = make_community()
    make_community()

    citywide = staff_client.get(MEASURES, HTTP_ACCEPT_LANGUAGE="en")
    one_district = staff_client.get(MEASURES, {"district": first.district.pk})

    assert citywide.context["modes"] == []
    assert _warnings(citywide) == [
        "The classified management table covers more than 1 communities: choose a district."
    ]
    assert sum(row["communities"] for row in one_district.context["modes"]) == 1
    assert _warnings(one_district) == []


def test_a_searched_changelist_offers_the_years_its_communities_were_completed(
    staff_client, django_assert_max_num_queries
):
    from datetime import date

    from communities.places.choices import RenovationStatus
    from communities.places.models import Community

    for name, completed in [
        ("和平小区", date(2019, 6, 1)),
        ("和平北区", date(2022, 3, 1)),
        ("光明小区", date(2020, 5, 1)),  # another name: its year is not offered
        ("和平南区", None),
    ]:
        make_community(
            name=name,
            renovation_year=2019,
            started_on=date(2019, 3, 1) if completed else None,
            completed_on=completed,
            renovation_status=RenovationStatus.COMPLETED if completed else RenovationStatus.PLANNED,
        )
    searched = dossier_admin.CommunityAdminQuerySet(Community).filter(name__contains="和平")

    # The bounds, then one statement probing each of 2019…2022.
    with django_assert_max_num_queries(2):
        years = searched.dates("completed_on", "year")

    assert years == [date(2019, 1, 1), date(2022, 1, 1)]
    assert searched.dates("completed_on", "year", order="DESC") == years[::-1]
    assert years == list(
        Community.objects.filter(name__contains="和平").dates("completed_on", "year")
    )
    response = staff_client.get(CHANGELIST, {"q": "和平"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "completed_on__year=2022" in page and "completed_on__year=2020" not in page


def test_a_probe_compiled_otherwise_is_sent_year_by_year_with_the_same_answer(
    monkeypatch, django_assert_num_queries
):
    """The one statement reuses the probe compiled for a placeholder year, its dates the last
    two parameters; compiled in another order, the years are probed one query each."""
    from datetime import date

    from communities.places.choices import RenovationStatus
    from communities.places.models import Community

    for completed in (date(2019, 6, 1), date(2021, 3, 1)):
        make_community(
            name="和平小区",
            renovation_year=2019,
            started_on=date(2019, 3, 1),
            completed_on=completed,
            renovation_status=RenovationStatus.COMPLETED,
        )
    searched = dossier_admin.CommunityAdminQuerySet(Community).filter(name__contains="和平")
    in_one = searched._completion_years()
    completed_in = dossier_admin.CommunityAdminQuerySet._completed_in
    monkeypatch.setattr(
        dossier_admin.CommunityAdminQuerySet,
        "_completed_in",
        lambda self, year: completed_in(self, year).filter(households__gte=0),
    )

    with django_assert_num_queries(1 + 3):  # the bounds, then 2019, 2020 and 2021
        year_by_year = searched._completion_years()

    assert in_one == year_by_year == [2019, 2021]


def test_the_date_hierarchy_reads_its_bounds_once_and_a_narrow_search_its_years_at_once(
    staff_client,
):
    """A broad search: Django's own bounds query is reused by the probes; a narrow search (its
    ids found first): one DISTINCT over those ids instead of a probe per year."""
    from datetime import date

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from communities.places.choices import RenovationStatus

    for name, completed in [("和平小区", date(2019, 6, 1)), ("和平北区", date(2022, 3, 1))]:
        make_community(
            name=name,
            renovation_year=2019,
            started_on=date(2019, 3, 1),
            completed_on=completed,
            renovation_status=RenovationStatus.COMPLETED,
        )

    def years_queries(term: str) -> tuple[list[str], str]:
        with CaptureQueriesContext(connection) as queries:
            page = staff_client.get(CHANGELIST, {"q": term}).content.decode()
        sqls = [query["sql"] for query in queries if "completed_on" in query["sql"]]
        return sqls, page

    def probes(sqls: list[str]) -> list[int]:
        """The probes of each statement that probes years."""
        return [
            sql.count('"completed_on" >=')
            for sql in sqls
            if '"completed_on" >=' in sql and "LIMIT 1" in sql
        ]

    broad, page = years_queries("和平")
    assert sum("MIN(" in sql for sql in broad) == 1
    assert probes(broad) == [4]  # 2019…2022, in one statement
    assert "completed_on__year=2019" in page and "completed_on__year=2022" in page

    narrow, page = years_queries("和平北区")
    assert sum("MIN(" in sql for sql in narrow) == 1  # Django's, to choose the level
    assert sum("DISTINCT" in sql for sql in narrow) == 1 and probes(narrow) == []
    assert "2022" in page
