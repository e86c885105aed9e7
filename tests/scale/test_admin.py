"""The staff admin's community changelist at national scale: indexed search, estimated counts
and batch-year choices, with query counts that stay the same however many rows there are."""

import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.access.choices import Role
from communities.core.admin import SelectRelatedFilter
from communities.core.api import pagination
from communities.dossier.admin import completion_years
from communities.places.choices import RenovationStatus
from communities.places.models import Community, District
from tests.support.api import make_user
from tests.support.factories import make_busy_community, make_community, make_district

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:communities_community_changelist")
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's planner estimate and trigram indexes"
)


def listed(response) -> set[str]:
    assert response.status_code == 200
    return {community.name for community in response.context["cl"].result_list}


@pytest.fixture
def communities():
    taishan = make_district(code="370902", name="泰山区")
    daiyue = make_district(code="370911", name="岱岳区")
    make_community(
        district=taishan,
        name="乐园小区",
        address="迎胜东路12号",
        subdistrict="岱庙街道",
        neighbourhood="乐园社区",
    )
    make_community(
        district=taishan,
        name="松园小区",
        address="东岳大街5号",
        subdistrict="财源街道",
        neighbourhood="松园社区",
    )
    make_community(
        district=daiyue,
        name="天平花园",
        address="迎胜南路3号",
        subdistrict="天平街道",
        neighbourhood="天平社区",
    )


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("乐园", {"乐园小区"}),
        ("迎胜", {"乐园小区", "天平花园"}),
        ("财源街道", {"松园小区"}),
        ("天平社区", {"天平花园"}),
        ("岱岳", {"天平花园"}),
        ("泰山区", {"乐园小区", "松园小区"}),
    ],
    ids=["name", "address", "subdistrict", "neighbourhood", "district", "whole district name"],
)
def test_the_changelist_searches_each_column_and_the_district_name(
    staff_client, communities, search, expected
):
    assert listed(staff_client.get(CHANGELIST, {"q": search})) == expected


def test_every_word_of_a_search_must_match_somewhere(staff_client, communities):
    assert listed(staff_client.get(CHANGELIST, {"q": "泰山 迎胜"})) == {"乐园小区"}
    assert listed(staff_client.get(CHANGELIST, {"q": "岱岳 东岳"})) == set()


def test_a_quoted_phrase_is_searched_as_one_word(staff_client, communities):
    assert listed(staff_client.get(CHANGELIST, {"q": '"迎胜东路12号"'})) == {"乐园小区"}
    assert listed(staff_client.get(CHANGELIST, {"q": '"乐园 小区"'})) == set()


def test_a_search_is_case_insensitive(staff_client):
    make_community(name="Garden Court 7")

    assert listed(staff_client.get(CHANGELIST, {"q": "garden"})) == {"Garden Court 7"}


@pytest.mark.parametrize("rows", [3, 30])
def test_a_searched_changelist_runs_the_same_queries_however_many_rows(
    staff_client, django_assert_num_queries, rows
):
    for _row in range(rows):
        make_busy_community(name="幸福小区")
    staff_client.get(CHANGELIST)

    # session, user, districts whose name holds the word, district filter options, count,
    # the page's rows (district joined; items, budget and progress as subqueries), date
    # hierarchy bounds (none completed: no year to probe), batch-year filter options
    with django_assert_num_queries(8):
        response = staff_client.get(CHANGELIST, {"q": "幸福"})
    assert response.context["cl"].result_count == rows


@on_postgresql
def test_the_unfiltered_changelist_counts_with_the_planner_estimate(staff_client, monkeypatch):
    monkeypatch.setattr(pagination, "ESTIMATE_COUNT_FROM", 2)
    district, other = make_district(), make_district()
    for _row in range(3):
        make_community(district=district)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE communities_community")
    make_community(district=district)  # not yet in the planner's statistics
    make_community(district=other)

    assert staff_client.get(CHANGELIST).context["cl"].result_count == 3
    filtered = staff_client.get(CHANGELIST, {"district__id__exact": district.pk})
    assert filtered.context["cl"].result_count == 4


