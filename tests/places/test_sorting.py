"""Natural order for building and room numbers, pinyin order for community names: the pure
keys, where they are stored, and every list that orders by them (admin, API, public list)."""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from communities.elevators.models import Household
from communities.places.models import Building, Community
from communities.places.policy import SORT_KEY_LENGTH, natural_key, pinyin_key
from tests.support.api import API, api_client, openapi_document
from tests.support.elevators import add_households
from tests.support.factories import make_building, make_community, make_district

# The order a reader expects, shuffled in the fixtures below.
BUILDINGS = ["1号楼", "2号楼", "3号楼", "10号楼", "11号楼", "20号楼"]
ROOMS = ["101", "102", "201", "301", "1001", "1101"]
# 安 an, 白 bai, 长 chang, 岱 dai, 泰 tai, 中 zhong: code point order would be 中 安 岱 泰 白 长.
NAMES = ["安居小区", "白马小区", "长城小区", "岱岳花园", "泰山小区", "中山小区"]
SHUFFLED = [3, 0, 5, 1, 4, 2]


def shuffled(values: list[str]) -> list[str]:
    return [values[index] for index in SHUFFLED]


# --- The pure keys ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("function", "text", "key"),
    [
        (natural_key, "3号楼", "0000000003hao000lou000"),
        (natural_key, "12号楼", "0000000012hao000lou000"),
        (natural_key, "301", "0000000301"),
        (natural_key, "0301", "0000000301"),  # leading zeros do not count
        (natural_key, "３号楼", "0000000003hao000lou000"),  # full-width digits
        (natural_key, "A座2单元", "a00000zuo0000000000002dan000yuan00"),
        (natural_key, "a座2单元", "a00000zuo0000000000002dan000yuan00"),
        (natural_key, "", ""),
        (pinyin_key, "安居小区", "an0000ju0000xiao00qu0000"),
        (pinyin_key, "绿地", "lv0000di0000"),  # ü as v: ASCII only
        (pinyin_key, "岱岳区 · 长城", "dai000yue000qu0000chang0cheng0"),
    ],
)
def test_a_key_is_ascii_letters_and_padded_numbers(function, text, key):
    assert function(text) == key
    assert re.fullmatch(r"[0-9a-z]*", function(text))


@pytest.mark.parametrize(
    ("function", "expected"),
    [
        (natural_key, BUILDINGS),
        (natural_key, ROOMS),
        (natural_key, ["B1", "B2", "B10", "东区1号楼", "东区2号楼", "西区1号楼"]),
        (pinyin_key, NAMES),
        # A shorter syllable first, whatever follows: an < ang, xi'an < xian.
        (pinyin_key, ["安宁小区", "昂扬小区"]),
        (pinyin_key, ["西安小区", "先锋小区"]),
        (pinyin_key, ["幸福1区", "幸福2区", "幸福10区"]),
    ],
)
def test_sorting_by_the_key_gives_the_readers_order(function, expected):
    assert sorted(reversed(expected), key=function) == expected  # noqa: C414


def test_a_long_name_is_cut_to_the_column():
    assert len(pinyin_key("庄" * 100)) == SORT_KEY_LENGTH


# --- Stored on save and bulk_create ------------------------------------------------------------


@pytest.mark.django_db
def test_the_keys_are_stored_on_save_with_update_fields_and_on_bulk_create():
    community = make_community(name="泰山小区")
    assert Community.objects.get(pk=community.pk).name_sort == pinyin_key("泰山小区")

    community.name = "安居小区"
    community.save(update_fields=["name"])
    assert Community.objects.get(pk=community.pk).name_sort == pinyin_key("安居小区")

    (building,) = Building.objects.bulk_create(
        [Building(community=community, label="10号楼", storeys=12)]
    )
    assert Building.objects.get(pk=building.pk).label_sort == natural_key("10号楼")
    (household,) = add_households(building, [(10, "1001", "80.00")])
    assert Household.objects.get(pk=household.pk).room_sort == natural_key("1001")


# --- The lists ---------------------------------------------------------------------------------


@pytest.fixture
def buildings():
    community = make_community()
    for label in shuffled(BUILDINGS):
        make_building(community=community, label=label)
    return community


@pytest.fixture
def communities():
    district = make_district(code="370902", name="泰山区")
    return [make_community(district=district, name=name) for name in shuffled(NAMES)]


