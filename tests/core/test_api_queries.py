"""Each resource's detail runs a fixed number of queries, however much hangs from the record.

The lists are checked with 5 and 50 rows in each subject's own test module; the community
detail, which nests the most, in ``test_api_places.py``.
"""

from datetime import date

import pytest

from communities.places.choices import SafetyGrade
from tests.support.api import API, api_client
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
def records():
    district = make_district(code="370902")
    community = make_community(district=district)
    building = make_building(
        community=community, safety_grade=SafetyGrade.B, appraised_on=date(2021, 1, 5)
    )
    item = make_item(community=community, building=building)
    for source in ("central_subsidy", "local_budget", "residents"):
        make_funding(item=item, source=source, amount=1000)
    return {
        "districts": district.code,
        "buildings": building.pk,
        "renovation-kinds": "roads",
        "renovation-items": item.pk,
        "funding-lines": item.funding.first().pk,
        "elevator-retrofits": make_elevator(building=building).pk,
        "property-services": make_service(community=community).pk,
        "facilities": make_facility(community=community, renovation_item=item).pk,
    }


@pytest.mark.parametrize(
    ("resource", "queries"),
    [
        ("districts", 1),  # the district with its community count
        ("buildings", 1),  # the building joined with its community
        ("renovation-kinds", 1),  # the kind
        ("renovation-items", 2),  # the item (+ community, building, kind, funding sum); lines
        ("funding-lines", 1),  # the line joined with its item
        ("elevator-retrofits", 1),  # the retrofit (+ building, community, district, vote rule)
        ("property-services", 1),  # the service joined with its community
        ("facilities", 1),  # the facility joined with its community
    ],
)
def test_a_detail_runs_a_fixed_number_of_queries(
    records, resource, queries, django_assert_num_queries
):
    client = api_client()

    with django_assert_num_queries(queries):
        response = client.get(f"{API}/{resource}/{records[resource]}/")

    assert response.status_code == 200
