"""Alerts: each confirmed subscriber gets the news recorded since their last alert, once, in
their language; the tasks run in process when no broker is configured (the embedded default)."""

from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from communities.following import tasks
from communities.following.models import Subscription
from communities.works.choices import ItemStatus
from renovation.celery import app
from tests.support.factories import make_community, make_district, make_item
from tests.support.following import make_subscription

pytestmark = pytest.mark.django_db


def test_without_a_broker_tasks_run_in_process():
    assert not settings.CELERY_BROKER_URL
    assert app.conf.task_always_eager
    subscription = make_subscription(community=make_community(), confirmed=False)

    result = tasks.send_confirmation.delay(subscription.pk)

    assert result.get() is True
    assert len(mail.outbox) == 1


def test_the_confirmation_task_sends_nothing_to_a_confirmed_or_missing_subscription():
    subscription = make_subscription(community=make_community())

    assert tasks.send_confirmation.delay(subscription.pk).get() is False
    assert tasks.send_confirmation.delay(10**12).get() is False
    assert mail.outbox == []


def test_a_subscriber_gets_the_news_recorded_after_confirming_once():
    community = make_community(name="乐园小区")
    make_item(community=community, title="旧的工程", status=ItemStatus.UNDER_CONSTRUCTION)
    subscription = make_subscription(community=community, language="en")
    make_item(community=community, title="新的工程", status=ItemStatus.UNDER_CONSTRUCTION)

    assert tasks.send_alerts.delay().get() == 1
    assert tasks.send_alerts.delay().get() == 0

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [subscription.email]
    assert message.subject == "News from 乐园小区"
    assert "Work began: 新的工程" in message.body
    assert "旧的工程" not in message.body
    assert "http://localhost:8000/communities/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<http://localhost:8000/follow/unsubscribe/"
    )


def test_a_district_subscriber_gets_its_communities_news_and_no_others():
    district = make_district(code="370902")
    make_subscription(district=district, email="district@example.com")
    make_item(
        community=make_community(district=district, name="乐园小区"),
        status=ItemStatus.UNDER_CONSTRUCTION,
    )
    make_item(
        community=make_community(district=make_district(code="370911"), name="外区小区"),
        status=ItemStatus.UNDER_CONSTRUCTION,
    )

    tasks.send_alerts.delay()

    assert len(mail.outbox) == 1
    assert "乐园小区" in mail.outbox[0].body
    assert "外区小区" not in mail.outbox[0].body


def test_unconfirmed_and_unsubscribed_addresses_get_no_alerts():
    community = make_community()
    make_subscription(community=community, email="a@example.com", confirmed=False)
    gone = make_subscription(community=community, email="b@example.com")
    Subscription.objects.filter(pk=gone.pk).update(unsubscribed_at=gone.confirmed_at)
    make_item(community=community, status=ItemStatus.UNDER_CONSTRUCTION)

    tasks.send_alerts.delay()

    assert mail.outbox == []


def test_the_command_sends_the_alerts():
    community = make_community()
    make_subscription(community=community)
    make_item(community=community, status=ItemStatus.UNDER_CONSTRUCTION)
    out = StringIO()

    call_command("send_alerts", stdout=out)

    assert len(mail.outbox) == 1
    assert "1" in out.getvalue()


def test_alerts_read_the_news_once_per_target_however_many_follow_it(
    django_assert_max_num_queries,
):
    community = make_community()
    for number in range(5):
        make_subscription(community=community, email=f"r{number}@example.com")
    make_item(community=community, status=ItemStatus.UNDER_CONSTRUCTION)

    # The subscriptions (1), the news (9), one mark per subscriber (5).
    with django_assert_max_num_queries(15):
        tasks.send_alerts.delay()

    assert len(mail.outbox) == 5
