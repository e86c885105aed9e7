"""Subscribing, confirming, unsubscribing, and the mails: confirmation and news alerts.

Links in mails are signed (``django.core.signing``, one salt per purpose) and carry only the
subscription's id: no address in a URL. A confirmation link expires after
``FOLLOW_CONFIRM_DAYS``; an unsubscribe link never does (it must work from any old mail).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from communities.following.models import Subscription
from communities.following.news import News, news_for
from communities.places.models import Community, District

CONFIRM_SALT = "communities.following.confirm"
UNSUBSCRIBE_SALT = "communities.following.unsubscribe"


class LinkError(Exception):
    """A confirm or unsubscribe link that is tampered with, expired or for nothing."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "expired" or "invalid"


# --- Signed links ------------------------------------------------------------------------------


def confirm_token(subscription: Subscription) -> str:
    return signing.dumps(subscription.pk, salt=CONFIRM_SALT, compress=True)


def unsubscribe_token(subscription: Subscription) -> str:
    """Without a timestamp: the same link in every mail, valid for ever."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(subscription.pk, compress=True)


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def confirm_url(subscription: Subscription) -> str:
    return _absolute(reverse("following:confirm", args=[confirm_token(subscription)]))


def unsubscribe_url(subscription: Subscription) -> str:
    return _absolute(reverse("following:unsubscribe", args=[unsubscribe_token(subscription)]))


def subscription_from_token(token: str, *, purpose: str) -> Subscription:
    """The subscription a signed link names; LinkError if tampered with, expired or gone."""
    try:
        if purpose == "confirm":
            pk = signing.loads(
                token, salt=CONFIRM_SALT, max_age=settings.FOLLOW_CONFIRM_DAYS * 86400
            )
        else:
            pk = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except signing.SignatureExpired as exc:
        raise LinkError("expired") from exc
    except (signing.BadSignature, ValueError, TypeError, UnicodeError) as exc:
        raise LinkError("invalid") from exc
    if not isinstance(pk, int) or isinstance(pk, bool):
        raise LinkError("invalid")
    subscription = (
        Subscription.objects.select_related("district", "community").filter(pk=pk).first()
    )
    if subscription is None:
        raise LinkError("invalid")
    return subscription


# --- Writes ------------------------------------------------------------------------------------


@transaction.atomic
def subscription_request(
    *,
    email: str,
    community: Community | None = None,
    district: District | None = None,
    language: str = "zh-hans",
) -> Subscription | None:
    """Ask to follow a target: a new or renewed subscription awaiting confirmation, whose
    confirmation mail the caller queues (``tasks.send_confirmation``). Returns None when the
    address already follows the target (nothing is sent: asking again must not become a way to
    mail someone repeatedly, and the answer on the page is the same either way)."""
    email = email.strip().lower()
    target = {"community": community} if community is not None else {"community": None}
    district = community.district if community is not None else district
    subscription = (
        Subscription.objects.select_for_update()
        .filter(email=email, district=district, **target)
        .first()
    )
    if subscription is None:
        subscription = Subscription(email=email, district=district, **target)
    elif subscription.is_active:
        return None
    subscription.language = language
    subscription.confirmed_at = None
    subscription.unsubscribed_at = None
    subscription.full_clean()
    subscription.save()
    return subscription


@transaction.atomic
def subscription_confirm(*, subscription: Subscription) -> Subscription:
    """Confirm (double opt-in): alerts carry what is recorded from now on. Confirming twice
    changes nothing; confirming after unsubscribing does not resubscribe."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.confirmed_at is None and subscription.unsubscribed_at is None:
        now = timezone.now()
        subscription.confirmed_at = now
        subscription.alerted_at = now
        subscription.full_clean()
        subscription.save(update_fields=["confirmed_at", "alerted_at"])
    return subscription


@transaction.atomic
def subscription_unsubscribe(*, subscription: Subscription) -> Subscription:
    """Stop all mail to this subscription (idempotent)."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.unsubscribed_at is None:
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["unsubscribed_at"])
    return subscription


# --- Mails -------------------------------------------------------------------------------------


def _target_name(subscription: Subscription) -> str:
    return subscription.target.name


def _message(subscription: Subscription, *, subject: str, template: str, context: dict):
    unsubscribe = unsubscribe_url(subscription)
    body = render_to_string(
        template,
        {
            **context,
            "target": _target_name(subscription),
            "target_url": _absolute(subscription.target.get_absolute_url()),
            "unsubscribe_url": unsubscribe,
        },
    )
    return EmailMessage(
        subject=subject,
        body=body,
        to=[subscription.email],
        headers={
            # RFC 2369 and RFC 8058: mail clients offer unsubscribing in one click (a POST).
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def send_confirmation(*, subscription: Subscription) -> bool:
    """The double-opt-in mail; False (nothing sent) unless the subscription still awaits it."""
    if subscription.confirmed_at is not None or subscription.unsubscribed_at is not None:
        return False
    with translation.override(subscription.language):
        message = _message(
            subscription,
            subject=_("Confirm that you follow %s") % _target_name(subscription),
            template="communities/following/mail_confirm.txt",
            context={
                "confirm_url": confirm_url(subscription),
                "days": settings.FOLLOW_CONFIRM_DAYS,
            },
        )
    message.send()
    return True


@dataclass
class AlertRun:
    targets: int = 0
    sent: int = 0


def send_alerts(*, now: datetime | None = None) -> AlertRun:
    """Send every active subscriber the news recorded since their last alert, one digest each
    (none when there is nothing new). The news is read once per target followed (nine
    queries), however many follow it; each sent digest moves its subscription's mark to
    ``now``, so a run that stops halfway resends nothing and misses nothing on the next."""
    now = now or timezone.now()
    run = AlertRun()
    active = (
        Subscription.objects.active()
        .select_related("district", "community")
        .order_by("district_id", "community_id", "id")
    )
    groups: dict[tuple[int, int | None], list[Subscription]] = {}
    for subscription in active.iterator(chunk_size=500):
        groups.setdefault((subscription.district_id, subscription.community_id), []).append(
            subscription
        )
    connection = get_connection()
    for subscriptions in groups.values():
        run.targets += 1
        first = subscriptions[0]
        since = min(s.alerted_at or s.confirmed_at for s in subscriptions)
        by_language: dict[str, list[News]] = {}
        for subscription in subscriptions:
            language = subscription.language
            if language not in by_language:
                with translation.override(language):
                    by_language[language] = news_for(
                        community=first.community if first.community_id else None,
                        district=None if first.community_id else first.district,
                        since=since,
                    )
            mark = subscription.alerted_at or subscription.confirmed_at
            fresh = [piece for piece in by_language[language] if mark < piece.recorded <= now]
            if fresh and _send_alert(subscription, fresh, connection):
                run.sent += 1
            Subscription.objects.filter(pk=subscription.pk).update(alerted_at=now)
    return run


def _send_alert(subscription: Subscription, news: list[News], connection) -> bool:
    with translation.override(subscription.language):
        message = _message(
            subscription,
            subject=_("News from %s") % _target_name(subscription),
            template="communities/following/mail_alert.txt",
            context={
                "news": [{"piece": piece, "url": _absolute(piece.link)} for piece in news],
            },
        )
    message.connection = connection
    return message.send() == 1
