"""The API's renovation content: kinds, items and their funding lines, over HTTP."""

from datetime import date
from decimal import Decimal

import pytest

from communities.places.choices import RenovationStatus, SafetyGrade
from communities.works.choices import ItemStatus
from communities.works.models.items import FundingLine, RenovationItem, RenovationKind
from tests.support.api import API, api_client, assert_matches_schema, writer
from tests.support.factories import (
    make_building,
    make_community,
    make_district,
    make_funding,
    make_item,
    make_kind,
)

pytestmark = pytest.mark.django_db


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


# --- Kinds ------------------------------------------------------------------------------------


def test_kinds_are_listed_with_their_category_and_looked_up_by_code():
    response = api_client().get(f"{API}/renovation-kinds/?page_size=200", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()["results"]}
    assert rows["elevator"]["category"] == "improvement"
    assert rows["elevator"]["category_display"] == "Improvement"
    assert rows["elevator"]["display_name"] == "Elevator retrofit"
    assert rows["structural-reinforcement"]["is_reinforcement"] is True
    assert_matches_schema(response.json(), "/api/v1/renovation-kinds/")
    detail = api_client().get(f"{API}/renovation-kinds/elevator/")
    assert detail.json()["name"] == "加装电梯"
    assert_matches_schema(detail.json(), "/api/v1/renovation-kinds/{code}/")


def test_staff_add_a_kind_of_their_own_mapped_to_a_national_category():
    response = writer("renovationkind").post(
        f"{API}/renovation-kinds/",
        {"code": "flood-barriers", "name": "防汛设施", "category": "basic"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert RenovationKind.objects.get(code="flood-barriers").category == "basic"


def test_it_refuses_a_kind_whose_code_is_taken_or_category_unknown():
    client = writer("renovationkind")

    taken = client.post(
        f"{API}/renovation-kinds/", {"code": "roads", "name": "道路", "category": "basic"}
    )
    unknown = client.post(
        f"{API}/renovation-kinds/", {"code": "safety", "name": "安全", "category": "safety"}
    )

    assert taken.status_code == 400 and "code" in taken.json()
    assert unknown.status_code == 400 and "category" in unknown.json()


def test_it_refuses_to_delete_a_kind_that_items_use_with_409():
    kind = make_kind()
    make_item(kind=kind)

    response = writer("renovationkind").delete(f"{API}/renovation-kinds/{kind.code}/")

    assert response.status_code == 409
    assert RenovationKind.objects.filter(pk=kind.pk).exists()


@pytest.mark.parametrize(
    ("query", "expected_codes", "unexpected_codes"),
    [
        ("category=enhancement", {"elderly-care"}, {"roads", "elevator"}),
        ("is_reinforcement=true", {"structural-reinforcement"}, {"roads"}),
        ("is_reinforcement=false", {"roads"}, {"structural-reinforcement"}),
    ],
)
def test_it_filters_kinds(query, expected_codes, unexpected_codes):
    response = api_client().get(f"{API}/renovation-kinds/?page_size=200&{query}")

    codes = {row["code"] for row in response.json()["results"]}
    assert expected_codes <= codes
    assert not unexpected_codes & codes


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("category=safety", "category"), ("is_reinforcement=perhaps", "is_reinforcement")],
)
def test_it_rejects_a_malformed_kind_filter_with_400(query, parameter):
    response = api_client().get(f"{API}/renovation-kinds/?{query}")

    assert response.status_code == 400
    assert list(response.json()) == [parameter]


@pytest.mark.parametrize("rows", [5, 50])
def test_the_kind_list_runs_two_queries_whatever_the_page_size(rows, django_assert_num_queries):
    for _ in range(50):
        make_kind()
    client = api_client()

    # 1. count  2. the page of kinds
    with django_assert_num_queries(2):
        response = client.get(f"{API}/renovation-kinds/?page_size={rows}")

    assert len(response.json()["results"]) == rows


