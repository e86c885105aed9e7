"""``manage.py generate_scale_data``: national-scale data, proportional, deterministic, valid."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Sum

from communities.elevators.models import ElevatorRetrofit, Household, OwnerVote
from communities.places.models import Building, Community, District
from communities.places.policy import natural_key, pinyin_key, search_grams
from communities.property.models import PropertyService
from communities.repairs.models import RepairRequest
from communities.works.models.items import FundingLine, RenovationItem
from tests.support.scl import delete_newer

pytestmark = pytest.mark.django_db

N = 200
GENERATED = [
    District,
    Community,
    Building,
    RenovationItem,
    FundingLine,
    ElevatorRetrofit,
    Household,
    OwnerVote,
    PropertyService,
    RepairRequest,
]


def _generate(communities: int = N, seed: int = 7) -> str:
    out = StringIO()
    call_command("generate_scale_data", communities=communities, seed=seed, stdout=out)
    return out.getvalue()


def _fingerprint() -> dict:
    return {
        "districts": list(District.objects.order_by("code").values_list("code", "name")),
        "communities": list(
            Community.objects.order_by("id").values_list(
                "id", "name", "district__code", "renovation_status", "renovation_year"
            )
        ),
        "buildings": list(Building.objects.order_by("id").values_list("id", "storeys")),
        "budget": RenovationItem.objects.aggregate(total=Sum("budget"))["total"],
        "funding": FundingLine.objects.aggregate(total=Sum("amount"))["total"],
        "elevators": list(ElevatorRetrofit.objects.order_by("id").values_list("id", "stage")),
        "votes": OwnerVote.objects.count(),
        "services": list(PropertyService.objects.order_by("id").values_list("id", "mode")),
        "repairs": list(
            RepairRequest.objects.order_by("id").values_list("id", "status", "submitted_at")
        ),
    }


def _delete_generated() -> None:
    delete_newer()  # plans, parties, inspections... (tests/scale/test_extend.py)
    for model in reversed(GENERATED):
        model.objects.all().delete()


def test_it_makes_the_national_proportions_at_a_small_n():
    output = _generate()

    # At N = 220,000: 2,800 districts, 1,000,000 buildings, 2,000,000 items, 100,000
    # elevators, 50,000 property services, 5,000,000 repair requests.
    assert Community.objects.count() == N
    assert District.objects.count() == round(N * 2_800 / 220_000)
    assert 0.9 < Building.objects.count() / (N * 1_000_000 / 220_000) < 1.1
    assert 0.9 < RenovationItem.objects.count() / (N * 2_000_000 / 220_000) < 1.1
    assert FundingLine.objects.count() >= RenovationItem.objects.count()
    assert 0.6 < ElevatorRetrofit.objects.count() / (N * 100_000 / 220_000) < 1.4
    assert 0.6 < PropertyService.objects.count() / (N * 50_000 / 220_000) < 1.4
    assert 0.9 < RepairRequest.objects.count() / (N * 5_000_000 / 220_000) < 1.1
    assert OwnerVote.objects.exists() and Household.objects.exists()
    assert f"{N}/{N} communities" in output  # progress
    assert "Created" in output


def test_it_writes_the_sort_keys_the_lists_order_by():
    _generate(communities=20)

    for community in Community.objects.all():
        assert community.name_sort == pinyin_key(community.name)
        assert community.search_grams == search_grams(
            name=community.name,
            address=community.address,
            subdistrict=community.subdistrict,
            neighbourhood=community.neighbourhood,
        )
    for building in Building.objects.all()[:50]:
        assert building.label_sort == natural_key(building.label)
    for household in Household.objects.all()[:50]:
        assert household.room_sort == natural_key(household.room_number)


# Determinism does not depend on the size: 60 communities (every kind of record) are enough.
def test_it_is_deterministic_for_a_seed():
    _generate(communities=60, seed=11)
    first = _fingerprint()
    _delete_generated()

    _generate(communities=60, seed=11)

    assert _fingerprint() == first


def test_it_makes_different_data_for_another_seed():
    _generate(communities=60, seed=11)
    first = _fingerprint()
    _delete_generated()

    _generate(communities=60, seed=12)

    assert _fingerprint()["communities"] != first["communities"]


def test_it_adds_to_existing_data_and_the_orm_can_insert_after_it():
    _generate(communities=50)
    _generate(communities=50, seed=8)

    assert Community.objects.count() == 100
    # The id sequences moved past the generated ids: an ordinary insert does not collide.
    community = Community.objects.create(name="后来的小区", district=District.objects.first())
    assert community.pk > Community.objects.exclude(pk=community.pk).order_by("-pk")[0].pk


def test_its_rows_pass_the_model_rules():
    _generate(communities=60)

    for model in GENERATED:
        rows = list(model.objects.order_by("pk"))
        sample = rows[:: max(1, len(rows) // 20)]  # spread over the table, deterministically
        if model is OwnerVote:
            # A vote is checked while its retrofit still takes votes: OwnerVote.clean()
            # refuses every vote of a retrofit past consent, recorded or new.
            sample = [vote for vote in sample if vote.retrofit.stage == "intention"]
        assert sample, model
        for row in sample:
            row.full_clean()
    # Both kinds of retrofit it makes pass: intentions with votes under way, and elevators in
    # service with every stage dated, a unanimous vote and a registration number.
    for stage in ("intention", "in_service"):
        for retrofit in ElevatorRetrofit.objects.filter(stage=stage)[:10]:
            retrofit.full_clean()
        assert ElevatorRetrofit.objects.filter(stage=stage).exists()


def test_it_refuses_a_number_of_communities_below_one():
    with pytest.raises(CommandError):
        _generate(communities=0)


# --- counts at scale: large unfiltered lists report PostgreSQL's estimate -------------------


@pytest.fixture
def estimate_from_one_row(monkeypatch):
    from communities.core.api import pagination

    monkeypatch.setattr(pagination, "ESTIMATE_COUNT_FROM", 1)


def _analyze_communities() -> None:

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE communities_community")


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row estimates are PostgreSQL's")
def test_an_unfiltered_large_list_reports_the_estimated_count(
    estimate_from_one_row, anonymous_client, django_assert_num_queries
):
    _generate(communities=30)
    _analyze_communities()
    district = Community.objects.values_list("district__code", flat=True).first()
    Community.objects.create(name="分析之后的小区", district=District.objects.get(code=district))

    # The estimate, the page (without the unanalysed community in the count).
    with django_assert_num_queries(2):
        body = anonymous_client.get("/api/v1/communities/").json()
    assert body["count"] == 30
    assert len(body["results"]) == 30  # the page itself is read, not estimated

    # A filtered list counts exactly: the district by its code, the count, the page.
    with django_assert_num_queries(3):
        body = anonymous_client.get(f"/api/v1/communities/?district={district}").json()
    assert body["count"] == Community.objects.filter(district__code=district).count()


def test_a_list_below_the_threshold_counts_exactly(anonymous_client):
    _generate(communities=30)
    Community.objects.create(name="新的小区", district=District.objects.first())

    assert anonymous_client.get("/api/v1/communities/").json()["count"] == 31


def test_it_names_the_provinces_and_cities_above_the_districts_it_makes():
    from communities.places.models import Region

    _generate(communities=50)

    codes = set(District.objects.values_list("code", flat=True))
    regions = dict(Region.objects.values_list("code", "level"))
    for code in codes:
        assert regions[code[:2]] == "province"
        assert regions[code[:4]] == "city"
    assert Region.objects.get(code="37").name == "山东省"  # the seeded names are kept


def test_its_provinces_are_shaped_like_real_ones():
    from communities.scale.generate import district_codes

    codes = district_codes(2_800, set())

    provinces = {code[:2] for code in codes}
    cities = {code[:4] for code in codes}
    assert len(provinces) == 30  # 2,800 / 96 districts per province
    assert len([city for city in cities if city.startswith("11")]) == 16  # like Shandong
    assert len([code for code in codes if code.startswith("1101")]) == 6
    # A province that already holds districts (the demo's, an earlier run's) is left alone.
    assert not any(code.startswith("11") for code in district_codes(10, {"110101"}))
