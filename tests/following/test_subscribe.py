"""Following by email through HTTP: subscribe, confirm (double opt-in), unsubscribe (a button,
and RFC 8058's one click); bad, expired and tampered links answer a clear page, never a 500."""

import re
import time
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from rest_framework.throttling import SimpleRateThrottle

from communities.following import services
from communities.following.models import Subscription
from tests.support.factories import make_community, make_district
from tests.support.following import make_subscription

pytestmark = pytest.mark.django_db

EMAIL = "Resident@Example.com"


@pytest.fixture
def subscribe(anonymous_client, django_capture_on_commit_callbacks):
    """Post the form as a visitor would, running what the view queues after its commit."""

    def post(community, email=EMAIL, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return anonymous_client.post(
                f"/follow/community/{community.pk}/", {"email": email, **extra}
            )

    return post


def _link(message, kind: str) -> str:
    match = re.search(rf"http://localhost:8000(/follow/{kind}/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_subscribing_sends_one_confirmation_mail_and_alerts_wait_for_it(
    anonymous_client, subscribe
):
    community = make_community(name="乐园小区")

    response = subscribe(community)

    assert response.status_code == 200
    subscription = Subscription.objects.get()
    assert subscription.email == "resident@example.com"
    assert subscription.community == community
    assert subscription.district == community.district
    assert subscription.confirmed_at is None
    assert subscription.language == "zh-hans"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["resident@example.com"]
    assert "乐园小区" in message.subject
    unsubscribe = _link(message, "unsubscribe")
    assert message.extra_headers["List-Unsubscribe"] == f"<http://localhost:8000{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "resident@example.com" not in _link(message, "confirm")


def test_the_confirmation_link_confirms_once(anonymous_client, subscribe):
    community = make_community(name="乐园小区")
    subscribe(community)
    confirm = _link(mail.outbox[0], "confirm")

    first = anonymous_client.get(confirm)
    confirmed_at = Subscription.objects.get().confirmed_at
    second = anonymous_client.get(confirm)

    assert first.status_code == second.status_code == 200
    assert "乐园小区" in first.content.decode()
    assert confirmed_at is not None
    assert Subscription.objects.get().confirmed_at == confirmed_at


def test_a_district_can_be_followed_in_english(
    anonymous_client, django_capture_on_commit_callbacks
):
    make_district(code="370902", name="泰山区")

    with django_capture_on_commit_callbacks(execute=True):
        response = anonymous_client.post(
            "/follow/district/370902/", {"email": "a@example.com"}, HTTP_ACCEPT_LANGUAGE="en"
        )

    assert response.status_code == 200
    subscription = Subscription.objects.get()
    assert subscription.community is None
    assert subscription.language == "en"
    assert mail.outbox[0].subject == "Confirm that you follow 泰山区"


def test_an_address_already_following_gets_no_second_mail_and_the_same_page(
    anonymous_client, subscribe
):
    community = make_community()
    make_subscription(community=community, email="resident@example.com")

    response = subscribe(community)

    assert response.status_code == 200
    assert mail.outbox == []
    assert Subscription.objects.count() == 1


def test_the_honeypot_subscribes_nobody_and_says_nothing_different(anonymous_client, subscribe):
    community = make_community()

    response = subscribe(community, website="http://spam.example")

    assert response.status_code == 200
    assert Subscription.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize("email", ["", "not-an-address", "a@" + "x" * 300 + ".com"])
def test_a_bad_address_is_a_400_with_the_form_again(anonymous_client, email, subscribe):
    community = make_community()

    response = subscribe(community, email=email)

    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert Subscription.objects.count() == 0


def test_odd_input_is_never_a_500(anonymous_client, subscribe):
    community = make_community()
    assert subscribe(community, email="a\x00@example.com").status_code == 400
    assert anonymous_client.post("/follow/community/99999999999999999999/").status_code == 404
    assert anonymous_client.post("/follow/district/nowhere/").status_code == 404
    assert anonymous_client.put(f"/follow/community/{community.pk}/").status_code == 405


def test_subscribing_is_throttled_per_address(anonymous_client, subscribe, monkeypatch):
    rates = {**SimpleRateThrottle.THROTTLE_RATES, "follow_subscribe": "2/hour"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    community = make_community()
    assert subscribe(community, email="a@example.com").status_code == 200
    assert subscribe(community, email="b@example.com").status_code == 200

    refused = subscribe(community, email="c@example.com")

    assert refused.status_code == 429
    assert refused["Retry-After"]
    assert Subscription.objects.count() == 2


def test_the_subscribe_page_shows_the_form(anonymous_client):
    community = make_community(name="乐园小区")

    page = anonymous_client.get(f"/follow/community/{community.pk}/")

    assert page.status_code == 200
    assert 'name="email"' in page.content.decode()


@pytest.mark.parametrize(
    "token",
    ["garbage", "1:abc:def", "x" * 500, "eyJ.Zm9v.YmFy"],
)
@pytest.mark.parametrize("kind", ["confirm", "unsubscribe"])
def test_a_tampered_link_is_a_clear_page(anonymous_client, kind, token):
    response = anonymous_client.get(f"/follow/{kind}/{token}/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()


def test_a_link_signed_for_one_purpose_does_not_work_for_the_other(anonymous_client):
    subscription = make_subscription(community=make_community(), confirmed=False)

    response = anonymous_client.post(f"/follow/unsubscribe/{services.confirm_token(subscription)}/")

    assert response.status_code == 400
    assert Subscription.objects.get().unsubscribed_at is None


def test_a_link_for_a_deleted_subscription_is_a_clear_page(anonymous_client):
    subscription = make_subscription(community=make_community(), confirmed=False)
    token = services.confirm_token(subscription)
    subscription.delete()

    assert anonymous_client.get(f"/follow/confirm/{token}/").status_code == 400


def test_an_expired_confirmation_link_says_so_and_confirms_nothing(anonymous_client, english):
    subscription = make_subscription(community=make_community(), confirmed=False)
    token = services.confirm_token(subscription)
    eight_days = time.time() + 8 * 86400

    with mock.patch("django.core.signing.time.time", return_value=eight_days):
        response = anonymous_client.get(f"/follow/confirm/{token}/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert Subscription.objects.get().confirmed_at is None


def test_unsubscribing_by_link_asks_first_then_stops_the_mail(anonymous_client):
    subscription = make_subscription(community=make_community())
    url = f"/follow/unsubscribe/{services.unsubscribe_token(subscription)}/"

    page = anonymous_client.get(url)
    assert page.status_code == 200
    assert '<form method="post"' in page.content.decode()
    assert Subscription.objects.get().unsubscribed_at is None

    done = anonymous_client.post(url)

    assert done.status_code == 200
    assert Subscription.objects.get().unsubscribed_at is not None
    assert Subscription.objects.active().count() == 0


def test_one_click_unsubscribe_needs_no_csrf_token(anonymous_client):
    """RFC 8058: the mail client POSTs List-Unsubscribe=One-Click to the link, no cookie."""
    subscription = make_subscription(community=make_community())
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        f"/follow/unsubscribe/{services.unsubscribe_token(subscription)}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert Subscription.objects.get().unsubscribed_at is not None


def test_confirming_after_unsubscribing_does_not_resubscribe(anonymous_client):
    subscription = make_subscription(community=make_community(), confirmed=False)
    confirm = services.confirm_token(subscription)
    anonymous_client.post(f"/follow/unsubscribe/{services.unsubscribe_token(subscription)}/")

    anonymous_client.get(f"/follow/confirm/{confirm}/")

    assert Subscription.objects.get().confirmed_at is None


def test_subscribing_again_after_unsubscribing_asks_for_confirmation_again(
    anonymous_client, subscribe
):
    community = make_community()
    subscription = make_subscription(community=community, email="resident@example.com")
    services.subscription_unsubscribe(subscription=subscription)

    subscribe(community)

    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is None
    assert subscription.confirmed_at is None
    assert len(mail.outbox) == 1