# --- Items: reading ---------------------------------------------------------------------------


def test_items_carry_their_kind_category_and_funding_lines():
    item = make_item(budget=Decimal("300000.00"), spent=Decimal("120000.50"))
    make_funding(item=item, source="central_subsidy", amount=Decimal("200000.00"))
    make_funding(item=item, source="special_bonds", amount=Decimal("50000.00"))

    response = api_client().get(f"{API}/renovation-items/", HTTP_ACCEPT_LANGUAGE="en")

    (row,) = response.json()["results"]
    assert row["kind"] == "roads"
    assert row["kind_name"] == "Roads"
    assert (row["category"], row["category_display"]) == ("basic", "Basic")
    assert (row["status"], row["status_display"]) == ("planned", "Planned")
    assert (row["budget"], row["spent"], row["funding_total"]) == (
        "300000.00",
        "120000.50",
        "250000.00",
    )
    assert [
        (line["source"], line["source_display"], line["amount"]) for line in row["funding"]
    ] == [
        ("central_subsidy", "Central subsidy", "200000.00"),
        ("special_bonds", "Special-purpose bonds", "50000.00"),
    ]
    assert row["community_name"] == item.community.name
    assert row["building"] is None and row["building_label"] is None
    assert_matches_schema(response.json(), "/api/v1/renovation-items/")
    detail = api_client().get(f"{API}/renovation-items/{item.pk}/")
    assert_matches_schema(detail.json(), "/api/v1/renovation-items/{id}/")


@pytest.mark.parametrize("rows", [5, 50])
def test_the_item_list_runs_three_queries_whatever_the_page_size(rows, django_assert_num_queries):
    community = make_community()
    building = make_building(community=community)
    for _ in range(rows):
        make_funding(item=make_item(community=community, building=building))
    client = api_client()

    # 1. count  2. the page of items with community, building, kind and funding sum
    # 3. their funding lines
    with django_assert_num_queries(3):
        response = client.get(f"{API}/renovation-items/?page_size={rows}")

    assert len(response.json()["results"]) == rows


# --- Items: writing ---------------------------------------------------------------------------


@pytest.fixture
def site():
    community = make_community(renovation_status=RenovationStatus.UNDER_CONSTRUCTION)
    return {
        "community": community,
        "building": make_building(community=community, label="1号楼"),
        "dangerous": make_building(
            community=community,
            label="2号楼",
            safety_grade=SafetyGrade.C,
            appraised_on=date(2021, 1, 5),
        ),
        "elsewhere": make_building(label="9号楼"),
    }


def item_payload(site, **overrides) -> dict:
    payload = {
        "community": site["community"].pk,
        "building": site["building"].pk,
        "kind": "roof-waterproofing",
        "title": "屋面防水改造",
        "quantity": "1200.00",
        "unit": "m²",
        "budget": "360000.00",
        "spent": "0.00",
        "status": "under_construction",
        "progress": 40,
        "planned_start": "2023-03-01",
        "planned_end": "2023-08-31",
        "actual_start": "2023-03-10",
        "contractor": "泰安建工集团",
        "supervisor": "泰安建设监理公司",
    }
    payload.update(overrides)
    return payload


def test_it_creates_an_item_with_its_kind_given_by_code(site):
    response = writer("renovationitem").post(
        f"{API}/renovation-items/", item_payload(site), format="json"
    )

    assert response.status_code == 201, response.json()
    item = RenovationItem.objects.get(pk=response.json()["id"])
    assert item.kind.code == "roof-waterproofing"
    assert item.building == site["building"]
    assert response.json()["funding_total"] == "0.00"
    assert_matches_schema(response.json(), "/api/v1/renovation-items/", "post", 201)


