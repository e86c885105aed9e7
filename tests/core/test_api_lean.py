"""Lean pages (communities.core.api.lean) answer exactly what the serializers would."""

import json
from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.test import RequestFactory
from django.utils import translation
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request

from communities.core.api import lean
from communities.dossier.api.serializers import CommunityDetailSerializer, CommunitySerializer
from communities.elevators.choices import ElevatorStage
from communities.places.choices import RenovationStatus, SafetyGrade
from communities.places.models import Building, Community
from communities.works.choices import FacilityKind
from tests.support.api import API, api_client, make_user
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


@pytest.fixture
def communities():
    district = make_district(code="370902", name="泰山区")
    return [
        make_community(district=district),
        make_community(
            district=district,
            renovation_status=RenovationStatus.COMPLETED,
            is_demonstration=True,
            demonstration_note="省级示范",
            floor_area_m2=Decimal("12345.67"),
        ),
        make_community(
            district=make_district(code="370911", name="岱岳区"),
            renovation_status=RenovationStatus.UNDER_CONSTRUCTION,
            latitude=None,
            longitude=None,
            year_built=None,
            started_on=date(2024, 5, 6),
        ),
    ]


def _serialized(request, communities) -> list[dict]:
    queryset = CommunitySerializer.setup_queryset(Community.objects.order_by("id"))
    return CommunitySerializer(queryset, many=True, context={"request": request}).data


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_lean_plan_gives_the_serializers_output_key_for_key(communities, language):
    request = Request(RequestFactory().get(f"{API}/communities/", HTTP_HOST="testserver"))
    plan = lean.plan_for(CommunitySerializer)
    with translation.override(language):
        rows = plan.values(Community.objects.order_by("id"))
        assert plan.represent(rows, request) == [dict(row) for row in _serialized(request, None)]