@on_postgresql
def test_the_searched_columns_have_trigram_indexes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
            [Community._meta.db_table, "%gin_trgm_ops%"],
        )
        definitions = " ".join(row[0] for row in cursor.fetchall())
    for column in ("name", "address", "subdistrict", "neighbourhood"):
        assert f"upper(({column})::text) gin_trgm_ops" in definitions


def test_a_completed_community_is_found_by_its_batch_year(staff_client):
    wanted = make_community(renovation_status=RenovationStatus.PLANNED, renovation_year=2024)
    make_community(renovation_status=RenovationStatus.PLANNED, renovation_year=2021)

    response = staff_client.get(CHANGELIST, {"renovation_year": 2024})

    assert list(response.context["cl"].result_list) == [wanted]


def test_many_districts_are_one_autocomplete_that_keeps_the_other_filters(
    staff_client, monkeypatch
):
    monkeypatch.setattr(SelectRelatedFilter, "LINKS_UP_TO", 2)
    districts = [
        make_district(code=code, name=name)
        for code, name in (("370902", "泰山区"), ("370911", "岱岳区"), ("370982", "新泰市"))
    ]
    wanted = make_community(district=districts[1], renovation_status=RenovationStatus.PLANNED)
    make_community(district=districts[2], renovation_status=RenovationStatus.PLANNED)

    response = staff_client.get(
        CHANGELIST,
        {"district__id__exact": districts[1].pk, "renovation_status__exact": "planned", "p": 1},
    )

    page = response.content.decode()
    form = re.search(r'<form method="get" class="select-filter">.*?</form>', page, re.S)[0]
    assert '<input type="hidden" name="renovation_status__exact" value="planned">' in form
    assert 'name="p"' not in form
    # Only the chosen district is written into the page: select2 asks for the others.
    select = re.search(r"<select [^>]*>", form)[0]
    assert 'class="admin-autocomplete"' in select
    assert 'name="district__id__exact"' in select
    options = re.findall(r'<option value="(\d*)"( selected)?>([^<]*)<', form)
    assert options == [("", "", ""), (str(districts[1].pk), " selected", "岱岳区")]
    assert "admin/js/vendor/select2/select2.full" in page
    assert "admin/js/autocomplete.js" in page
    assert list(response.context["cl"].result_list) == [wanted]

    # What select2 asks, with the select's own data attributes, Django's view answers.
    params = dict(re.findall(r'data-(app-label|model-name|field-name)="([^"]*)"', select))
    answer = staff_client.get(
        re.search(r'data-ajax--url="([^"]*)"', select)[1],
        {
            "term": "新泰",
            "app_label": params["app-label"],
            "model_name": params["model-name"],
            "field_name": params["field-name"],
        },
    )
    assert answer.json()["results"] == [{"id": str(districts[2].pk), "text": "新泰市"}]


def test_the_autocomplete_reads_no_district_but_the_chosen_one(staff_client, monkeypatch):
    monkeypatch.setattr(SelectRelatedFilter, "LINKS_UP_TO", 2)
    for code in ("370902", "370911", "370982"):
        make_district(code=code)

    with CaptureQueriesContext(connection) as queries:
        page = staff_client.get(CHANGELIST).content.decode()

    district_reads = [
        query["sql"]
        for query in queries
        if re.match(r'SELECT [^;]* FROM "communities_district"', query["sql"])
    ]
    assert len(district_reads) == 1 and "LIMIT 3" in district_reads[0]
    assert 'class="admin-autocomplete"' in page
    assert not re.search(r'<option value="\d+"', page.split('class="select-filter"')[1])


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("99999999999999999999", 200),  # beyond the key's range: no district, no error
        ("1" * 400, 200),
        ("-1", 200),
        ("abc", 302),  # Django's changelist sends wrong lookups back with ?e=1
        ("1e3", 302),
    ],
)
def test_an_odd_district_key_chooses_nothing_and_breaks_nothing(
    staff_client, monkeypatch, value, status
):
    monkeypatch.setattr(SelectRelatedFilter, "LINKS_UP_TO", 2)
    for code in ("370902", "370911", "370982"):
        make_community(district=make_district(code=code))

    response = staff_client.get(CHANGELIST, {"district__id__exact": value})

    assert response.status_code == status
    if status == 200:
        assert response.context["cl"].result_count == 0
        form = re.search(
            r'<form method="get" class="select-filter">.*?</form>', response.content.decode(), re.S
        )[0]
        assert re.findall(r"<option[^>]*>", form) == ['<option value="">']


