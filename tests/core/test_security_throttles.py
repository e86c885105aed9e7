"""Throttles and the login lockout count per client, as communities.core.client_ip resolves it:
a made-up X-Forwarded-For neither resets a count nor, behind a trusted proxy, merges two
clients into one; every limit answers 429 with Retry-After."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.throttling import SimpleRateThrottle

from communities.core.client_ip import client_ip
from communities.repairs import services as services_repairs
from tests.support.api import API
from tests.support.factories import make_building, make_community

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"
OPEN311 = "/open311/v2/requests.json"


@pytest.fixture
def rates(monkeypatch):
    """Set throttle rates for one test. DRF reads them once, onto the throttle class (as the
    benchmark command does), so the class attribute is what changes."""

    def set_rates(**scopes: str) -> None:
        monkeypatch.setattr(
            SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, **scopes}
        )

    return set_rates


@pytest.fixture
def uncached(settings):
    """Anonymous reads served from the public cache never reach a view's throttle."""
    settings.PUBLIC_CACHE_SECONDS = 0


def _retry_after(response) -> int:
    return int(response["Retry-After"])


# --- Resolving the client ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.7", PROXY),  # no trusted proxy: the header is ignored
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "1.2.3.4, 198.51.100.7", "198.51.100.7"),  # the left part is the client's own
        (2, "1.2.3.4, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (2, "198.51.100.7", "198.51.100.7"),  # fewer addresses than proxies: the leftmost
        (1, "not-an-address", PROXY),
        (1, "", PROXY),
    ],
)
def test_the_client_is_the_nth_forwarded_address_from_the_right(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected


# --- The API ----------------------------------------------------------------------------------


def test_a_rotating_x_forwarded_for_does_not_reset_the_anonymous_api_throttle(
    settings, rates, uncached
):
    settings.TRUSTED_PROXY_COUNT = 0
    rates(anon="3/minute")
    client = Client(REMOTE_ADDR="203.0.113.9")

    statuses = [
        client.get(f"{API}/districts/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(4)
    ]

    assert statuses == [200, 200, 200, 429]
    throttled = client.get(f"{API}/districts/", HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert throttled.status_code == 429
    assert _retry_after(throttled) > 0
    assert "detail" in throttled.json()


def test_behind_one_trusted_proxy_two_clients_are_counted_apart(settings, rates, uncached):
    settings.TRUSTED_PROXY_COUNT = 1
    rates(anon="2/minute")
    proxy = Client(REMOTE_ADDR=PROXY)

    first = [
        proxy.get(f"{API}/districts/", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code
        for _ in range(3)
    ]
    # The first client makes up an address to the left of the one the proxy appended.
    spoofed = proxy.get(f"{API}/districts/", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1")
    second = proxy.get(f"{API}/districts/", HTTP_X_FORWARDED_FOR="198.51.100.2")

    assert first == [200, 200, 429]
    assert spoofed.status_code == 429
    assert second.status_code == 200


def test_an_anonymous_request_is_counted_by_the_anonymous_throttle_alone(
    rates, uncached, django_user_model
):
    rates(anon="100/minute", user="2/minute")
    anonymous = Client(REMOTE_ADDR="198.51.100.7")
    signed_in = Client(REMOTE_ADDR="198.51.100.7")
    signed_in.force_login(django_user_model.objects.create_user("reader"))

    # The users' rate is lower here, yet it does not count the anonymous client's reads...
    assert [anonymous.get(f"{API}/districts/").status_code for _ in range(3)] == [200] * 3
    # ...and it counts a signed-in user's, from the same address, by the user.
    assert [signed_in.get(f"{API}/districts/").status_code for _ in range(3)] == [200, 200, 429]
    assert anonymous.get(f"{API}/districts/").status_code == 200


# --- Open311 filing ---------------------------------------------------------------------------


@pytest.fixture
def community(db):
    community = make_community(name="乐园小区")
    make_building(community=community, label="3号楼", entrance_units=3)
    return community


def _file(key: str, community, address: str):
    data = {
        "api_key": key,
        "service_code": "plumbing",
        "address_id": str(community.pk),
        "description": "3号楼楼道水管爆裂",
    }
    return Client(REMOTE_ADDR=address).post(OPEN311, data)


def test_open311_filing_is_limited_per_api_key(rates, community):
    rates(open311_key="2/hour", open311_address="100/hour")
    _, key = services_repairs.open311_client_create(name="12345热线")

    statuses = [_file(key, community, f"198.51.100.{n}").status_code for n in range(2)]
    throttled = _file(key, community, "198.51.100.3")

    assert statuses == [201, 201]
    assert throttled.status_code == 429
    assert _retry_after(throttled) > 0
    assert throttled.json()[0]["code"] == 429
    assert throttled.json()[0]["description"]


def test_open311_filing_is_limited_per_address(rates, community):
    rates(open311_key="100/hour", open311_address="2/hour")
    _, hotline = services_repairs.open311_client_create(name="12345热线")
    _, wechat = services_repairs.open311_client_create(name="小程序", source="wechat")

    statuses = [_file(key, community, "198.51.100.1").status_code for key in (hotline, wechat)]
    # Bad keys from the same address are counted too, and refused before the key is looked up.
    throttled = _file("guessed-key", community, "198.51.100.1")
    elsewhere = _file(wechat, community, "198.51.100.2")

    assert statuses == [201, 201]
    assert throttled.status_code == 429
    assert _retry_after(throttled) > 0
    assert elsewhere.status_code == 201


def test_open311_reads_are_not_counted_against_filing(rates, community):
    rates(open311_address="1/hour")
    _, key = services_repairs.open311_client_create(name="12345热线")
    client = Client(REMOTE_ADDR="198.51.100.1")

    reads = [client.get(OPEN311).status_code for _ in range(3)]

    assert reads == [200, 200, 200]
    assert _file(key, community, "198.51.100.1").status_code == 201


# --- The public site --------------------------------------------------------------------------


def test_the_public_list_is_limited_per_address_even_past_the_cache(rates):
    rates(site_list="3/minute")
    make_community()
    client = Client(REMOTE_ADDR="198.51.100.1")
    url = reverse("site:community-list")

    # A new query each time: every request misses the public cache and renders.
    statuses = [client.get(url, {"q": f"小区{n}"}).status_code for n in range(3)]
    throttled = client.get(url, {"q": "小区9"})
    elsewhere = Client(REMOTE_ADDR="198.51.100.2").get(url, {"q": "小区9"})

    assert statuses == [200, 200, 200]
    assert throttled.status_code == 429
    assert _retry_after(throttled) > 0
    assert throttled["Content-Type"].startswith("text/html")
    assert "429" in throttled.content.decode()
    assert throttled["Cache-Control"] == "no-store"
    assert elsewhere.status_code == 200


def test_the_throttled_page_is_translated(rates, english):
    rates(site_list="1/minute")
    client = Client(REMOTE_ADDR="198.51.100.1", HTTP_ACCEPT_LANGUAGE="en")
    url = reverse("site:community-list")
    client.get(url, {"q": "a"})

    throttled = client.get(url, {"q": "b"})

    assert throttled.status_code == 429
    assert "Too many requests" in throttled.content.decode()


def test_the_csv_export_is_limited_per_address(rates):
    rates(site_export="2/hour")
    make_community()
    client = Client(REMOTE_ADDR="198.51.100.1")
    url = reverse("site:community-export")

    statuses = [client.get(url).status_code for _ in range(2)]
    throttled = client.get(url)
    elsewhere = Client(REMOTE_ADDR="198.51.100.2").get(url)

    assert statuses == [200, 200]
    assert throttled.status_code == 429
    assert _retry_after(throttled) > 0
    assert elsewhere.status_code == 200


# --- Login lockout ----------------------------------------------------------------------------


def test_a_stranger_behind_the_proxy_locks_only_their_own_address_out(django_user_model, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    django_user_model.objects.create_user("clerk", password="pw-clerk-9x!", is_staff=True)
    url = reverse("admin:login")
    stranger = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.66")
    clerk = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.10")

    for n in range(settings.AXES_FAILURE_LIMIT):
        stranger.post(url, {"username": "clerk", "password": f"wrong-{n}"})
    locked = stranger.post(url, {"username": "clerk", "password": "pw-clerk-9x!"})
    # A made-up address to the left does not get the stranger a fresh count either.
    spoofed = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.66").post(
        url, {"username": "clerk", "password": "pw-clerk-9x!"}
    )
    signed_in = clerk.post(url, {"username": "clerk", "password": "pw-clerk-9x!"})

    assert locked.status_code == 429
    assert spoofed.status_code == 429
    assert signed_in.status_code == 302
    assert "_auth_user_id" in clerk.session


def test_without_a_trusted_proxy_a_made_up_address_does_not_escape_the_lockout(
    django_user_model, settings
):
    settings.TRUSTED_PROXY_COUNT = 0
    django_user_model.objects.create_user("clerk", password="pw-clerk-9x!", is_staff=True)
    url = reverse("admin:login")
    client = Client(REMOTE_ADDR="198.51.100.66")

    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            url, {"username": "clerk", "password": f"wrong-{n}"}, HTTP_X_FORWARDED_FOR=f"1.2.3.{n}"
        )
    locked = client.post(
        url, {"username": "clerk", "password": "pw-clerk-9x!"}, HTTP_X_FORWARDED_FOR="1.2.3.99"
    )

    assert locked.status_code == 429