@pytest.mark.django_db
def test_a_communitys_buildings_and_a_units_rooms_are_in_natural_order(buildings):
    assert [b.label for b in Building.objects.filter(community=buildings)] == BUILDINGS
    building = make_building(community=buildings, label="30号楼", storeys=12)
    add_households(building, [(int(room[:-2]), room, "80.00") for room in shuffled(ROOMS)])
    rooms = Household.objects.filter(building=building).order_by("room_sort")
    assert [h.room_number for h in rooms] == ROOMS
    # The default order is by floor first, then room, both naturally.
    assert [h.room_number for h in Household.objects.filter(building=building)] == ROOMS


def _changelist(client, view: str, column: str | None = None, *, descending=False, **params):
    url = reverse(f"admin:communities_{view}_changelist")
    if column is not None:
        index = client.get(url).context["cl"].list_display.index(column)
        params["o"] = f"-{index}" if descending else str(index)
    return client.get(url, params).context["cl"].result_list


@pytest.mark.django_db
def test_the_admin_building_list_sorts_numbers_naturally(staff_client, buildings):
    assert [b.label for b in _changelist(staff_client, "building")] == BUILDINGS
    assert [b.label for b in _changelist(staff_client, "building", "label")] == BUILDINGS
    by_label_descending = _changelist(staff_client, "building", "label", descending=True)
    assert [b.label for b in by_label_descending] == BUILDINGS[::-1]


@pytest.mark.django_db
def test_the_admin_community_list_sorts_names_by_pinyin(staff_client, communities):
    assert [c.name for c in _changelist(staff_client, "community")] == NAMES
    assert [c.name for c in _changelist(staff_client, "community", "name")] == NAMES
    descending = _changelist(staff_client, "community", "name", descending=True)
    assert [c.name for c in descending] == NAMES[::-1]


@pytest.mark.django_db
def test_the_api_building_list_and_ordering_label_are_natural(buildings):
    client = api_client()
    base = f"{API}/buildings/?community={buildings.pk}"
    assert [row["label"] for row in client.get(base).json()["results"]] == BUILDINGS
    ascending = client.get(f"{base}&ordering=label").json()["results"]
    assert [row["label"] for row in ascending] == BUILDINGS
    descending = client.get(f"{base}&ordering=-label").json()["results"]
    assert [row["label"] for row in descending] == BUILDINGS[::-1]


@pytest.mark.django_db
def test_the_api_community_ordering_name_is_pinyin(communities):
    client = api_client()
    ascending = client.get(f"{API}/communities/?ordering=name").json()["results"]
    assert [row["name"] for row in ascending] == NAMES
    descending = client.get(f"{API}/communities/?ordering=-name,id").json()["results"]
    assert [row["name"] for row in descending] == NAMES[::-1]
    # An unknown field is still refused, and the key is not an ordering of its own.
    assert client.get(f"{API}/communities/?ordering=name_sort").status_code == 400


@pytest.mark.django_db
def test_the_schema_does_not_show_the_sort_keys():
    document = str(openapi_document())
    assert "name_sort" not in document
    assert "label_sort" not in document
    assert "room_sort" not in document


@pytest.mark.django_db
def test_the_public_list_sorts_names_by_pinyin(anonymous_client, communities):
    for sort in ("name", "district"):
        page = anonymous_client.get(reverse("site:community-list"), {"sort": sort})
        assert [c.name for c in page.context["page"].object_list] == NAMES


# --- The migration that filled the existing rows -----------------------------------------------


@pytest.mark.django_db
def test_the_migration_fills_existing_rows_in_batches(buildings, communities):
    migration = importlib.import_module("communities.migrations.0014_sort_keys")
    building = make_building(community=buildings, label="30号楼", storeys=12)
    add_households(building, [(3, "301", "80.00"), (10, "1001", "80.00")])
    # Rows as they were before the migration: no keys.
    Community.objects.update(name_sort="")
    Building.objects.update(label_sort="")
    Household.objects.update(room_sort="")

    migration.fill_sort_keys(django_apps, None, batch_size=2)

    for community in Community.objects.all():
        assert community.name_sort == pinyin_key(community.name)
    for each in Building.objects.all():
        assert each.label_sort == natural_key(each.label)
    assert {h.room_number: h.room_sort for h in Household.objects.all()} == {
        "301": natural_key("301"),
        "1001": natural_key("1001"),
    }
    labels = [b.label for b in Building.objects.filter(community=buildings)]
    assert labels == [*BUILDINGS, "30号楼"]