def test_it_updates_and_deletes_an_item(site):
    item = make_item(community=site["community"])
    client = writer("renovationitem")

    updated = client.patch(
        f"{API}/renovation-items/{item.pk}/", {"spent": "5000.00"}, format="json"
    )
    deleted = client.delete(f"{API}/renovation-items/{item.pk}/")

    assert updated.status_code == 200 and updated.json()["spent"] == "5000.00"
    assert deleted.status_code == 204
    assert not RenovationItem.objects.filter(pk=item.pk).exists()


ITEM_RULES = [
    ("building of another community", {"building": "elsewhere"}, "building"),
    ("completed below 100%", {"status": "completed", "actual_end": "2023-08-01"}, "progress"),
    ("completed without end date", {"status": "completed", "progress": 100}, "actual_end"),
    ("started without start date", {"actual_start": None}, "actual_start"),
    ("work on a C building before reinforcement", {"building": "dangerous"}, "status"),
    ("negative budget", {"budget": "-1.00"}, "budget"),
    ("progress above 100", {"progress": 101}, "progress"),
    ("planned end before start", {"planned_end": "2023-01-01"}, "non_field_errors"),
    ("actual end before start", {"actual_end": "2023-03-01"}, "non_field_errors"),
    ("unknown kind", {"kind": "teleporter"}, "kind"),
]


@pytest.mark.parametrize(
    ("changes", "field"),
    [(changes, field) for _, changes, field in ITEM_RULES],
    ids=[name for name, _, _ in ITEM_RULES],
)
def test_it_refuses_an_item_the_admin_would_refuse(site, changes, field):
    changes = {
        key: site[value].pk if key == "building" else value for key, value in changes.items()
    }

    response = writer("renovationitem").post(
        f"{API}/renovation-items/", item_payload(site, **changes), format="json"
    )

    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not RenovationItem.objects.exists()


def test_reinforcement_may_start_on_a_c_building(site):
    response = writer("renovationitem").post(
        f"{API}/renovation-items/",
        item_payload(site, building=site["dangerous"].pk, kind="structural-reinforcement"),
        format="json",
    )

    assert response.status_code == 201, response.json()


def test_it_refuses_to_lower_a_budget_below_the_funding_already_promised(site):
    item = make_item(community=site["community"], budget=Decimal("100000.00"))
    make_funding(item=item, amount=Decimal("80000.00"))

    response = writer("renovationitem").patch(
        f"{API}/renovation-items/{item.pk}/", {"budget": "50000.00"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["budget"]
    item.refresh_from_db()
    assert item.budget == Decimal("100000.00")


def test_funding_lines_cannot_be_written_through_their_item(site):
    item = make_item(community=site["community"])

    response = writer("renovationitem").patch(
        f"{API}/renovation-items/{item.pk}/",
        {"funding": [{"source": "residents", "amount": "10.00"}]},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["funding"]
    assert not FundingLine.objects.exists()


# --- Items: filters ---------------------------------------------------------------------------


@pytest.fixture
def items():
    taishan = make_district(code="370902")
    old = make_community(district=taishan, renovation_status=RenovationStatus.COMPLETED)
    new = make_community(
        district=taishan, renovation_status=RenovationStatus.PLANNED, renovation_year=2024
    )
    return {
        "roads": make_item(community=old, status=ItemStatus.COMPLETED).pk,
        "elevator": make_item(
            community=old, kind=RenovationKind.objects.get(code="elevator"), title="加装电梯"
        ).pk,
        "canteen": make_item(
            community=new, kind=RenovationKind.objects.get(code="elderly-care"), title="幸福食堂"
        ).pk,
        "old": old.pk,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("community={old}", {"roads", "elevator"}),
        ("category=improvement", {"elevator"}),
        ("kind=elderly-care", {"canteen"}),
        ("status=completed", {"roads"}),
        ("year=2024", {"canteen"}),
        ("year=2022", {"roads", "elevator"}),
    ],
)
def test_it_filters_items(items, query, expected):
    response = api_client().get(f"{API}/renovation-items/?{query.format(**items)}")

    assert _ids(response) == {items[name] for name in expected}


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("community=松园", "community"),
        ("category=safety", "category"),
        ("kind=teleporter", "kind"),
        ("status=done", "status"),
        ("year=2022.5", "year"),
    ],
)
def test_it_rejects_a_malformed_item_filter_with_400(items, query, parameter):
    response = api_client().get(f"{API}/renovation-items/?{query}")

    assert response.status_code == 400
    assert list(response.json()) == [parameter]


