"""The city's statistics are cached, and every change they depend on makes the cache stale."""

import time
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache

from communities.elevators.choices import ElevatorStage
from communities.places.choices import RenovationStatus
from communities.places.models import Community
from communities.reporting import selectors
from tests.support import factories as f

pytestmark = pytest.mark.django_db


def _renovated() -> int:
    return selectors.city_statistics()["communities_renovated"]


def test_a_second_read_comes_from_the_cache(django_assert_num_queries):
    f.make_community(renovation_status=RenovationStatus.COMPLETED)
    selectors.city_statistics()

    with django_assert_num_queries(0):
        assert selectors.city_statistics()["communities_renovated"] == 1


def test_each_district_and_year_is_cached_apart():
    district = f.make_district()
    f.make_community(district=district, renovation_status=RenovationStatus.COMPLETED)
    f.make_community(renovation_status=RenovationStatus.COMPLETED)

    assert selectors.city_statistics()["communities_renovated"] == 2
    assert selectors.city_statistics(district=district.code)["communities_renovated"] == 1
    assert selectors.city_statistics(year=2022)["communities_renovated"] == 2
    assert selectors.city_statistics(year=2021)["communities_renovated"] == 0


def test_saving_a_community_invalidates_it():
    community = f.make_community(renovation_status=RenovationStatus.UNDER_CONSTRUCTION)
    assert _renovated() == 0

    community.renovation_status = RenovationStatus.COMPLETED
    community.completed_on = date(2022, 12, 1)
    community.save()

    assert _renovated() == 1


def test_deleting_a_community_invalidates_it():
    community = f.make_community(renovation_status=RenovationStatus.COMPLETED)
    assert _renovated() == 1

    community.delete()

    assert _renovated() == 0


def test_an_item_invalidates_the_investment_figures():
    community = f.make_community(renovation_status=RenovationStatus.COMPLETED)
    item = f.make_item(community=community, budget=Decimal("1000.00"))
    assert selectors.city_statistics()["by_category"][0]["budget"] == Decimal("1000.00")

    item.budget = Decimal("2500.00")
    item.save()

    assert selectors.city_statistics()["by_category"][0]["budget"] == Decimal("2500.00")


def test_an_elevator_entering_service_invalidates_it():
    community = f.make_community(renovation_status=RenovationStatus.COMPLETED)
    building = f.make_building(community=community)
    assert selectors.city_statistics()["elevators_in_service"] == 0

    f.make_elevator(building=building, stage=ElevatorStage.IN_SERVICE)

    assert selectors.city_statistics()["elevators_in_service"] == 1


def test_a_facility_and_a_property_service_invalidate_it():
    community = f.make_community(renovation_status=RenovationStatus.COMPLETED)
    assert selectors.city_statistics()["communities_with_property_service"] == 0
    f.make_service(community=community)
    assert selectors.city_statistics()["communities_with_property_service"] == 1

    facility = f.make_facility(community=community)
    assert selectors.city_statistics()["facilities_by_kind"][0]["facilities"] == 1
    facility.delete()
    assert selectors.city_statistics()["facilities_by_kind"] == []


def test_renaming_a_district_invalidates_it():
    district = f.make_district()
    f.make_community(district=district)
    selectors.city_statistics()

    district.name = "新名字区"
    district.save()

    assert selectors.city_statistics()["by_district"][0]["district_name"] == "新名字区"


def test_a_write_that_sends_no_signal_is_seen_after_invalidate_statistics():
    community = f.make_community(renovation_status=RenovationStatus.COMPLETED)
    assert _renovated() == 1
    type(community).objects.filter(pk=community.pk).update(
        renovation_status=RenovationStatus.UNDER_CONSTRUCTION, completed_on=None
    )
    assert _renovated() == 1  # still the cached figure: update() sends no signal

    selectors.invalidate_statistics()

    assert _renovated() == 0


def test_the_api_serves_fresh_figures_after_a_write(anonymous_client):
    community = f.make_community(renovation_status=RenovationStatus.UNDER_CONSTRUCTION)
    assert anonymous_client.get("/api/v1/stats/").json()["communities_renovated"] == 0

    community.renovation_status = RenovationStatus.COMPLETED
    community.completed_on = date(2022, 12, 1)
    community.save()

    assert anonymous_client.get("/api/v1/stats/").json()["communities_renovated"] == 1


def test_a_second_api_read_runs_no_query_and_each_language_has_its_own_body(
    anonymous_client, django_assert_num_queries
):
    f.make_item(community=f.make_community(renovation_status=RenovationStatus.COMPLETED))
    chinese = anonymous_client.get("/api/v1/stats/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    english = anonymous_client.get("/api/v1/stats/", HTTP_ACCEPT_LANGUAGE="en")
    assert (
        chinese.json()["by_category"][0]["category_display"]
        != (english.json()["by_category"][0]["category_display"])
    )

    with django_assert_num_queries(0):
        again = anonymous_client.get("/api/v1/stats/", HTTP_ACCEPT_LANGUAGE="en")
    assert again.content == english.content
    assert again["Content-Type"] == "application/json"


def test_while_one_process_recomputes_the_others_get_the_previous_figures():
    community = f.make_community(renovation_status=RenovationStatus.UNDER_CONSTRUCTION)
    assert _renovated() == 0
    community.renovation_status = RenovationStatus.COMPLETED
    community.completed_on = date(2022, 12, 1)
    community.save()

    # Another process has started recomputing the figures: this one does not compute them too.
    lock = "statistics:figures:None:None:computing"
    assert cache.add(lock, "someone-else", 60)
    assert _renovated() == 0
    cache.delete(lock)  # it finished (here: gave up); the next reader computes
    assert _renovated() == 1


def test_figures_older_than_the_freshness_limit_are_recomputed(monkeypatch):
    f.make_community(renovation_status=RenovationStatus.COMPLETED)
    assert _renovated() == 1
    Community.objects.update(renovation_status=RenovationStatus.PLANNED)  # sends no signal
    assert _renovated() == 1

    later = time.time() + selectors.STATISTICS_CACHE_SECONDS + 1
    monkeypatch.setattr(selectors.time, "time", lambda: later)
    assert _renovated() == 0


def test_city_wide_figures_count_every_row_and_a_district_only_its_own():
    inside = f.make_community(renovation_status=RenovationStatus.COMPLETED)
    outside = f.make_community(renovation_status=RenovationStatus.COMPLETED)
    for community in (inside, outside):
        f.make_item(community=community, budget=Decimal("100.00"))
        f.make_facility(community=community)
    city = selectors.compute_city_statistics()
    district = selectors.compute_city_statistics(district=inside.district.code)
    assert sum(row["budget"] for row in city["by_category"]) == Decimal("200.00")
    assert sum(row["budget"] for row in district["by_category"]) == Decimal("100.00")
    assert sum(row["facilities"] for row in city["facilities_by_kind"]) == 2
    assert sum(row["facilities"] for row in district["facilities_by_kind"]) == 1
    assert sum(row["budget"] for row in district["by_year"]) == Decimal("100.00")