def test_the_community_list_answers_the_same_through_http(communities):
    response = api_client().get(f"{API}/communities/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    expected = _serialized(response.wsgi_request, communities)
    assert body["results"] == [dict(row) for row in expected]
    assert body["results"][1]["floor_area_m2"] == "12345.67"
    assert body["results"][1]["renovation_status_display"] == "Completed"
    assert body["results"][2]["latitude"] is None


@pytest.mark.parametrize(
    ("host", "query"),
    [("testserver", ""), ("localhost", ""), ("127.0.0.1:8000", ""), ("testserver", "?format=json")],
)
def test_each_sites_addresses_and_a_carried_format_are_the_serializers(communities, host, query):
    # Run in turn in one process: the plan's remembered URL templates of one request's site
    # must never answer another's.
    response = api_client().get(f"{API}/communities/{query}", HTTP_HOST=host)
    assert response.status_code == 200
    results = response.json()["results"]
    assert results == [dict(row) for row in _serialized(response.wsgi_request, communities)]
    assert results[0]["url"].startswith(f"http://{host}{API}/communities/")
    assert results[0]["url"].endswith(query or "/")
    assert results[0]["site_url"].startswith(f"http://{host}/communities/")


def test_what_a_plan_remembers_stays_bounded_whatever_the_host_header(communities, settings):
    settings.ALLOWED_HOSTS = ["*"]
    plan = lean.plan_for(CommunitySerializer)
    rows = list(plan.values(Community.objects.order_by("id")))
    for number in range(3 * lean._MEMO_MAX):
        request = Request(RequestFactory().get("/", HTTP_HOST=f"host-{number}.example"))
        url = plan.represent(rows, request)[0]["url"]
        assert url == f"http://host-{number}.example{API}/communities/{communities[0].pk}/"
        assert len(plan._memo) <= lean._MEMO_MAX


def test_filters_ordering_and_pages_still_apply_to_the_lean_list(communities):
    response = api_client().get(f"{API}/communities/?district=370902&ordering=-id&page_size=1")
    body = response.json()
    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [communities[1].pk]
    assert body["next"].endswith("page=2&page_size=1") or "page=2" in body["next"]


def test_the_lists_values_are_built_once_and_each_request_narrows_its_own(communities):
    from django.db.models.sql.query import Query

    first = api_client().get(f"{API}/communities/?district=370902")  # builds it if not yet
    with mock.patch.object(Query, "set_values", autospec=True, wraps=Query.set_values) as built:
        again = api_client().get(f"{API}/communities/?district=370902")
        other = api_client().get(f"{API}/communities/?district={communities[2].district.code}")
        every = api_client().get(f"{API}/communities/")
    assert built.call_count == 0
    assert first.json() == again.json() and first.json()["count"] == 2
    assert [row["id"] for row in other.json()["results"]] == [communities[2].pk]
    assert every.json()["count"] == 3


def test_the_browsable_api_still_renders_the_list(communities):
    response = api_client().get(f"{API}/communities/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert communities[0].name in response.content.decode()


def test_a_serializer_with_nested_or_method_fields_has_no_plan():
    assert lean.plan_for(CommunityDetailSerializer) is None


class _AddressForStaffOnly(CommunitySerializer):
    class Meta(CommunitySerializer.Meta):
        staff_only_fields = ["address"]


def test_staff_only_fields_are_hidden_from_the_public_in_a_plan_too(communities, city_admin):
    plan = lean.plan_for(_AddressForStaffOnly)
    rows = list(plan.values(Community.objects.order_by("id")))
    public = Request(RequestFactory().get("/"))
    assert "address" not in plan.represent(rows, public)[0]
    staff = Request(RequestFactory().get("/"))
    staff.user = city_admin
    assert plan.represent(rows, staff)[0]["address"] == communities[0].address


# --- A community's detail, read lean by the public -------------------------------------------


@pytest.fixture
def full_community():
    """Something under every part of the detail, made so that the orders matter: buildings
    entered out of label order, two retrofits in one building entered out of unit order, an
    item with no funding line, a contract that ended and one that covers today."""
    community = make_community(district=make_district(code="370902", name="泰山区"))
    graded = {"appraised_on": date(2021, 5, 1)}
    third = make_building(community=community, label="3号楼", safety_grade=SafetyGrade.C, **graded)
    first = make_building(community=community, label="1号楼", safety_grade=SafetyGrade.A, **graded)
    make_building(community=community, label="2号楼")
    make_elevator(building=third, entrance_unit=2, floor_coefficients={"3": "0.9"})
    make_elevator(building=third, entrance_unit=1, stage=ElevatorStage.WITHDRAWN)
    make_elevator(building=first, entrance_unit=1, stage=ElevatorStage.IN_SERVICE)
    funded = make_item(community=community, building=first, budget=Decimal("200000.00"))
    make_funding(item=funded, source="residents", amount=Decimal("30000.00"))
    make_funding(item=funded, source="central_subsidy", amount=Decimal("120000.00"))
    make_item(community=community, title="绿化提升", budget=Decimal("80000.00"))
    make_facility(community=community, name="幸福食堂", renovation_item=funded)
    make_facility(community=community, kind=FacilityKind.DAY_CARE, name="日间照料中心")
    make_service(
        community=community, contract_start=date(2020, 1, 1), contract_end=date(2021, 12, 31)
    )
    make_service(community=community, contact_name="王经理", contract_start=date(2022, 1, 1))
    return community


def _detail_through_serializers(community, request) -> dict:
    queryset = CommunityDetailSerializer.setup_queryset(Community.objects.all())
    data = CommunityDetailSerializer(queryset.get(pk=community.pk), context={"request": request})
    return json.loads(JSONRenderer().render(data.data))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_public_detail_read_lean_is_the_serializers_output_key_for_key(
    full_community, language, django_assert_num_queries
):
    # 1. community + district  2. buildings  3. items + kind + building + funding sum
    # 4. their funding lines  5. facilities  6. the service covering today  7. retrofits
    lean_parts = CommunityDetailSerializer.lean_parts
    with (
        django_assert_num_queries(7),
        mock.patch.object(CommunityDetailSerializer, "lean_parts", wraps=lean_parts) as read,
    ):
        response = api_client().get(
            f"{API}/communities/{full_community.pk}/", HTTP_ACCEPT_LANGUAGE=language
        )

    assert response.status_code == 200
    read.assert_called_once()
    with translation.override(language):
        expected = _detail_through_serializers(full_community, response.wsgi_request)
    body = response.json()
    assert body == expected
    assert list(body) == list(expected)  # and in the serializer's order of keys
    assert [e["building_label"] for e in body["elevators"]] == ["1号楼", "3号楼", "3号楼"]
    assert [e["entrance_unit"] for e in body["elevators"]] == [1, 1, 2]
    assert "contact_name" not in body["property_service"]
    assert body["items"][1]["funding"] == [] and body["items"][1]["funding_total"] == "0.00"
    assert response["ETag"]


def test_a_record_in_hand_gives_the_row_values_would_read(full_community):
    """``LeanPlan.row_of``: the detail represents the community it already read from it,
    through forward relations (the district's code), a relation read as its key (a facility's
    item, empty on one of them) and the key itself."""
    from communities.works.api.serializers import CommunityFacilitySerializer
    from communities.works.models import Facility

    for serializer, queryset in (
        (CommunitySerializer, Community.objects.select_related("district")),
        (CommunityFacilitySerializer, Facility.objects.all()),
    ):
        plan = lean.plan_for(serializer)
        assert plan is not None, serializer
        for instance in queryset.order_by("pk"):
            row = plan.values(type(instance).objects.filter(pk=instance.pk)).get()
            assert plan.row_of(instance) == row, (serializer.__name__, instance.pk)
    assert {facility.renovation_item_id is None for facility in Facility.objects.all()} == {
        True,
        False,
    }


def test_staff_read_the_detail_through_the_serializers_with_what_their_scope_allows(
    full_community,
):
    staff = api_client(make_user(is_staff=True))
    outside_system = api_client(make_user())

    with mock.patch.object(CommunityDetailSerializer, "lean_parts") as read:
        body = staff.get(f"{API}/communities/{full_community.pk}/").json()
    read.assert_not_called()
    public = outside_system.get(f"{API}/communities/{full_community.pk}/").json()

    assert body["property_service"]["contact_name"] == "王经理"
    assert "contact_name" not in public["property_service"]
    del body["property_service"]["contact_name"]
    assert body == public


def test_a_field_computed_by_the_model_is_lean_only_when_its_columns_are_named():
    class Undeclared(serializers.ModelSerializer):
        is_dangerous = serializers.BooleanField(read_only=True)

        class Meta:
            model = Building
            fields = ["id", "is_dangerous"]

    class Declared(Undeclared):
        class Meta(Undeclared.Meta):
            lean_reads = {"is_dangerous": ["safety_grade"]}

    assert lean.plan_for(Undeclared) is None
    plan = lean.plan_for(Declared)
    assert plan.columns == ["id", "safety_grade"]
    assert plan.represent([{"id": 1, "safety_grade": "D"}], None) == [
        {"id": 1, "is_dangerous": True}
    ]


# --- A community's items, read lean ------------------------------------------------------------


@pytest.fixture
def items(django_user_model):
    from django.contrib.auth.models import AnonymousUser

    from communities.access.choices import Role
    from communities.works.choices import ItemStatus
    from tests.support.roles import grant

    ours, theirs = make_district(code="370902"), make_district(code="370911")
    community = make_community(district=ours)
    building = make_building(community=community, label="3号楼")
    planned = make_item(community=community, budget=Decimal("120000.50"))
    started = make_item(
        community=community,
        building=building,
        status=ItemStatus.UNDER_CONSTRUCTION,
        progress=40,
        contractor="泰安建工",
    )
    done = make_item(community=make_community(district=theirs), status=ItemStatus.COMPLETED)
    make_funding(item=planned, amount=Decimal("20000.25"))
    make_funding(item=planned, source="local_budget", amount=Decimal("30000.00"))
    make_funding(item=done)
    django_user_model.objects.create_user("lean-clerk", password="pw-lean-9x!")
    grant("lean-clerk", Role.DISTRICT_STAFF, "--district", "370902")
    return {
        "community": community,
        "ids": [planned.pk, started.pk, done.pk],
        "readers": {
            "anonymous": AnonymousUser(),
            "clerk": django_user_model.objects.get(username="lean-clerk"),
            "city": make_user(is_staff=True, is_superuser=True),
        },
    }


@pytest.mark.parametrize("reader", ["anonymous", "clerk", "city"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("query", ["", "?community={community}", "?ordering=-budget"])
def test_the_items_list_answers_what_its_serializer_does(items, reader, language, query):
    from communities.works.api.views import RenovationItemViewSet

    user = items["readers"][reader]
    url = f"{API}/renovation-items/{query.format(community=items['community'].pk)}"

    def answer(lean_list: bool) -> dict:
        with mock.patch.object(RenovationItemViewSet, "lean_list", lean_list):
            client = api_client(None if reader == "anonymous" else user)
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        return response.json()

    lean_answer = answer(True)
    assert lean_answer == answer(False)
    assert lean_answer["count"] >= 2
    first = next(row for row in lean_answer["results"] if row["id"] == items["ids"][0])
    assert [line["amount"] for line in first["funding"]] == ["20000.25", "30000.00"]
    assert first["funding_total"] == "50000.25"


def test_the_items_list_is_read_lean(items):
    from communities.works.api.serializers import RenovationItemSerializer

    plan = lean.plan_for(RenovationItemSerializer)
    with mock.patch.object(plan, "represent", wraps=plan.represent) as represent:
        response = api_client().get(f"{API}/renovation-items/?community={items['community'].pk}")
    assert response.status_code == 200
    assert represent.call_count == 1
