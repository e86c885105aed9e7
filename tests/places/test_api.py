"""The API's places: districts, communities and buildings, over HTTP."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from communities.places.choices import RenovationStatus, SafetyGrade
from communities.places.models import Building, Community, District
from communities.property.choices import ManagementMode
from communities.works.choices import FacilityKind
from tests.support.api import (
    API,
    api_client,
    assert_matches_schema,
    in_service_elevator,
    writer,
)
from tests.support.caching import watched_keys
from tests.support.factories import (
    make_building,
    make_community,
    make_district,
    make_elevator,
    make_facility,
    make_funding,
    make_item,
    make_service,
)

pytestmark = pytest.mark.django_db


def community_payload(in_district: District, **overrides) -> dict:
    payload = {
        "name": "松园小区",
        "district": in_district.code,
        "subdistrict": "岱庙街道",
        "neighbourhood": "松园社区",
        "address": "泰山区青年路12号",
        "latitude": "36.200000",
        "longitude": "117.100000",
        "year_built": 1992,
        "buildings_count": 12,
        "households": 480,
        "floor_area_m2": "36500.00",
        "renovation_year": 2022,
        "renovation_status": "completed",
        "started_on": "2022-03-01",
        "completed_on": "2022-11-30",
    }
    payload.update(overrides)
    return payload


# --- Districts --------------------------------------------------------------------------------


def test_districts_are_listed_anonymously_with_their_community_counts():
    taishan = make_district(code="370902", name="泰山区")
    make_district(code="370911", name="岱岳区")
    make_community(district=taishan)
    make_community(district=taishan)

    response = api_client().get(f"{API}/districts/")

    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()["results"]}
    assert rows["370902"]["name"] == "泰山区"
    assert rows["370902"]["communities_count"] == 2
    assert rows["370911"]["communities_count"] == 0
    assert rows["370902"]["url"].endswith(f"{API}/districts/370902/")
    assert rows["370902"]["site_url"].endswith("/districts/370902/")
    assert_matches_schema(response.json(), "/api/v1/districts/")


def test_a_district_is_looked_up_by_its_administrative_code():
    make_district(code="370983", name="肥城市")

    response = api_client().get(f"{API}/districts/370983/")

    assert response.status_code == 200
    assert response.json()["name"] == "肥城市"
    assert_matches_schema(response.json(), "/api/v1/districts/{code}/")


def test_it_creates_a_district_for_a_user_with_permission():
    response = writer("district").post(
        f"{API}/districts/", {"code": "370921", "name": "宁阳县"}, format="json"
    )

    assert response.status_code == 201, response.json()
    assert District.objects.get(code="370921").name == "宁阳县"
    assert response.json()["communities_count"] == 0


def test_it_rejects_a_district_code_that_is_not_six_digits():
    response = writer("district").post(
        f"{API}/districts/", {"code": "37090", "name": "泰山区"}, format="json"
    )

    assert response.status_code == 400
    assert "code" in response.json()
    assert not District.objects.filter(name="泰山区").exists()


def test_it_refuses_to_delete_a_district_that_still_has_communities_with_409():
    district = make_district(code="370902")
    make_community(district=district)

    response = writer("district").delete(f"{API}/districts/370902/")

    assert response.status_code == 409
    assert "detail" in response.json()
    assert District.objects.filter(code="370902").exists()


def test_it_deletes_a_district_without_communities():
    make_district(code="370923")

    response = writer("district").delete(f"{API}/districts/370923/")

    assert response.status_code == 204
    assert not District.objects.filter(code="370923").exists()


# --- Communities: reading ---------------------------------------------------------------------

LIST_FIELDS = {
    "id",
    "url",
    "site_url",
    "name",
    "district",
    "district_name",
    "subdistrict",
    "neighbourhood",
    "address",
    "latitude",
    "longitude",
    "year_built",
    "buildings_count",
    "households",
    "floor_area_m2",
    "renovation_year",
    "renovation_status",
    "renovation_status_display",
    "started_on",
    "completed_on",
    "is_demonstration",
    "demonstration_note",
    "created_at",
    "updated_at",
}


def test_the_community_list_is_lean_and_names_fields_as_the_issue_does():
    community = make_community(
        district=make_district(code="370902", name="泰山区"),
        renovation_status=RenovationStatus.UNDER_CONSTRUCTION,
    )
    make_item(community=community)

    response = api_client().get(f"{API}/communities/")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    (row,) = body["results"]
    assert set(row) == LIST_FIELDS
    assert row["district"] == "370902"
    assert row["district_name"] == "泰山区"
    assert row["renovation_status"] == "under_construction"
    assert row["started_on"] == "2022-03-01"
    assert row["floor_area_m2"] == "10000.00"
    assert row["latitude"] == "36.190000"
    assert_matches_schema(body, "/api/v1/communities/")


def test_it_labels_choices_in_the_language_of_accept_language():
    make_community(renovation_status=RenovationStatus.COMPLETED)

    english = api_client().get(f"{API}/communities/", HTTP_ACCEPT_LANGUAGE="en")
    default = api_client().get(f"{API}/communities/")

    assert english.json()["results"][0]["renovation_status_display"] == "Completed"
    assert english["Content-Language"] == "en"
    assert default["Content-Language"] == "zh-hans"


def test_the_community_detail_nests_what_a_reader_of_one_community_wants():
    community = make_community(
        district=make_district(code="370902", name="泰山区"),
        renovation_status=RenovationStatus.COMPLETED,
    )
    sound = make_building(
        community=community,
        label="1号楼",
        safety_grade=SafetyGrade.A,
        appraised_on=date(2021, 5, 1),
    )
    make_building(
        community=community,
        label="2号楼",
        safety_grade=SafetyGrade.C,
        appraised_on=date(2021, 5, 1),
    )
    make_building(community=community, label="3号楼")
    item = make_item(community=community, budget=Decimal("200000.00"))
    make_funding(item=item, source="central_subsidy", amount=Decimal("120000.00"))
    make_funding(item=item, source="residents", amount=Decimal("30000.00"))
    make_facility(community=community, name="幸福食堂")
    make_service(
        community=community, contract_start=date(2020, 1, 1), contract_end=date(2021, 12, 31)
    )
    current = make_service(
        community=community, provider_name="东湖红色物业", contract_start=date(2022, 1, 1)
    )
    in_service_elevator(building=sound)

    response = api_client().get(f"{API}/communities/{community.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert set(body) > LIST_FIELDS
    assert body["district"] == "370902" and body["district_name"] == "泰山区"
    assert body["buildings"]["count"] == 3
    grades = {row["safety_grade"]: row["count"] for row in body["buildings"]["by_safety_grade"]}
    assert grades == {"unappraised": 1, "A": 1, "B": 0, "C": 1, "D": 0}
    assert [b["label"] for b in body["buildings"]["list"]] == ["1号楼", "2号楼", "3号楼"]
    (item_row,) = body["items"]
    assert item_row["kind"] == "roads"
    assert item_row["category"] == "basic"
    assert item_row["funding_total"] == "150000.00"
    assert {line["source"]: line["amount"] for line in item_row["funding"]} == {
        "central_subsidy": "120000.00",
        "residents": "30000.00",
    }
    assert [f["name"] for f in body["facilities"]] == ["幸福食堂"]
    assert body["property_service"]["id"] == current.pk
    assert body["property_service"]["mode"] == ManagementMode.PROFESSIONAL
    (elevator,) = body["elevators"]
    assert elevator["stage"] == "in_service"
    assert elevator["building_label"] == "1号楼"
    assert_matches_schema(body, "/api/v1/communities/{id}/")


def test_the_community_detail_has_no_property_service_when_no_contract_covers_today():
    community = make_community()
    make_service(
        community=community, contract_start=date(2020, 1, 1), contract_end=date(2020, 12, 31)
    )

    body = api_client().get(f"{API}/communities/{community.pk}/").json()

    assert body["property_service"] is None
    assert_matches_schema(body, "/api/v1/communities/{id}/")


def test_an_unknown_community_is_404():
    assert api_client().get(f"{API}/communities/999999/").status_code == 404


# --- Communities: query counts ----------------------------------------------------------------


def _communities(count: int) -> None:
    district = make_district(code="370902")
    for _ in range(count):
        make_community(district=district, renovation_status=RenovationStatus.PLANNED)


@pytest.mark.parametrize("rows", [5, 50])
def test_the_community_list_runs_two_queries_whatever_the_page_size(
    rows, django_assert_num_queries
):
    _communities(rows)
    client = api_client()

    # 1. count  2. the page of communities joined with their district
    with django_assert_num_queries(2):
        response = client.get(f"{API}/communities/?page_size={rows}")

    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("children", [5, 50])
def test_the_community_detail_runs_seven_queries_however_much_it_holds(
    children, django_assert_num_queries
):
    community = make_community()
    for number in range(children):
        building = make_building(community=community, label=f"{number}号楼")
        make_elevator(building=building)
        item = make_item(community=community, building=building)
        make_funding(item=item)
        make_facility(community=community, name=f"设施{number}")
    make_service(community=community)
    client = api_client()

    # 1. community + district  2. buildings  3. their elevator retrofits  4. items + kind +
    # building + funding sum  5. funding lines  6. facilities  7. the service covering today
    with django_assert_num_queries(7):
        response = client.get(f"{API}/communities/{community.pk}/")

    assert len(response.json()["items"]) == children


# --- Communities: writing ---------------------------------------------------------------------


def test_it_creates_a_community_with_every_field_of_the_issue():
    district = make_district(code="370902")
    client = writer("community")

    response = client.post(f"{API}/communities/", community_payload(district), format="json")

    assert response.status_code == 201, response.json()
    community = Community.objects.get(pk=response.json()["id"])
    assert community.district == district
    assert community.renovation_status == RenovationStatus.COMPLETED
    assert community.floor_area_m2 == Decimal("36500.00")
    assert community.completed_on == date(2022, 11, 30)
    assert response.json()["district_name"] == district.name


def test_a_write_is_recorded_in_history_under_the_token_user():
    district = make_district(code="370902")
    client = writer("community")

    response = client.post(f"{API}/communities/", community_payload(district), format="json")

    community = Community.objects.get(pk=response.json()["id"])
    assert community.history.get().history_user.username.startswith("api-user-")


def test_it_updates_a_community_partially():
    community = make_community(renovation_status=RenovationStatus.PLANNED)

    response = writer("community").patch(
        f"{API}/communities/{community.pk}/",
        {"renovation_status": "under_construction", "started_on": "2023-04-01"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    community.refresh_from_db()
    assert community.renovation_status == RenovationStatus.UNDER_CONSTRUCTION
    assert community.started_on == date(2023, 4, 1)
    assert_matches_schema(response.json(), "/api/v1/communities/{id}/", "patch")


def test_it_replaces_a_community_with_put():
    community = make_community()
    district = make_district(code="370911")

    response = writer("community").put(
        f"{API}/communities/{community.pk}/",
        community_payload(district, name="天平花园"),
        format="json",
    )

    assert response.status_code == 200, response.json()
    community.refresh_from_db()
    assert (community.name, community.district) == ("天平花园", district)


def test_it_deletes_a_community():
    community = make_community()

    response = writer("community").delete(f"{API}/communities/{community.pk}/")

    assert response.status_code == 204
    assert not Community.objects.filter(pk=community.pk).exists()


COMMUNITY_RULES = [
    # (what is wrong, the payload's changes, the field the message is on)
    ("completed without date", {"completed_on": None}, "completed_on"),
    ("completion date while planned", {"renovation_status": "planned"}, "completed_on"),
    (
        "under construction without start",
        {"renovation_status": "under_construction", "completed_on": None, "started_on": None},
        "started_on",
    ),
    ("in the programme without batch year", {"renovation_year": None}, "renovation_year"),
    ("built too late to be eligible", {"year_built": 2005}, "year_built"),
    ("latitude without longitude", {"longitude": None}, "longitude"),
    ("location outside China", {"latitude": "60.000000"}, "latitude"),
    ("completed before started", {"completed_on": "2022-01-01"}, "non_field_errors"),
    ("negative floor area", {"floor_area_m2": "-1.00"}, "floor_area_m2"),
    ("built before 1949", {"year_built": 1900}, "year_built"),
    ("unknown district", {"district": "999999"}, "district"),
]


@pytest.mark.parametrize(
    ("changes", "field"),
    [(changes, field) for _, changes, field in COMMUNITY_RULES],
    ids=[name for name, _, _ in COMMUNITY_RULES],
)
def test_it_refuses_a_community_the_admin_would_refuse(changes, field):
    district = make_district(code="370902")
    client = writer("community")

    response = client.post(
        f"{API}/communities/", community_payload(district, **changes), format="json"
    )

    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Community.objects.exists()


def test_it_refuses_an_update_that_breaks_a_rule_and_changes_nothing():
    community = make_community(renovation_status=RenovationStatus.COMPLETED)

    response = writer("community").patch(
        f"{API}/communities/{community.pk}/",
        {"completed_on": None, "name": "改名"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json() == {"completed_on": ["A completed community needs its completion date."]}
    community.refresh_from_db()
    assert community.completed_on == date(2022, 11, 30)
    assert community.name != "改名"


# --- Communities: filters ---------------------------------------------------------------------


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def places():
    """Three communities that differ in everything the filters look at."""
    taishan = make_district(code="370902", name="泰山区")
    daiyue = make_district(code="370911", name="岱岳区")
    songyuan = make_community(
        name="松园小区",
        address="青年路12号",
        district=taishan,
        year_built=1985,
        renovation_status=RenovationStatus.COMPLETED,
        renovation_year=2022,
        latitude=Decimal("36.200000"),
        longitude=Decimal("117.100000"),
    )
    mudan = make_community(
        name="牡丹花园",
        address="东岳大街8号",
        district=taishan,
        year_built=1998,
        renovation_status=RenovationStatus.PLANNED,
        renovation_year=2024,
        latitude=Decimal("36.300000"),
        longitude=Decimal("117.300000"),
    )
    daixi = make_community(
        name="岱西花园",
        address="松园路1号",
        district=daiyue,
        year_built=2003,
        latitude=None,
        longitude=None,
    )
    in_service_elevator(building=make_building(community=mudan))
    make_service(community=songyuan, mode=ManagementMode.PROFESSIONAL)
    make_service(community=mudan, mode=ManagementMode.FALLBACK)
    make_facility(community=songyuan, kind=FacilityKind.CHILDREN_PLAY_AREA, name="儿童乐园")
    make_service(
        community=daixi,
        mode=ManagementMode.PROFESSIONAL,
        contract_start=date(2019, 1, 1),
        contract_end=date.today() - timedelta(days=1),
    )
    return {"songyuan": songyuan.pk, "mudan": mudan.pk, "daixi": daixi.pk}


COMMUNITY_FILTERS = [
    ("district=370902", {"songyuan", "mudan"}),
    ("status=planned", {"mudan"}),
    ("renovation_year=2022", {"songyuan"}),
    ("built_before=1990", {"songyuan"}),
    ("property_mode=professional", {"songyuan"}),
    ("property_mode=fallback", {"mudan"}),
    ("property_mode=none", {"daixi"}),
    ("has_elevator=true", {"mudan"}),
    ("has_elevator=false", {"songyuan", "daixi"}),
    ("property_service=true", {"songyuan", "mudan"}),
    ("property_service=false", {"daixi"}),
    ("facility=children_play_area", {"songyuan"}),
    ("facility=canteen", set()),
    ("q=松园", {"songyuan", "daixi"}),
    ("bbox=117.0,36.1,117.2,36.25", {"songyuan"}),
    ("district=370902&status=completed", {"songyuan"}),
]


@pytest.mark.parametrize(("query", "expected"), COMMUNITY_FILTERS)
def test_it_filters_communities(places, query, expected):
    response = api_client().get(f"{API}/communities/?{query}")

    assert _ids(response) == {places[name] for name in expected}


MALFORMED_COMMUNITY_FILTERS = [
    ("district=999999", "district"),
    ("district=taishan", "district"),
    ("status=finished", "status"),
    ("renovation_year=twenty", "renovation_year"),
    ("renovation_year=2022.5", "renovation_year"),
    ("built_before=1990s", "built_before"),
    ("property_mode=company", "property_mode"),
    ("has_elevator=maybe", "has_elevator"),
    ("property_service=sometimes", "property_service"),
    ("facility=casino", "facility"),
    ("bbox=117,36,118", "bbox"),
    ("bbox=a,b,c,d", "bbox"),
    ("bbox=118,36,117,37", "bbox"),
    ("bbox=117,95,118,96", "bbox"),
]


@pytest.mark.parametrize(("query", "parameter"), MALFORMED_COMMUNITY_FILTERS)
def test_it_rejects_a_malformed_community_filter_with_400(places, query, parameter):
    response = api_client().get(f"{API}/communities/?{query}")

    assert response.status_code == 400
    assert list(response.json()) == [parameter]
    assert all(isinstance(message, str) for message in response.json()[parameter])


def test_it_orders_communities_by_an_allowed_field(places):
    response = api_client().get(f"{API}/communities/?ordering=-year_built")

    assert [row["id"] for row in response.json()["results"]] == [
        places["daixi"],
        places["mudan"],
        places["songyuan"],
    ]


# --- Buildings --------------------------------------------------------------------------------


def building_payload(community: Community, **overrides) -> dict:
    payload = {
        "community": community.pk,
        "label": "3号楼",
        "storeys": 6,
        "entrance_units": 3,
        "households": 36,
        "year_built": 1990,
        "safety_grade": "B",
        "appraised_on": "2021-05-01",
        "appraiser": "泰安市房屋安全鉴定中心",
    }
    payload.update(overrides)
    return payload


def test_buildings_are_listed_with_their_safety_grade_and_label():
    building = make_building(safety_grade=SafetyGrade.D, appraised_on=date(2021, 5, 1))

    response = api_client().get(f"{API}/buildings/", HTTP_ACCEPT_LANGUAGE="en")

    (row,) = response.json()["results"]
    assert row["id"] == building.pk
    assert row["safety_grade"] == "D"
    assert row["safety_grade_display"] == "D: whole building dangerous"
    assert row["is_dangerous"] is True
    assert row["community_name"] == building.community.name
    assert_matches_schema(response.json(), "/api/v1/buildings/")
    detail = api_client().get(f"{API}/buildings/{building.pk}/")
    assert_matches_schema(detail.json(), "/api/v1/buildings/{id}/")


def test_it_creates_updates_and_deletes_a_building():
    community = make_community()
    client = writer("building")

    created = client.post(f"{API}/buildings/", building_payload(community), format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    updated = client.patch(f"{API}/buildings/{pk}/", {"storeys": 7}, format="json")
    assert updated.status_code == 200
    assert Building.objects.get(pk=pk).storeys == 7
    deleted = client.delete(f"{API}/buildings/{pk}/")
    assert deleted.status_code == 204
    assert not Building.objects.filter(pk=pk).exists()


def test_it_refuses_to_delete_a_building_with_an_elevator_retrofit_with_409():
    elevator = make_elevator()

    response = writer("building").delete(f"{API}/buildings/{elevator.building_id}/")

    assert response.status_code == 409
    assert Building.objects.filter(pk=elevator.building_id).exists()


BUILDING_RULES = [
    ("label taken", {"label": "1号楼"}, "non_field_errors"),
    ("appraised in the future", {"appraised_on": "2999-01-01"}, "appraised_on"),
    ("grade without appraisal date", {"appraised_on": None}, "appraised_on"),
    ("no storeys", {"storeys": 0}, "storeys"),
    ("no entrance unit", {"entrance_units": 0}, "entrance_units"),
    ("built before 1949", {"year_built": 1900}, "year_built"),
]


@pytest.mark.parametrize(
    ("changes", "field"),
    [(changes, field) for _, changes, field in BUILDING_RULES],
    ids=[name for name, _, _ in BUILDING_RULES],
)
def test_it_refuses_a_building_the_admin_would_refuse(changes, field):
    community = make_community()
    make_building(community=community, label="1号楼")

    response = writer("building").post(
        f"{API}/buildings/", building_payload(community, **changes), format="json"
    )

    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert community.buildings.count() == 1


@pytest.fixture
def buildings():
    taishan = make_district(code="370902")
    first = make_community(district=taishan)
    second = make_community(district=make_district(code="370911"))
    return {
        "sound": make_building(
            community=first, safety_grade=SafetyGrade.A, appraised_on=date(2021, 5, 1)
        ).pk,
        "dangerous": make_building(
            community=first, safety_grade=SafetyGrade.C, appraised_on=date(2021, 5, 1)
        ).pk,
        "elsewhere": make_building(community=second).pk,
        "first": first.pk,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("community={first}", {"sound", "dangerous"}),
        ("district=370911", {"elsewhere"}),
        ("safety_grade=C", {"dangerous"}),
        ("dangerous=true", {"dangerous"}),
        ("dangerous=false", {"sound", "elsewhere"}),
    ],
)
def test_it_filters_buildings(buildings, query, expected):
    response = api_client().get(f"{API}/buildings/?{query.format(**buildings)}")

    assert _ids(response) == {buildings[name] for name in expected}


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("community=first", "community"),
        ("district=37", "district"),
        ("safety_grade=E", "safety_grade"),
        ("dangerous=sometimes", "dangerous"),
    ],
)
def test_it_rejects_a_malformed_building_filter_with_400(buildings, query, parameter):
    response = api_client().get(f"{API}/buildings/?{query}")

    assert response.status_code == 400
    assert list(response.json()) == [parameter]


@pytest.mark.parametrize("rows", [5, 50])
def test_the_building_list_runs_two_queries_whatever_the_page_size(rows, django_assert_num_queries):
    community = make_community()
    for number in range(rows):
        make_building(community=community, label=f"{number}号楼")
    client = api_client()

    # 1. count  2. the page of buildings joined with their community
    with django_assert_num_queries(2):
        response = client.get(f"{API}/buildings/?page_size={rows}")

    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [5, 50])
def test_the_district_list_runs_two_queries_whatever_the_page_size(rows, django_assert_num_queries):
    for number in range(rows):
        make_community(district=make_district(code=f"{371000 + number}"))
    client = api_client()

    # 1. count  2. the page of districts with their community counts
    with django_assert_num_queries(2):
        response = client.get(f"{API}/districts/?page_size={rows}")

    assert len(response.json()["results"]) == rows


def test_a_list_filtered_by_district_reads_no_district_first(settings, django_assert_num_queries):
    settings.PUBLIC_CACHE_SECONDS = 0
    district = make_district(code="370902")
    make_community(district=district)
    client = api_client()
    assert client.get(f"{API}/communities/?district=370902").json()["count"] == 1

    # The code is known now: 1. count  2. the page, both joined with the district on its code
    with django_assert_num_queries(2):
        response = client.get(f"{API}/communities/?district=370902")

    assert response.json()["count"] == 1


@pytest.mark.parametrize(
    "code", ["\x1f\x01]1", "37090", "3709020", "37090２", "12345678901234567890"]
)
def test_what_cannot_be_a_district_code_is_refused_without_a_query_or_a_cache_key(
    code, settings, django_assert_num_queries, monkeypatch
):
    settings.PUBLIC_CACHE_SECONDS = 0
    make_district(code="370902")
    looked_up = watched_keys(monkeypatch, "get", lambda key: key.startswith("district-code"))
    client = api_client()

    with django_assert_num_queries(0):
        response = client.get(f"{API}/communities/", {"district": code}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "Select a valid choice" in response.json()["district"][0]
    assert looked_up == []


def test_a_deleted_districts_code_is_refused_again():
    district = make_district(code="370902")
    client = api_client()
    assert client.get(f"{API}/communities/?district=370902").status_code == 200

    district.delete()
    response = client.get(f"{API}/communities/?district=370902", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "Select a valid choice" in response.json()["district"][0]
