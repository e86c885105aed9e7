"""The community finder (``/communities/``), its CSV export and its GeoJSON link."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse

from communities.elevators.choices import ElevatorStage
from communities.places.choices import RenovationStatus
from communities.property.choices import ManagementMode
from communities.works.choices import FacilityKind
from tests.support import factories as f

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
LIST = "/communities/"
EXPORT = "/communities/export.csv"


def names(response) -> list[str]:
    assert response.status_code == 200
    return [community.name for community in response.context["page"].object_list]


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff"), "a byte-order mark lets spreadsheets read the Chinese"
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.fixture
def communities():
    taishan = f.make_district(code="370902", name="泰山区")
    daiyue = f.make_district(code="370911", name="岱岳区")
    leyuan = f.make_community(
        district=taishan,
        name="乐园小区",
        address="迎胜东路12号",
        renovation_status=RenovationStatus.COMPLETED,
        renovation_year=2021,
        started_on=date(2021, 3, 1),
        completed_on=date(2021, 10, 1),
        households=300,
    )
    songyuan = f.make_community(
        district=taishan,
        name="松园小区",
        address="东岳大街5号",
        renovation_status=RenovationStatus.COMPLETED,
        renovation_year=2022,
        households=900,
    )
    tianping = f.make_community(
        district=daiyue,
        name="天平花园",
        address="迎胜南路3号",
        renovation_status=RenovationStatus.PLANNED,
        renovation_year=2024,
        households=500,
    )
    mudan = f.make_community(district=daiyue, name="牡丹花园", households=100)
    f.make_elevator(building=f.make_building(community=mudan), stage=ElevatorStage.IN_SERVICE)
    f.make_service(community=leyuan, mode=ManagementMode.FALLBACK, contact_name="王秀英")
    f.make_service(community=songyuan, mode=ManagementMode.PROFESSIONAL)
    f.make_facility(community=songyuan, kind=FacilityKind.CHILDREN_PLAY_AREA, name="儿童乐园")
    return {"leyuan": leyuan, "songyuan": songyuan, "tianping": tianping, "mudan": mudan}


def test_the_list_shows_every_community_by_district_then_name(client, communities):
    # Within a district, names in pinyin order: 牡丹 (mu) before 天平 (tian).
    assert names(client.get(LIST)) == ["乐园小区", "松园小区", "牡丹花园", "天平花园"]


def test_searching_by_name_narrows_the_list(client, communities):
    assert names(client.get(LIST, {"q": "花园"})) == ["牡丹花园", "天平花园"]


def test_searching_by_address_narrows_the_list(client, communities):
    assert names(client.get(LIST, {"q": "迎胜"})) == ["乐园小区", "天平花园"]


def test_filtering_by_district(client, communities):
    assert names(client.get(LIST, {"district": "370911"})) == ["牡丹花园", "天平花园"]


def test_filtering_by_status(client, communities):
    assert names(client.get(LIST, {"status": "planned"})) == ["天平花园"]


def test_filtering_by_batch_year(client, communities):
    assert names(client.get(LIST, {"renovation_year": "2022"})) == ["松园小区"]


def test_filtering_by_property_mode(client, communities):
    assert names(client.get(LIST, {"property_mode": "fallback"})) == ["乐园小区"]
    assert names(client.get(LIST, {"property_mode": "none"})) == ["牡丹花园", "天平花园"]


def test_filtering_by_a_new_elevator_in_service(client, communities):
    assert names(client.get(LIST, {"has_elevator": "true"})) == ["牡丹花园"]
    assert "牡丹花园" not in names(client.get(LIST, {"has_elevator": "false"}))


def test_filtering_by_an_open_facility(client, communities):
    assert names(client.get(LIST, {"facility": "children_play_area"})) == ["松园小区"]


def test_filtering_by_property_service_today(client, communities):
    f.make_service(
        community=communities["tianping"],
        contract_start=date.today() - timedelta(days=90),
        contract_end=date.today() - timedelta(days=1),
    )
    assert names(client.get(LIST, {"property_service": "true"})) == ["乐园小区", "松园小区"]
    assert names(client.get(LIST, {"property_service": "false"})) == ["牡丹花园", "天平花园"]


def test_filters_combine(client, communities):
    response = client.get(LIST, {"district": "370902", "status": "completed", "q": "松"})
    assert names(response) == ["松园小区"]


def test_the_form_keeps_the_chosen_filters(client, communities):
    response = client.get(LIST, {"district": "370911", "q": "花园", "sort": "name"}, **EN)
    content = response.content.decode()

    assert 'name="q" value="花园"' in content
    assert '<option value="370911" selected>' in content
    assert '<option value="name" selected>' in content


def test_a_malformed_filter_is_shown_as_an_error_not_ignored(client, communities):
    response = client.get(LIST, {"renovation_year": "soon"}, **EN)

    assert response.status_code == 200
    assert names(response) == []
    assert 'role="alert"' in response.content.decode()


def test_an_unknown_district_is_an_error(client, communities):
    response = client.get(LIST, {"district": "999999"})

    assert names(response) == []
    assert response.context["valid"] is False


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-households", ["松园小区", "天平花园", "乐园小区", "牡丹花园"]),
        ("-renovation_year", ["天平花园", "松园小区", "乐园小区", "牡丹花园"]),
        ("renovation_year", ["乐园小区", "松园小区", "天平花园", "牡丹花园"]),
        ("-completed_on", ["松园小区", "乐园小区", "牡丹花园", "天平花园"]),
    ],
)
def test_sorting(client, communities, sort, expected):
    assert names(client.get(LIST, {"sort": sort})) == expected


def test_sorting_by_name_ignores_the_district(client):
    # Latin initials, so the order is the same under every database collation.
    f.make_district(code="370902", name="泰山区")
    f.make_community(district=f.make_district(code="370902"), name="C 小区")
    f.make_community(district=f.make_district(code="370911", name="岱岳区"), name="A 小区")
    f.make_community(district=f.make_district(code="370902"), name="B 小区")

    assert names(client.get(LIST, {"sort": "name"})) == ["A 小区", "B 小区", "C 小区"]


def test_an_unknown_sort_falls_back_to_the_default(client, communities):
    assert names(client.get(LIST, {"sort": "password"})) == names(client.get(LIST))


def test_the_list_is_paginated_and_page_links_keep_the_filters(client):
    district = f.make_district(code="370902", name="泰山区")
    for number in range(30):
        f.make_community(district=district, name=f"小区{number:02d}")

    first = client.get(LIST, {"district": "370902", "sort": "name"})
    second = client.get(LIST, {"district": "370902", "sort": "name", "page": "2"})

    assert len(names(first)) == 25
    assert names(second) == [f"小区{number:02d}" for number in range(25, 30)]
    assert 'href="?district=370902&amp;sort=name&amp;page=2"' in first.content.decode()


def test_a_search_counts_up_to_its_cap_and_then_says_more_than(client, monkeypatch):
    """A search by words counts no further than ``SEARCH_COUNT_MAX`` (a national search of
    two common characters matches thousands); its pages stop there, with a way to narrow it."""
    monkeypatch.setattr("communities.site.views.SEARCH_COUNT_MAX", 30)
    district = f.make_district(code="370902", name="泰山区")
    for number in range(31):
        f.make_community(district=district, name=f"和平{number:02d}")

    first = client.get(LIST, {"q": "和平", "sort": "name"}, **EN)
    html = first.content.decode()
    past_the_cap = client.get(LIST, {"q": "和平", "sort": "name", "page": "3"}, **EN)

    assert "More than 30 communities" in html and "31 communities" not in html
    assert "The first 30 are listed: add a district" in html
    assert "Page 1 of 2" in html
    assert names(past_the_cap) == [f"和平{number:02d}" for number in range(25, 30)]
    chinese = client.get(LIST, {"q": "和平"}).content.decode()
    assert "超过30个小区" in chinese and "仅列出前30个" in chinese


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        ({"q": "和平"}, "30 communities"),  # at the cap: counted exactly
        ({"district": "370902"}, "31 communities"),  # a filter is always counted
    ],
)
def test_a_search_at_its_cap_and_a_filtered_list_count_exactly(client, monkeypatch, params, shown):
    monkeypatch.setattr("communities.site.views.SEARCH_COUNT_MAX", 30)
    district = f.make_district(code="370902", name="泰山区")
    for number in range(30):
        f.make_community(district=district, name=f"和平{number:02d}")
    f.make_community(district=district, name="松园小区")

    html = client.get(LIST, params, **EN).content.decode()

    assert shown in html and "More than" not in html and "The first" not in html


def test_the_downloads_carry_the_filters_on_screen(client, communities):
    response = client.get(LIST, {"district": "370911", "q": "花园", "page": "1", "sort": "name"})

    filters = "district=370911&q=%E8%8A%B1%E5%9B%AD"
    assert response.context["csv_url"] == f"{EXPORT}?{filters}"
    geojson = reverse("api:community-geojson")
    assert response.context["geojson_download_url"] == f"{geojson}?format=json&{filters}"
    content = response.content.decode()
    assert f'href="{EXPORT}?{filters.replace("&", "&amp;")}"' in content
    assert f'href="{geojson}?format=json&amp;{filters.replace("&", "&amp;")}"' in content


def test_the_geojson_download_lists_the_communities_on_screen(client, communities):
    response = client.get(LIST, {"district": "370902", "status": "completed"})

    # What a browser asks for when it follows a link; it must get JSON, not the API's HTML.
    browser_accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    download = client.get(response.context["geojson_download_url"], HTTP_ACCEPT=browser_accept)
    assert download["Content-Type"].startswith("application/json")
    assert {feature["properties"]["id"] for feature in download.json()["features"]} == {
        community.pk for community in response.context["page"].object_list
    }


def test_the_map_of_results_loads_the_same_geojson(client, communities):
    response = client.get(LIST, {"status": "completed"})

    content = response.content.decode()
    assert 'data-geojson="/api/v1/communities/geojson/?status=completed"' in content


def test_the_csv_export_has_every_matching_community_in_the_lists_order(client, communities):
    rows = csv_rows(client.get(EXPORT, {"district": "370902", "sort": "-households"}))

    assert [row["name"] for row in rows] == ["松园小区", "乐园小区"]
    leyuan = rows[1]
    assert leyuan["district_code"] == "370902"
    assert leyuan["district"] == "泰山区"
    assert leyuan["address"] == "迎胜东路12号"
    assert leyuan["status"] == "completed"
    assert leyuan["renovation_year"] == "2021"
    assert leyuan["completed_on"] == "2021-10-01"
    assert leyuan["households"] == "300"
    assert leyuan["url"] == f"http://testserver/communities/{communities['leyuan'].pk}/"


def test_the_csv_export_is_not_paginated(client):
    district = f.make_district(code="370902", name="泰山区")
    for _number in range(30):
        f.make_community(district=district)

    assert len(csv_rows(client.get(EXPORT, {"page": "1"}))) == 30


def test_the_csv_export_is_a_download(client, communities):
    response = client.get(EXPORT)

    assert response["Content-Disposition"].startswith('attachment; filename="communities-')


def test_the_csv_export_refuses_a_malformed_filter(client, communities):
    response = client.get(EXPORT, {"has_elevator": "maybe"})

    assert response.status_code == 400
    assert "has_elevator" in response.content.decode()


def test_no_resident_or_contact_name_is_ever_shown(client, communities):
    page = client.get(LIST).content.decode()
    export = b"".join(client.get(EXPORT).streaming_content).decode()

    assert "王秀英" not in page
    assert "王秀英" not in export


@pytest.mark.parametrize("communities_count", [3, 30])
def test_the_list_runs_the_same_queries_however_many_communities(
    client, django_assert_num_queries, communities_count
):
    district = f.make_district(code="370902", name="泰山区")
    for number in range(communities_count):
        community = f.make_community(
            district=district, renovation_status=RenovationStatus.PLANNED, renovation_year=2024
        )
        f.make_item(community=community)
        f.make_service(community=community, provider_name=f"物业{number}")
    # 1 district named in ?district=, 1 count, 1 page of communities with their district,
    # 1 batch years and 1 districts for the form, 1 bounds of the map.
    with django_assert_num_queries(6):
        response = client.get(LIST, {"district": "370902", "q": "小区"})
    assert response.status_code == 200


@pytest.mark.parametrize("communities_count", [3, 30])
def test_the_export_runs_the_same_queries_however_many_communities(
    client, django_assert_num_queries, communities_count
):
    district = f.make_district(code="370902", name="泰山区")
    for _number in range(communities_count):
        f.make_community(district=district)
    # 1 district named in ?district=, 1 communities with their district.
    with django_assert_num_queries(2):
        rows = csv_rows(client.get(EXPORT, {"district": "370902"}))
    assert len(rows) == communities_count
