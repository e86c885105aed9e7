"""``core.prepared.PreparedValues``: a query compiled once gives what the ORM gives, key by key."""

from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.db.models import F
from django.db.models.sql.compiler import SQLCompiler

from communities.core import prepared
from communities.core.prepared import PreparedValues
from communities.dossier.api.serializers import _DETAIL_ROWS
from communities.elevators.models import ElevatorRetrofit
from communities.places.models import Building, Community
from communities.property.api.serializers import CommunityPropertyServiceSerializer
from communities.property.models import PropertyService
from communities.works.api.serializers import with_funding_sum
from communities.works.models.items import RenovationItem
from tests.support.factories import (
    make_building,
    make_community,
    make_elevator,
    make_facility,
    make_funding,
    make_item,
    make_service,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_communities():
    """Two communities with something under each part of a detail, different in each."""
    made = []
    for n in (1, 2):
        community = make_community()
        building = make_building(community=community, label=f"{n}号楼", storeys=5 + n)
        make_elevator(building=building, entrance_unit=n, floor_coefficients={"3": "0.9"})
        item = make_item(community=community, building=building, budget=Decimal(f"{n}0000.50"))
        make_funding(item=item, source="residents", amount=Decimal(f"{n}000.25"))
        make_facility(community=community, name=f"食堂{n}")
        make_service(community=community, contract_start=date(2020, 1, 1))
        made.append(community)
    return made


def counting_compiles():
    return mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql)


def test_the_detail_lists_give_what_the_orm_gives_for_each_community(two_communities):
    for community in two_communities:
        for serializer, rows in _DETAIL_ROWS.items():
            fixed = (date.today(),) if serializer is CommunityPropertyServiceSerializer else ()
            expected = list(rows.build(community.pk, *fixed))
            assert rows(community.pk, *fixed) == expected, serializer.__name__
            assert expected, serializer.__name__  # every list has a row to compare
            assert all(type(row) is dict for row in rows(community.pk, *fixed))


def test_it_compiles_once_then_runs_one_query_with_the_key(
    two_communities, django_assert_num_queries
):
    rows = PreparedValues(
        lambda pk: with_funding_sum(RenovationItem.objects.filter(community_id=pk)).values(
            "id", "title", "budget", "funding_sum", "community__district__code"
        )
    )
    first, second = two_communities
    with counting_compiles() as compiles:
        rows(first.pk)
    assert compiles.call_count  # built for two stand-ins, to find the key's place
    with counting_compiles() as compiles, django_assert_num_queries(1):
        got = rows(second.pk)
    assert compiles.call_count == 0
    item = RenovationItem.objects.get(community=second)
    assert got == [
        {
            "id": item.pk,
            "title": item.title,
            "budget": Decimal("20000.50"),
            "funding_sum": Decimal("2000.25"),
            "community__district__code": second.district.code,
        }
    ]
    assert rows(0) == []


def test_converted_values_are_djangos(two_communities):
    """Dates, datetimes, decimals and JSON come back as the ORM's converters make them."""
    communities = PreparedValues(
        lambda pk: Community.objects.filter(pk=pk).values(
            "created_at", "floor_area_m2", "district__code"
        )
    )
    retrofits = PreparedValues(
        lambda pk: ElevatorRetrofit.objects.filter(building__community_id=pk).values(
            "floor_coefficients", "building__label"
        )
    )
    community = two_communities[1]
    for rows in (communities, retrofits):
        assert rows(community.pk) == list(rows.build(community.pk))
    got = communities(community.pk)[0]
    assert got["created_at"] == community.created_at and got["created_at"].tzinfo is not None
    assert isinstance(got["floor_area_m2"], Decimal)
    assert retrofits(community.pk) == [
        {"floor_coefficients": {"3": "0.9"}, "building__label": "2号楼"}
    ]


def test_fixed_arguments_are_compiled_each_and_bound_as_given(two_communities):
    community = two_communities[0]
    PropertyService.objects.filter(community=community).update(contract_end=date(2021, 6, 30))
    rows = PreparedValues(
        lambda pk, on: PropertyService.objects.covering(on).filter(community_id=pk).values("id")
    )
    assert len(rows(community.pk, date(2021, 6, 30))) == 1
    assert rows(community.pk, date(2021, 7, 1)) == []
    assert len(rows._compiled) == 2


def test_a_query_it_cannot_prepare_runs_through_the_orm_every_time(two_communities):
    first, second = two_communities
    # A parameter computed from the key: two stand-ins give two other numbers.
    shifted = PreparedValues(
        lambda pk: Community.objects.filter(pk=pk + (second.pk - first.pk)).values("id")
    )
    assert shifted(first.pk) == [{"id": second.pk}]
    assert list(shifted._compiled.values()) == [None]
    assert shifted(first.pk) == [{"id": second.pk}]
    # The key unused, or a query that matches nothing whatever the key.
    assert PreparedValues(lambda pk: Community.objects.filter(pk__in=[]).values("id"))(1) == []
    unused = PreparedValues(lambda pk: Building.objects.values("id").order_by("id"))
    assert len(unused(first.pk)) == Building.objects.count()
    # Not a .values() query, or a key that is not an int.
    instances = PreparedValues(lambda pk: Community.objects.filter(pk=pk))
    assert instances(first.pk) == [first]
    by_text = PreparedValues(lambda pk: Community.objects.filter(pk=pk).values("id"))
    assert by_text(str(first.pk)) == [{"id": first.pk}]
    assert by_text._compiled == {}


def test_an_expression_of_the_row_is_fine(two_communities):
    rows = PreparedValues(
        lambda pk: (
            Building.objects.filter(community_id=pk)
            .annotate(more=F("storeys") + 1)
            .values("label", "more")
        )
    )
    assert rows(two_communities[1].pk) == [{"label": "2号楼", "more": 8}]


def test_the_compiled_forms_kept_are_bounded(two_communities):
    rows = PreparedValues(lambda pk, n: Building.objects.filter(community_id=pk).values("id"))
    for n in range(prepared.KEPT + 5):
        rows(two_communities[0].pk, n)
    assert len(rows._compiled) <= prepared.KEPT
