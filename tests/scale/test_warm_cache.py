"""``manage.py warm_cache`` fills the statistics and the public pages, within its time."""

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from communities.places.choices import RenovationStatus
from tests.support import factories as f

pytestmark = pytest.mark.django_db

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _warm(**options) -> str:
    out = StringIO()
    call_command("warm_cache", stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


@override_settings(PUBLIC_CACHE_SECONDS=60)
def test_readers_then_get_the_pages_and_statistics_from_the_cache(django_assert_num_queries):
    district = f.make_district()
    f.make_busy_community(district=district, renovation_status=RenovationStatus.COMPLETED)

    printed = _warm(hosts=["testserver"])

    assert "the city's statistics in 2 language(s)" in printed
    assert "6 public page(s) for testserver" in printed  # 3 pages in 2 languages
    assert "statistics of 1 district(s)" in printed
    reader = Client()
    with django_assert_num_queries(0):
        home = reader.get("/", HTTP_ACCEPT=BROWSER_ACCEPT, HTTP_ACCEPT_LANGUAGE="zh-hans")
        stats = reader.get("/api/v1/stats/", HTTP_ACCEPT="application/json")
    assert home.status_code == stats.status_code == 200
    assert home["X-Public-Cache"] == "hit"
    # A district's statistics are computed: its page needs only its own queries.
    with django_assert_num_queries(2):  # the district, its latest completed communities
        page = reader.get(f"/districts/{district.code}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200


def test_it_stops_starting_work_when_its_time_is_up():
    for _ in range(3):
        f.make_district()
    printed = _warm(hosts=["testserver"], seconds=0.000001)
    assert "(time ran out)" in printed
    assert "statistics of 0 district(s)" in printed


def test_districts_can_be_limited():
    for _ in range(3):
        f.make_district()
    printed = _warm(hosts=["testserver"], districts=2)
    assert "statistics of 2 district(s)" in printed


def test_a_non_positive_time_is_refused():
    with pytest.raises(CommandError):
        _warm(seconds=0)
