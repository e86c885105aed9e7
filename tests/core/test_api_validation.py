"""What every write shares: unknown and read-only keys refused, messages in the reader's language,
nothing changed by a refused request."""

from decimal import Decimal

import pytest

from communities.places.models import Community, District
from tests.support.api import API, writer
from tests.support.factories import make_community, make_district

pytestmark = pytest.mark.django_db


def test_it_refuses_an_unknown_field_and_creates_nothing():
    response = writer("district").post(
        f"{API}/districts/",
        {"code": "370921", "name": "宁阳县", "population": 800000},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json() == {"population": ["Unknown field."]}
    assert not District.objects.filter(code="370921").exists()


def test_it_refuses_a_read_only_field_instead_of_ignoring_it():
    community = make_community()

    response = writer("community").patch(
        f"{API}/communities/{community.pk}/",
        {
            "name": "新名字",
            "id": 999,
            "district_name": "别处",
            "created_at": "2000-01-01T00:00:00Z",
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json() == {
        "id": ["This field is read-only."],
        "district_name": ["This field is read-only."],
        "created_at": ["This field is read-only."],
    }
    community.refresh_from_db()
    assert community.name != "新名字"


def test_messages_are_in_chinese_by_default():
    response = writer("district").post(f"{API}/districts/", {"code": "370921"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"name": ["该字段是必填项。"]}
    assert response["Content-Language"] == "zh-hans"


def test_messages_follow_accept_language():
    response = writer("district").post(
        f"{API}/districts/", {"code": "370921"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.json() == {"name": ["This field is required."]}
    assert response["Content-Language"] == "en"


def test_domain_rule_messages_follow_accept_language_too():
    district = make_district(code="370902")

    response = writer("community").post(
        f"{API}/communities/",
        {
            "name": "松园小区",
            "district": district.code,
            "renovation_status": "planned",
            "renovation_year": 2024,
            "year_built": 2008,
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json() == {
        "year_built": ["Only communities built before 2001 are eligible for renovation."]
    }


def test_it_reports_every_broken_rule_of_the_record_at_once_field_by_field():
    district = make_district(code="370902")

    response = writer("community").post(
        f"{API}/communities/",
        {
            "name": "松园小区",
            "district": district.code,
            "renovation_status": "completed",
            "latitude": "36.200000",
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json() == {
        "completed_on": ["A completed community needs its completion date."],
        "started_on": ["Work that has begun needs its start date."],
        "renovation_year": ["A community in the programme needs its batch year."],
        "longitude": ["Enter both latitude and longitude, or neither."],
    }
    assert not Community.objects.exists()


def test_a_value_out_of_range_gets_the_models_own_message():
    community = make_community()

    response = writer("community").patch(
        f"{API}/communities/{community.pk}/",
        {"floor_area_m2": "-5.00", "year_built": 1900},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"floor_area_m2", "year_built"}
    community_field = Community._meta.get_field("floor_area_m2")
    expected = [str(v.message) for v in community_field.validators if hasattr(v, "limit_value")]
    assert body["floor_area_m2"] == expected


def test_a_list_body_is_refused_not_a_500():
    response = writer("district").post(f"{API}/districts/", [{"code": "370921"}], format="json")

    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_a_malformed_json_body_is_400():
    response = writer("district").generic(
        "POST", f"{API}/districts/", "{not json", content_type="application/json"
    )

    assert response.status_code == 400


def test_a_refused_update_leaves_the_record_and_its_history_as_they_were():
    community = make_community(floor_area_m2=Decimal("10000.00"))
    versions = community.history.count()

    response = writer("community").patch(
        f"{API}/communities/{community.pk}/", {"floor_area_m2": "-1.00"}, format="json"
    )

    assert response.status_code == 400
    community.refresh_from_db()
    assert community.floor_area_m2 == Decimal("10000.00")
    assert community.history.count() == versions