# --- Funding lines ----------------------------------------------------------------------------


def test_funding_lines_are_listed_with_their_item_and_community():
    line = make_funding(amount=Decimal("20000.00"))

    response = api_client().get(f"{API}/funding-lines/")

    (row,) = response.json()["results"]
    assert (row["item"], row["community"], row["amount"]) == (
        line.item_id,
        line.item.community_id,
        "20000.00",
    )
    assert_matches_schema(response.json(), "/api/v1/funding-lines/")
    detail = api_client().get(f"{API}/funding-lines/{line.pk}/")
    assert_matches_schema(detail.json(), "/api/v1/funding-lines/{id}/")


def test_it_adds_a_funding_line_within_the_budget():
    item = make_item(budget=Decimal("100000.00"))

    response = writer("fundingline").post(
        f"{API}/funding-lines/",
        {"item": item.pk, "source": "residents", "amount": "15000.00", "note": "维修资金"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert item.funding.get().amount == Decimal("15000.00")


FUNDING_RULES = [
    ("past the budget", {"amount": "60000.01"}, "amount"),
    ("second line from one source", {"source": "central_subsidy"}, "non_field_errors"),
    ("negative amount", {"amount": "-5.00"}, "amount"),
    ("unknown source", {"source": "lottery"}, "source"),
]


@pytest.mark.parametrize(
    ("changes", "field"),
    [(changes, field) for _, changes, field in FUNDING_RULES],
    ids=[name for name, _, _ in FUNDING_RULES],
)
def test_it_refuses_a_funding_line_the_admin_would_refuse(changes, field):
    item = make_item(budget=Decimal("100000.00"))
    make_funding(item=item, source="central_subsidy", amount=Decimal("40000.00"))

    response = writer("fundingline").post(
        f"{API}/funding-lines/",
        {"item": item.pk, "source": "local_budget", "amount": "1000.00", **changes},
        format="json",
    )

    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert item.funding.count() == 1


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("item=first", "item"), ("community=x", "community"), ("source=lottery", "source")],
)
def test_it_rejects_a_malformed_funding_filter_with_400(query, parameter):
    response = api_client().get(f"{API}/funding-lines/?{query}")

    assert response.status_code == 400
    assert list(response.json()) == [parameter]


def test_it_filters_funding_lines_by_item_community_and_source():
    first = make_item(budget=Decimal("100000.00"))
    second = make_item(budget=Decimal("100000.00"))
    central = make_funding(item=first, source="central_subsidy")
    residents = make_funding(item=first, source="residents", amount=Decimal("1000.00"))
    other = make_funding(item=second, source="residents", amount=Decimal("1000.00"))

    by_item = api_client().get(f"{API}/funding-lines/?item={first.pk}")
    by_community = api_client().get(f"{API}/funding-lines/?community={second.community_id}")
    by_source = api_client().get(f"{API}/funding-lines/?source=residents")

    assert _ids(by_item) == {central.pk, residents.pk}
    assert _ids(by_community) == {other.pk}
    assert _ids(by_source) == {residents.pk, other.pk}


@pytest.mark.parametrize("rows", [5, 50])
def test_the_funding_list_runs_two_queries_whatever_the_page_size(rows, django_assert_num_queries):
    for _ in range(rows):
        make_funding()
    client = api_client()

    # 1. count  2. the page of lines joined with their item
    with django_assert_num_queries(2):
        response = client.get(f"{API}/funding-lines/?page_size={rows}")

    assert len(response.json()["results"]) == rows
