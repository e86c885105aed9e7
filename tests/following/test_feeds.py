"""The Atom feeds of a community and a district: valid Atom, public news only, newest first,
and a fixed number of queries."""

from datetime import timedelta

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities.core.clock import local_midnight
from communities.following.news import news_for
from communities.works.choices import ItemStatus
from tests.support.factories import make_community, make_district, make_item
from tests.support.following import ROOM, make_newsworthy_community
from tests.support.repairs import SECRET_NAME, SECRET_PHONE

pytestmark = pytest.mark.django_db

# The feed's own read (the community or district) and the nine of news_for: communities,
# items, plans, elevators, public repairs, and the history of the first four.
FEED_QUERIES = 10


def _parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def _assert_valid_atom(feed) -> None:
    """RFC 4287's required elements: the feed's id, title, updated and author; each entry's id,
    title, updated and a link."""
    assert feed.feed.get("id")
    assert feed.feed.get("title")
    assert feed.feed.get("updated_parsed")
    assert feed.feed.get("author")
    ids = [entry.id for entry in feed.entries]
    assert len(ids) == len(set(ids))
    for entry in feed.entries:
        assert entry.get("title")
        assert entry.get("updated_parsed")
        assert entry.get("link", "").startswith("http://testserver/communities/")


def test_a_communitys_feed_is_valid_atom_with_every_kind_of_public_news(anonymous_client):
    community = make_newsworthy_community(name="乐园小区")

    feed = _parse(
        anonymous_client.get(f"/communities/{community.pk}/feed/", HTTP_ACCEPT_LANGUAGE="en")
    )

    _assert_valid_atom(feed)
    titles = [entry.title for entry in feed.entries]
    joined = "\n".join(titles)
    for expected in [
        "雨污分流改造",  # work began
        "外墙保温",  # halfway
        "道路修缮",  # finished and accepted
        "公示中的方案",  # design plan in public notice
        "已批复的方案",  # design plan approved
        "5号楼",  # elevators: in public notice, accepted, in service
        "Renovation began: 乐园小区",
    ]:
        assert expected in joined, expected
    assert sum("5号楼" in title for title in titles) == 4  # notice ×2, accepted, in service
    assert sum(title.startswith("Repair done") for title in titles) == 1  # the public one
    assert sum(title.startswith("Work began") for title in titles) == 3
    assert sum(title.startswith("Halfway") for title in titles) == 1
    assert sum(title.startswith("Work finished") for title in titles) == 1
    assert sum(title.startswith("Accepted") for title in titles) == 1
    # Newest first.
    published = [entry.published_parsed for entry in feed.entries]
    assert published == sorted(published, reverse=True)


def test_a_feed_carries_nothing_private(anonymous_client):
    community = make_newsworthy_community()

    body = anonymous_client.get(f"/communities/{community.pk}/feed/").content.decode()

    for secret in [SECRET_NAME, SECRET_PHONE, ROOM, "草稿方案", "更换了水管", "水管爆裂"]:
        assert secret not in body


def test_a_districts_feed_has_its_communities_news_and_no_others(anonymous_client):
    district = make_district(code="370902", name="泰山区")
    make_newsworthy_community(district=district, name="乐园小区")
    make_newsworthy_community(district=make_district(code="370911"), name="外区小区")

    feed = _parse(anonymous_client.get("/districts/370902/feed/"))

    _assert_valid_atom(feed)
    assert "泰山区" in feed.feed.title
    text = "\n".join(entry.title + entry.summary for entry in feed.entries)
    assert "乐园小区" in text
    assert "外区小区" not in text


def test_an_empty_feed_is_still_valid_atom(anonymous_client):
    community = make_community()

    feed = _parse(anonymous_client.get(f"/communities/{community.pk}/feed/"))

    _assert_valid_atom(feed)
    assert feed.entries == []


@pytest.mark.parametrize(
    "path",
    [
        "/communities/999999/feed/",
        "/communities/99999999999999999999/feed/",
        "/districts/000000/feed/",
    ],
)
def test_a_feed_of_nothing_is_a_404(anonymous_client, path):
    assert anonymous_client.get(path).status_code == 404


def test_the_feed_costs_the_same_queries_however_much_news(anonymous_client):
    district = make_district(code="370902")
    one = make_newsworthy_community(district=district)
    with CaptureQueriesContext(connection) as small:
        anonymous_client.get("/districts/370902/feed/")
    make_newsworthy_community(district=district)
    with CaptureQueriesContext(connection) as large:
        anonymous_client.get("/districts/370902/feed/")
    with CaptureQueriesContext(connection) as community:
        anonymous_client.get(f"/communities/{one.pk}/feed/")

    assert len(small) == len(large) == len(community) == FEED_QUERIES


def test_the_feed_is_limited_to_the_newest_news(anonymous_client):
    community = make_community()
    for number in range(35):
        make_item(community=community, title=f"工程{number}", status=ItemStatus.UNDER_CONSTRUCTION)

    feed = _parse(anonymous_client.get(f"/communities/{community.pk}/feed/"))

    assert len(feed.entries) == 30


def test_halfway_is_dated_when_history_first_records_it():
    community = make_community()
    item = make_item(community=community, status=ItemStatus.UNDER_CONSTRUCTION, progress=30)
    assert not [n for n in news_for(community=community) if n.key.endswith("halfway")]
    before = timezone.now()
    item.progress = 55
    item.save()
    item.progress = 70
    item.save()

    halfway = [n for n in news_for(community=community) if n.key.endswith("halfway")]

    assert len(halfway) == 1
    assert before < halfway[0].recorded < timezone.now()
    assert "70%" in halfway[0].summary


def test_the_community_and_district_pages_link_their_feeds(anonymous_client):
    community = make_community(district=make_district(code="370902"))

    page = anonymous_client.get(f"/communities/{community.pk}/").content.decode()
    district_page = anonymous_client.get("/districts/370902/").content.decode()

    feed = reverse("following:community-feed", args=[community.pk])
    assert '<link rel="alternate" type="application/atom+xml"' in page
    assert f'href="{feed}"' in page
    assert f'<a href="{feed}"' in page
    assert 'href="/districts/370902/feed/"' in district_page
    assert f'action="/follow/community/{community.pk}/"' in page
    assert 'action="/follow/district/370902/"' in district_page


def test_a_start_entered_ahead_of_its_day_is_news_on_that_day(monkeypatch):
    community = make_community()
    tomorrow = timezone.localdate() + timedelta(days=1)
    make_item(
        community=community,
        status=ItemStatus.UNDER_CONSTRUCTION,
        actual_start=tomorrow,
        validate=False,
    )
    assert news_for(community=community) == []

    monkeypatch.setattr("communities.following.news.today", lambda: tomorrow)
    (started,) = news_for(community=community)

    assert started.on == tomorrow
    assert started.recorded == local_midnight(tomorrow)
