"""District scope, finding by finding (the generated walk is in ``test_scope_generated.py``):
a 泰山区 clerk and a property company reach no resident of 岱岳区 through the API."""

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from communities.access.choices import Role
from communities.elevators.choices import ElevatorStage
from communities.elevators.models import Household
from communities.elevators.services import owner_vote_record
from communities.participation.models import Rating
from communities.repairs.models import RepairRequest
from communities.works.models.plans import DesignPlan
from tests.support.factories import (
    make_building,
    make_community,
    make_district,
    make_elevator,
    make_service,
)
from tests.support.participation import make_completed_community, make_finished_item, make_plan
from tests.support.repairs import make_request

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def districts():
    return make_district(code="370902", name="泰山区"), make_district(code="370911", name="岱岳区")


def _user(django_user_model, username: str, role: str, *options: str):
    django_user_model.objects.create_user(username, password="pw-scope-9x!")
    call_command("grant_role", username, role, *options, stdout=StringIO())
    client = Client()
    client.force_login(django_user_model.objects.get(username=username))
    return client


@pytest.fixture
def clerk(django_user_model, districts):
    return _user(django_user_model, "clerk", Role.DISTRICT_STAFF, "--district", "370902")


@pytest.fixture
def company(django_user_model, districts):
    ours, _theirs = districts
    make_service(community=make_community(district=ours), provider_name="本区物业")
    return _user(django_user_model, "company", Role.PROPERTY_COMPANY, "--company", "本区物业")


@pytest.fixture
def their_request(districts):
    _ours, theirs = districts
    return make_request(community=make_community(district=theirs), is_public=False)


def _household(building, floor):
    household = Household(
        building=building,
        entrance_unit=1,
        floor=floor,
        room_number=f"{floor}01",
        floor_area_m2=Decimal("80.00"),
        owner_name="王秘密",
        owner_phone="13912345678",
    )
    household.full_clean()
    household.save()
    return household


@pytest.fixture
def their_retrofit(districts):
    _ours, theirs = districts
    building = make_building(community=make_community(district=theirs))
    _household(building, 1)  # entered before consent closed the roster
    return make_elevator(building=building, stage=ElevatorStage.PUBLIC_NOTICE)


# 1. Repair requests


def test_a_clerk_cannot_read_or_move_another_districts_private_request(clerk, their_request):
    url = f"{API}/service-requests/{their_request.pk}/"

    assert clerk.get(url).status_code == 404
    for action in ("publish", "resolve", "reject"):
        body = {"is_public": True, "resolution": "修好了", "reason": "重复"}
        response = clerk.post(f"{url}{action}/", body, content_type="application/json")
        assert response.status_code == 404, action
    their_request.refresh_from_db()
    assert not their_request.is_public
    assert "王" not in json.dumps(clerk.get(f"{API}/service-requests/").json())


def test_a_clerk_cannot_file_a_request_into_another_district(clerk, districts):
    _ours, theirs = districts
    community = make_community(district=theirs)
    body = {"community": community.pk, "category": "plumbing", "description": "楼道漏水"}

    response = clerk.post(f"{API}/service-requests/", body, content_type="application/json")

    assert response.status_code == 403
    assert not RepairRequest.objects.exists()


def test_a_property_company_sees_only_the_requests_of_the_communities_it_serves(
    company, their_request, districts
):
    ours, _theirs = districts
    served = make_community(district=ours)
    make_service(community=served, provider_name="本区物业", contract_start=date(2023, 1, 1))
    mine = make_request(community=served)

    listed = company.get(f"{API}/service-requests/").json()["results"]

    assert [row["id"] for row in listed] == [mine.pk]
    assert company.get(f"{API}/service-requests/{their_request.pk}/").status_code == 404
    resolve = company.post(
        f"{API}/service-requests/{their_request.pk}/resolve/", {"resolution": "x"}
    )
    assert resolve.status_code == 404


# 2. GET actions


def test_a_clerk_gets_no_owners_from_another_districts_retrofit(clerk, their_retrofit):
    base = f"{API}/elevator-retrofits/{their_retrofit.pk}"

    assert clerk.get(f"{base}/votes/").status_code == 404
    assert clerk.get(f"{base}/households/").status_code == 404
    shares = clerk.get(f"{base}/cost-shares/")
    assert shares.status_code == 200
    assert "王秘密" not in shares.content.decode()
    assert "room_number" not in shares.content.decode()


def test_a_property_company_gets_no_owner_names_from_cost_shares(company, their_retrofit):
    shares = company.get(f"{API}/elevator-retrofits/{their_retrofit.pk}/cost-shares/")

    assert "王秘密" not in shares.content.decode()


# 3. Ratings and draft plans


def test_a_clerk_cannot_rate_in_another_district(clerk, districts):
    _ours, theirs = districts
    item = make_finished_item(community=make_completed_community(district=theirs))
    building = make_building(community=item.community, label="1号楼")
    body = {
        "item": item.pk,
        "building": building.pk,
        "entrance_unit": 1,
        "room_number": "301",
        "work_score": 5,
        "process_score": 5,
        "management_score": 5,
        "channel": "wechat",
        "rated_on": "2023-01-10",
    }

    response = clerk.post(f"{API}/ratings/", body, content_type="application/json")

    assert response.status_code in {400, 403}
    assert not Rating.objects.exists()


def test_a_clerk_reads_only_their_own_districts_draft_plans(clerk, districts):
    ours, theirs = districts
    mine = make_plan(community=make_community(district=ours, renovation_year=2024))
    theirs_plan = make_plan(community=make_community(district=theirs, renovation_year=2024))

    listed = {row["id"] for row in clerk.get(f"{API}/design-plans/").json()["results"]}

    assert listed == {mine.pk}
    assert clerk.get(f"{API}/design-plans/{theirs_plan.pk}/").status_code == 404
    assert DesignPlan.objects.count() == 2


def test_owner_votes_of_their_own_district_stay_readable(clerk, districts):
    ours, _theirs = districts
    building = make_building(community=make_community(district=ours))
    retrofit = make_elevator(building=building)
    household = _household(building, 2)
    owner_vote_record(
        retrofit=retrofit, household=household, choice="agree", voted_on=date(2021, 3, 10)
    )

    votes = clerk.get(f"{API}/elevator-retrofits/{retrofit.pk}/votes/")

    assert votes.status_code == 200
    assert [row["owner_name"] for row in votes.json()] == ["王秘密"]
