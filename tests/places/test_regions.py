"""Regions above the districts: seeded for Shandong, checked like any record, and the prefix
query on district codes served by an index."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from communities.places.choices import RegionLevel
from communities.places.models import Community, District, Region
from communities.places.selectors import area_lookup

pytestmark = pytest.mark.django_db

SHANDONG_CITIES = {
    "3701": "济南市",
    "3702": "青岛市",
    "3703": "淄博市",
    "3704": "枣庄市",
    "3705": "东营市",
    "3706": "烟台市",
    "3707": "潍坊市",
    "3708": "济宁市",
    "3709": "泰安市",
    "3710": "威海市",
    "3711": "日照市",
    "3713": "临沂市",
    "3714": "德州市",
    "3715": "聊城市",
    "3716": "滨州市",
    "3717": "菏泽市",
}


def test_shandong_and_its_sixteen_cities_are_seeded():
    assert Region.objects.get(code="37").name == "山东省"
    assert Region.objects.get(code="37").level == RegionLevel.PROVINCE
    cities = dict(Region.objects.filter(level=RegionLevel.CITY).values_list("code", "name"))
    assert cities == SHANDONG_CITIES
    assert Region.objects.get(code="3709").name_en == "Tai'an"


def test_a_region_shows_its_english_name_in_english():
    taian = Region.objects.get(code="3709")

    assert str(taian) == "泰安市"
    with translation.override("en"):
        assert str(taian) == "Tai'an"
    assert taian.parent_code == "37"
    assert Region.objects.get(code="37").parent_code == ""
    assert taian.get_absolute_url() == "/regions/3709/"


@pytest.mark.parametrize(
    ("code", "level"),
    [("3", RegionLevel.PROVINCE), ("371", RegionLevel.CITY), ("44", RegionLevel.CITY),
     ("4401", RegionLevel.PROVINCE), ("44a1", RegionLevel.CITY)],
)  # fmt: skip
def test_a_code_must_match_its_level(code, level):
    region = Region(code=code, name="测试", level=level)

    with pytest.raises(ValidationError):
        region.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        region.save()


def test_a_new_city_is_accepted():
    region = Region(code="4401", name="广州市", name_en="Guangzhou", level=RegionLevel.CITY)
    region.full_clean()
    region.save()

    assert Region.objects.filter(code__startswith="44").count() == 1


def test_a_district_knows_its_city_and_province():
    district = District(code="370902", name="泰山区")

    assert (district.city_code, district.province_code) == ("3709", "37")


def test_the_area_lookup_keeps_the_communities_of_a_region_or_district():
    assert area_lookup("370902") == {"district__code": "370902"}
    assert area_lookup("3709") == {"district__code__startswith": "3709"}
    assert area_lookup("37", "") == {"code__startswith": "37"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_the_prefix_of_district_codes_is_served_by_an_index():
    """``code LIKE '3709%'`` is served by the ``varchar_pattern_ops`` index Django adds to a
    unique CharField on PostgreSQL (whatever the collation), so ``?region=`` never scans
    every district; the planner is told to avoid scans to see that it can."""
    District.objects.create(code="370902", name="泰山区")
    sql, _params = (
        Community.objects.filter(**area_lookup("3709")).values("id").query.sql_with_params()
    )
    district_sql, district_params = (
        District.objects.filter(code__startswith="3709").values("id").query.sql_with_params()
    )
    with connection.cursor() as cursor:
        # Neither a table scan nor a whole-index walk with a filter (the unique index can walk
        # a one-row table as cheaply): only an index whose condition is the prefix remains.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + district_sql, district_params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # Bitmap Index Scan on communities_district_code_…_like, Index Cond: code ~>=~ '3709' …
    assert "_like" in plan and "Index Cond" in plan, plan
    assert "LIKE" in sql.upper()
