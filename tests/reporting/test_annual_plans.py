"""Annual plans: entered through the API, the admin and imports, listing only communities of
their own district; one plan per district and year."""

from decimal import Decimal

import pytest
from django.urls import reverse

from communities.reporting.models import AnnualPlan
from communities.reporting.resources import AnnualPlanResource
from tests.support.api import API, api_client, make_user
from tests.support.factories import make_community, make_district
from tests.support.returns import make_annual_plan

pytestmark = pytest.mark.django_db

URL = f"{API}/annual-plans/"


@pytest.fixture
def places():
    taishan = make_district(code="370902", name="泰山区")
    daiyue = make_district(code="370911", name="岱岳区")
    return {
        "taishan": taishan,
        "ours": make_community(district=taishan, name="本区小区"),
        "theirs": make_community(district=daiyue, name="外区小区"),
    }


def _payload(places, **changes):
    return {
        "district": "370902",
        "year": 2024,
        "target_communities": 12,
        "target_households": 3400,
        "target_buildings": 80,
        "target_investment": "52000000.00",
        "communities": [places["ours"].pk],
        **changes,
    }


def test_the_api_creates_a_plan_with_its_communities(places):
    client = api_client(make_user(is_staff=True, is_superuser=True))
    response = client.post(URL, _payload(places), format="json")
    assert response.status_code == 201, response.content
    plan = AnnualPlan.objects.get()
    assert list(plan.communities.all()) == [places["ours"]]
    assert plan.target_investment == Decimal("52000000.00")
    assert client.get(URL).json()["results"][0]["communities"] == [places["ours"].pk]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"communities": "theirs"}, "communities"),
        ({"year": 9999}, "year"),
        ({"target_households": -1}, "target_households"),
        ({"target_investment": "1" * 20}, "target_investment"),
        ({"district": "999999"}, "district"),
    ],
)
def test_the_api_refuses_a_bad_plan_with_a_400(places, changes, field):
    if changes.get("communities") == "theirs":
        changes = {"communities": [places["theirs"].pk]}
    client = api_client(make_user(is_staff=True, is_superuser=True))
    response = client.post(URL, _payload(places, **changes), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not AnnualPlan.objects.exists()


def test_a_second_plan_for_the_same_district_and_year_is_refused(places):
    make_annual_plan(district=places["taishan"], year=2024)
    client = api_client(make_user(is_staff=True, is_superuser=True))
    response = client.post(URL, _payload(places), format="json")
    assert response.status_code == 400
    assert AnnualPlan.objects.count() == 1


def test_the_admin_refuses_a_community_of_another_district(
    places, staff_client, admin_form_data, admin_errors
):
    url = reverse("admin:communities_annualplan_add")
    data = admin_form_data(staff_client.get(url))
    data.update(
        {
            "district": places["taishan"].pk,
            "year": "2024",
            "target_communities": "1",
            "target_households": "100",
            "target_buildings": "5",
            "target_investment": "1000",
            "communities": [places["theirs"].pk],
        }
    )
    assert "communities" in admin_errors(staff_client.post(url, data))
    data["communities"] = [places["ours"].pk]
    assert staff_client.post(url, data).status_code == 302
    assert list(AnnualPlan.objects.get().communities.all()) == [places["ours"]]


def test_an_import_refuses_a_community_of_another_district(places):
    from tablib import Dataset

    rows = Dataset(
        headers=[
            "district",
            "year",
            "target_communities",
            "target_households",
            "target_buildings",
            "target_investment",
            "communities",
        ]
    )
    rows.append(["370902", 2024, 1, 100, 5, "1000.00", str(places["theirs"].pk)])
    result = AnnualPlanResource().import_data(rows, dry_run=False, raise_errors=False)
    assert result.has_errors() or result.has_validation_errors()
    assert not AnnualPlan.objects.exists()
    rows = Dataset(headers=rows.headers)
    rows.append(["370902", 2024, 1, 100, 5, "1000.00", str(places["ours"].pk)])
    result = AnnualPlanResource().import_data(rows, dry_run=False, raise_errors=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert list(AnnualPlan.objects.get().communities.all()) == [places["ours"]]
