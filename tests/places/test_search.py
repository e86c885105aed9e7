"""Short searches: one or two characters through the search grams (a GIN index on PostgreSQL),
the same communities as icontains on either database, kept current by every write path."""

import pytest
from django.db import connection
from django.urls import reverse

from communities.places.models import Community
from communities.places.policy import search_grams, short_search_term, text_grams
from communities.places.selectors import community_search_q
from tests.support.factories import make_community, make_district

pytestmark = pytest.mark.django_db

TEXTS = [
    # name, address, subdistrict, neighbourhood
    ("和平小区", "红门路12号", "岱庙街道", "和平社区"),
    ("平和苑", "东岳大街3号", "财源街道", "东湖社区"),
    ("东岳苑110000", "和平路1号", "岱庙街道", "红门社区"),
    ("Lakeside 花园", "青年路 8 号", "泰前街道", "青年社区"),
    ("百分%小区", "下划_线路", "上高街道", "和 平社区"),
]
TERMS = [
    "和",  # one character, in names, addresses and neighbourhoods
    "平",
    "和平",  # two: name, address, neighbourhood; not across the name/address boundary
    "平和",
    "区红",  # straddles name and address when joined: must match nothing
    "11",
    "00",
    "ak",  # Latin, any case
    "LA",
    "%",  # LIKE's wildcards are plain characters
    "_",
    "和平路",  # three or more: icontains (trigram-indexed on PostgreSQL)
    "东岳苑110000",
    "青年路 8",
    "和 平",  # a space: icontains
    "无此字",
]


@pytest.fixture
def communities():
    district = make_district(name="泰山区")
    return [
        make_community(
            district=district,
            name=name,
            address=address,
            subdistrict=subdistrict,
            neighbourhood=neighbourhood,
        )
        for name, address, subdistrict, neighbourhood in TEXTS
    ]


def _expected(communities, term: str, *, localities: bool = False) -> set[int]:
    """icontains, written out in Python: the oracle both databases are held to."""
    columns = ["name", "address"] + (["subdistrict", "neighbourhood"] if localities else [])
    return {
        c.pk for c in communities if any(term.lower() in getattr(c, col).lower() for col in columns)
    }


def _found(term: str, *, localities: bool = False) -> set[int]:
    q = community_search_q(term, using="default", localities=localities)
    return set(Community.objects.filter(q).values_list("pk", flat=True))


def test_the_grams_are_every_character_and_pair_without_spaces():
    assert text_grams("和平 Ab") == {"和", "平", "和平", "a", "b", "ab"}
    stored = search_grams(name="和平", address="", subdistrict="东", neighbourhood="")
    assert set(stored.split(" ")) == {"和", "和平", "平", "s:东"}


def test_only_short_terms_without_spaces_use_the_grams():
    assert [short_search_term(t) for t in ("和", "和平", "AB", "和平路", "和 ", "")] == [
        "和",
        "和平",
        "ab",
        None,
        None,
        None,
    ]


@pytest.mark.parametrize("term", TERMS)
def test_a_search_finds_what_icontains_finds_on_this_database(communities, term):
    assert _found(term) == _expected(communities, term)
    assert _found(term, localities=True) == _expected(communities, term, localities=True)


def test_short_searches_find_names_and_addresses_alike(communities):
    peace, _, dongyue, *_rest = communities

    assert _found("和平") == {peace.pk, dongyue.pk}  # a name, an address
    assert _found("区红") == set()


def test_the_api_q_filter_uses_the_same_search(anonymous_client, communities):
    response = anonymous_client.get("/api/v1/communities/", {"q": "和平"})

    assert response.status_code == 200
    found = {row["id"] for row in response.json()["results"]}
    assert found == _expected(communities, "和平")


def test_the_public_list_finds_a_one_character_name(anonymous_client, communities):
    response = anonymous_client.get(reverse("site:community-list"), {"q": "苑"})

    assert response.status_code == 200
    shown = {c.pk for c in response.context["page"].object_list}
    assert shown == _expected(communities, "苑")


def test_the_admin_search_matches_localities_and_districts_too(staff_client, communities):
    url = reverse("admin:communities_community_changelist")

    by_word = staff_client.get(url, {"q": "和平"})
    by_district = staff_client.get(url, {"q": "泰山"})

    assert by_word.status_code == 200
    # 和平 is a name and a neighbourhood committee (one community), an address (another);
    # "和 平社区" has a space between.
    shown = {c.pk for c in by_word.context["cl"].result_list}
    assert shown == _expected(communities, "和平", localities=True)
    assert shown == {communities[0].pk, communities[2].pk}
    assert by_district.context["cl"].result_count == len(communities)


def test_the_grams_follow_every_write(communities):
    peace = communities[0]

    peace.address = "幸福路9号"
    peace.save(update_fields=["address"])  # a partial save stores the grams with it
    Community.objects.bulk_create(
        [Community(name="幸运家园", district=peace.district, latitude=36, longitude=117)]
    )

    assert _found("幸福") == {peace.pk}
    found = Community.objects.filter(community_search_q("幸", using="default"))
    assert {c.name for c in found} == {"和平小区", "幸运家园"}


def test_a_reverted_version_is_found_by_its_restored_name(communities):
    peace = communities[0]
    first = peace.history.earliest()
    peace.name = "幸福里"
    peace.save()

    first.instance.save()  # what the admin's "revert" does

    assert _found("和平") >= {peace.pk}
    assert peace.pk not in _found("幸福")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index is PostgreSQL's")
def test_a_two_character_search_reads_the_gin_index_on_a_large_table():
    district = make_district()
    Community.objects.bulk_create(
        Community(
            name=f"{'和平' if n % 250 == 0 else '东岳'}小区{n}",
            address=f"红门路{n}号",
            district=district,
            latitude=36,
            longitude=117,
        )
        for n in range(1000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE communities_community")
        # A thousand rows still fit in a few pages, which PostgreSQL would rather read whole;
        # at national scale it picks the index by itself (docs/national-scale.md).
        cursor.execute("SET LOCAL enable_seqscan = off")
    queryset = Community.objects.filter(community_search_q("和平", using="default")).order_by()

    plan = queryset.values("pk").explain()

    assert "community_search_grams" in plan, plan
    assert queryset.count() == 4
