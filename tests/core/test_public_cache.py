"""Anonymous reads of public pages come from the cache until what they show changes."""

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse

from communities.places.models import Community
from communities.reporting import selectors
from tests.support import factories as f
from tests.support.api import API, api_client
from tests.support.caching import token_writes
from tests.support.participation import make_proposal
from tests.support.repairs import make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def community():
    return f.make_community(name="岱宗小区")


def _page(client, community, **headers):
    return client.get(reverse("site:community", args=[community.pk]), **headers)


def test_a_second_anonymous_read_is_served_from_the_cache_without_a_query(
    community, anonymous_client, django_assert_num_queries
):
    first = _page(anonymous_client, community)
    assert first["X-Public-Cache"] == "miss"

    with django_assert_num_queries(0):
        second = _page(Client(), community)
    assert second.status_code == 200
    assert second["X-Public-Cache"] == "hit"
    assert second.content == first.content
    # Security headers are added to cached answers as well.
    assert second["X-Frame-Options"] == first["X-Frame-Options"]
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_saving_what_a_page_shows_makes_it_fresh(community, anonymous_client):
    _page(anonymous_client, community)
    community.name = "泰山新村"
    community.save()

    response = _page(anonymous_client, community)
    assert response["X-Public-Cache"] == "miss"
    assert "泰山新村" in response.content.decode()


def test_a_participation_record_makes_the_community_page_fresh(anonymous_client):
    proposal = make_proposal()
    _page(anonymous_client, proposal.community)
    make_proposal(community=proposal.community)
    assert _page(anonymous_client, proposal.community)["X-Public-Cache"] == "miss"


def test_a_repair_request_leaves_cached_pages_as_they_are(community, anonymous_client):
    _page(anonymous_client, community)
    make_request(community=community)
    assert _page(anonymous_client, community)["X-Public-Cache"] == "hit"


def test_a_write_that_sends_no_signal_is_seen_after_invalidate_statistics(
    community, anonymous_client
):
    _page(anonymous_client, community)
    Community.objects.filter(pk=community.pk).update(households=F("households") + 1)
    assert _page(anonymous_client, community)["X-Public-Cache"] == "hit"

    selectors.invalidate_statistics()  # what bulk loads and imports call
    assert _page(anonymous_client, community)["X-Public-Cache"] == "miss"


def test_each_language_has_its_own_copy(community, anonymous_client):
    chinese = _page(anonymous_client, community, HTTP_ACCEPT_LANGUAGE="zh-hans")
    english = _page(anonymous_client, community, HTTP_ACCEPT_LANGUAGE="en")
    assert english["X-Public-Cache"] == "miss"
    assert english.content != chinese.content
    assert _page(anonymous_client, community, HTTP_ACCEPT_LANGUAGE="en").content == (
        english.content
    )


def test_staff_are_never_served_a_cached_page(community, anonymous_client, staff_client):
    _page(anonymous_client, community)
    response = _page(staff_client, community)
    assert response.status_code == 200
    assert "X-Public-Cache" not in response


def test_api_reads_are_cached_for_the_public_and_never_for_a_token(community, city_admin):
    url = f"{API}/communities/{community.pk}/"
    assert api_client().get(url)["X-Public-Cache"] == "miss"
    assert api_client().get(url)["X-Public-Cache"] == "hit"
    assert "X-Public-Cache" not in api_client(city_admin).get(url)
    # The browsable API is another representation, kept apart.
    assert api_client().get(url, HTTP_ACCEPT="text/html")["X-Public-Cache"] == "miss"


def test_only_successful_reads_of_listed_pages_are_cached(community, anonymous_client):
    missing = reverse("site:community", args=[community.pk + 1000])
    assert anonymous_client.get(missing).status_code == 404
    assert "X-Public-Cache" not in anonymous_client.get(missing)
    assert "X-Public-Cache" not in anonymous_client.get("/healthz")
    assert "X-Public-Cache" not in anonymous_client.get(f"{API}/service-requests/")


def test_it_can_be_turned_off(community, anonymous_client, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    _page(anonymous_client, community)
    assert "X-Public-Cache" not in _page(anonymous_client, community)


def test_the_language_switch_works_from_a_cached_page_without_a_csrf_token(community):
    client = Client(enforce_csrf_checks=True)
    _page(Client(), community)
    page = _page(client, community)
    assert page["X-Public-Cache"] == "hit"
    assert "csrfmiddlewaretoken" not in page.content.decode()

    response = client.post(reverse("set_language"), {"language": "en", "next": "/map/"})
    assert response.status_code == 302
    assert client.get("/map/", HTTP_ACCEPT_LANGUAGE="zh-hans").wsgi_request.LANGUAGE_CODE == "en"


def test_a_repair_request_filed_through_the_api_leaves_cached_pages_as_they_are(
    community, city_admin
):
    url = f"{API}/communities/{community.pk}/"
    api_client().get(url)
    response = api_client(city_admin).post(
        f"{API}/service-requests/",
        {
            "community": community.pk,
            "category": "plumbing",
            "description": "楼道水管漏水",
            "source": "staff",
            "is_public": False,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert api_client().get(url)["X-Public-Cache"] == "hit"


# --- A deletion replaces the tokens once (caching.tokens_replaced_once) -------------------------


def _with_parts(community: Community) -> Community:
    for label in ("1", "2", "3"):
        f.make_building(community=community, label=label)
    for _ in range(3):
        f.make_item(community=community)
    return community


def test_inside_the_block_each_token_is_replaced_once_when_it_ends(monkeypatch):
    from communities.core import caching

    writes = token_writes(monkeypatch)
    before = caching.version_token("public-pages:version")
    with caching.tokens_replaced_once():
        for _ in range(3):
            caching.invalidate_public_pages()
            with caching.tokens_replaced_once():  # an inner block leaves it to the outer one
                selectors.invalidate_statistics()
        assert writes == []
        assert caching.version_token("public-pages:version") == before
    assert sorted(writes) == sorted({"public-pages:version", selectors._VERSION_KEY})
    assert caching.version_token("public-pages:version") != before


def test_a_failed_block_still_replaces_the_tokens(monkeypatch):
    from communities.core import caching

    writes = token_writes(monkeypatch)
    with pytest.raises(RuntimeError), caching.tokens_replaced_once():
        caching.invalidate_public_pages()
        raise RuntimeError("after a change")
    assert writes == ["public-pages:version"]


def test_deleting_a_community_in_the_admin_replaces_the_tokens_once(
    community, anonymous_client, staff_client, monkeypatch
):
    _with_parts(community)
    assert _page(anonymous_client, community)["X-Public-Cache"] == "miss"
    listed = anonymous_client.get(reverse("site:community-list"))
    writes = token_writes(monkeypatch)

    url = reverse("admin:communities_community_delete", args=[community.pk])
    assert staff_client.post(url, {"post": "yes"}).status_code == 302

    assert not Community.objects.filter(pk=community.pk).exists()
    assert sorted(writes) == sorted({"public-pages:version", selectors._VERSION_KEY})
    again = Client().get(reverse("site:community-list"))
    assert again["X-Public-Cache"] == "miss" and again.content != listed.content


def test_deleting_through_the_api_replaces_the_tokens_once(community, city_admin, monkeypatch):
    _with_parts(community)
    writes = token_writes(monkeypatch)

    response = api_client(city_admin).delete(f"{API}/communities/{community.pk}/")

    assert response.status_code == 204
    assert sorted(writes) == sorted({"public-pages:version", selectors._VERSION_KEY})