def test_without_the_districts_to_search_the_select_offers_every_district(client, monkeypatch):
    """Staff who may not view districts can't use the autocomplete (Django's view would refuse
    them): they get the plain select of every district."""
    monkeypatch.setattr(SelectRelatedFilter, "LINKS_UP_TO", 2)
    districts = [make_district(code=code) for code in ("370902", "370911", "370982")]
    wanted = make_community(district=districts[1], renovation_status=RenovationStatus.PLANNED)
    client.force_login(make_user("communities.view_community", is_staff=True))

    response = client.get(CHANGELIST, {"district__id__exact": districts[1].pk})

    page = response.content.decode()
    form = re.search(r'<form method="get" class="select-filter">.*?</form>', page, re.S)[0]
    assert "admin-autocomplete" not in form
    options = re.findall(r'<option value="(\d*)"( selected)?>', form)
    assert options == [("", "")] + [
        (str(district.pk), " selected" if district == districts[1] else "")
        for district in districts
    ]
    assert list(response.context["cl"].result_list) == [wanted]


def test_a_few_districts_are_links_as_django_draws_them(staff_client):
    district = make_district(code="370902", name="泰山区")
    make_community(district=district)
    make_community(district=make_district(code="370911", name="岱岳区"))

    page = staff_client.get(CHANGELIST).content.decode()

    assert f'href="?district__id__exact={district.pk}"' in page
    assert 'class="select-filter"' not in page


def test_the_batch_years_offered_are_those_in_use_oldest_first_and_none(staff_client):
    for year in (2024, 2021, 2024):
        make_community(renovation_status=RenovationStatus.PLANNED, renovation_year=year)
    make_community()

    response = staff_client.get(CHANGELIST)

    [years] = [spec for spec in response.context["cl"].filter_specs if spec.title == "改造批次年度"]
    assert list(years.lookup_choices) == [2021, 2024, None]
    chosen = staff_client.get(CHANGELIST, {"renovation_year__isnull": "True"})
    assert [c.renovation_year for c in chosen.context["cl"].result_list] == [None]


def test_district_staff_are_offered_the_batch_years_of_their_own_district(django_user_model):
    taishan = make_district(code="370902", name="泰山区")
    make_community(
        district=taishan, renovation_status=RenovationStatus.PLANNED, renovation_year=2023
    )
    make_community(renovation_status=RenovationStatus.PLANNED, renovation_year=2019)
    django_user_model.objects.create_user("clerk", password="pw-clerk-9x!")
    call_command(
        "grant_role", "clerk", Role.DISTRICT_STAFF, "--district", taishan.code, stdout=StringIO()
    )
    client = Client()
    client.force_login(django_user_model.objects.get(username="clerk"))

    response = client.get(CHANGELIST)

    [years] = [spec for spec in response.context["cl"].filter_specs if spec.title == "改造批次年度"]
    assert list(years.lookup_choices) == [2023]


def test_the_date_hierarchy_offers_each_year_of_completion(staff_client):
    for year in (2021, 2022, 2022, 2024):
        make_community(
            renovation_status=RenovationStatus.COMPLETED,
            started_on=date(year, 1, 1),
            completed_on=date(year, 12, 31),
        )
    make_community(renovation_status=RenovationStatus.PLANNED)

    page = staff_client.get(CHANGELIST).content.decode()

    assert completion_years() == [2024, 2022, 2021]
    hierarchy = re.search(r'<nav class="toplinks">.*?</nav>', page, re.S)[0]
    assert re.findall(r"completed_on__year=(\d+)", hierarchy) == ["2021", "2022", "2024"]
    chosen = staff_client.get(CHANGELIST, {"completed_on__year": 2022})
    assert chosen.context["cl"].result_count == 2


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_action_checkbox_is_djangos_own_markup(language):
    from django.contrib import admin
    from django.utils import translation

    district = make_district(name='泰山<区">')
    model_admin = admin.site._registry[District]

    with translation.override(language):
        assert model_admin.action_checkbox(district) == admin.ModelAdmin.action_checkbox(
            model_admin, district
        )
