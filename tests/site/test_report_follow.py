"""Residents who report a repair follow its community by email unless they opt out: an optional
address on the report form, a "follow" box ticked by default, double opt-in through
communities.following, and the address never on the request or any public page."""

import pytest
from django.core import mail

from communities.following import services as following_services
from communities.following.models import Subscription
from communities.following.services import confirm_url as services_confirm_url
from communities.repairs.models import RepairRequest
from tests.support.factories import make_community
from tests.support.report import report_data

EMAIL = "reporter.private@example.com"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def community(db):
    return make_community(name="乐园小区")


@pytest.fixture
def report(anonymous_client, community, django_capture_on_commit_callbacks):
    def send(**overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return anonymous_client.post(
                f"/communities/{community.pk}/report/", report_data(**overrides)
            )

    return send


def test_the_follow_box_is_ticked_by_default_next_to_the_email_field(anonymous_client, community):
    body = anonymous_client.get(f"/communities/{community.pk}/report/").content.decode()
    assert 'type="email" name="email"' in body
    assert 'type="checkbox" name="follow" id="id_follow" checked' in body


def test_an_email_with_the_box_ticked_follows_the_community_awaiting_confirmation(
    report, community
):
    response = report(email=f"  {EMAIL.upper()} ", follow="on")

    assert response.status_code == 302
    repair_request = RepairRequest.objects.get()
    (subscription,) = Subscription.objects.all()
    assert subscription.community == community
    assert subscription.email == EMAIL
    assert subscription.confirmed_at is None and subscription.unsubscribed_at is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [EMAIL]
    # The signed confirmation link, up to its timestamp and signature.
    assert services_confirm_url(subscription).rsplit(":", 2)[0] in mail.outbox[0].body
    # Kept in the subscription only: no field of the request holds it.
    assert not any(
        EMAIL in str(getattr(repair_request, field.attname, ""))
        for field in RepairRequest._meta.concrete_fields
    )


def test_the_box_unticked_or_no_email_subscribes_nobody(report):
    assert report(email=EMAIL).status_code == 302  # an unticked box is not sent at all
    assert report(follow="on", reporter_phone="13700005678").status_code == 302
    assert RepairRequest.objects.count() == 2
    assert not Subscription.objects.exists()
    assert mail.outbox == []


def test_an_invalid_email_is_refused_in_chinese_and_nothing_is_saved(report):
    response = report(email="not-an-address", follow="on")

    assert response.status_code == 400
    assert "请输入合法的邮件地址。" in response.content.decode()  # Django's own, in Chinese
    assert not RepairRequest.objects.exists()
    assert not Subscription.objects.exists()
    assert mail.outbox == []


def test_the_same_address_twice_keeps_one_subscription_and_a_follower_gets_nothing_new(
    report,
):
    assert report(email=EMAIL, follow="on").status_code == 302
    # Not confirmed yet: the second report renews the same subscription (its mail may be lost).
    second = report(email=EMAIL, follow="on", reporter_phone="13700005678")
    assert second.status_code == 302
    assert Subscription.objects.count() == 1
    sent = len(mail.outbox)

    following_services.subscription_confirm(subscription=Subscription.objects.get())
    third = report(email=EMAIL, follow="on", reporter_phone="13700009999")

    assert third.status_code == 302
    assert RepairRequest.objects.count() == 3
    assert Subscription.objects.get().is_active
    assert len(mail.outbox) == sent  # already following: no new mail


def test_the_email_is_on_no_public_page_or_open311_answer(anonymous_client, report, community):
    report(email=EMAIL, follow="on")
    repair_request = RepairRequest.objects.get()
    RepairRequest.objects.filter(pk=repair_request.pk).update(is_public=True)

    for url in (
        f"/report/track/{repair_request.token}/",
        f"/communities/{community.pk}/",
        f"/communities/{community.pk}/feed/",
        "/open311/v2/requests.json",
        f"/open311/v2/requests/{repair_request.pk}.json",
        f"/open311/v2/requests/{repair_request.pk}.xml",
    ):
        response = anonymous_client.get(url)
        assert response.status_code == 200, url
        assert EMAIL not in response.content.decode(), url
    # The request really is public: the check above looked at a page that lists it.
    assert (
        str(repair_request.pk) in anonymous_client.get("/open311/v2/requests.json").content.decode()
    )
