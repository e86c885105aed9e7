"""Lean list pages (communities.core.api.lean) answer exactly what the serializer would."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.utils import translation
from rest_framework.request import Request

from communities.core.api import lean
from communities.dossier.api.serializers import CommunityDetailSerializer, CommunitySerializer
from communities.places.choices import RenovationStatus
from communities.places.models import Community
from tests.support.api import API, api_client
from tests.support.factories import make_community, make_district

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


def test_filters_ordering_and_pages_still_apply_to_the_lean_list(communities):
    response = api_client().get(f"{API}/communities/?district=370902&ordering=-id&page_size=1")
    body = response.json()
    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [communities[1].pk]
    assert body["next"].endswith("page=2&page_size=1") or "page=2" in body["next"]


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
