"""The worker's tasks (renovation/celery.py): run by ``celery -A renovation worker``, or in the
sending process when no broker is configured. Each reads its rows afresh by id: a task may run
after the request that queued it has ended."""

from celery import shared_task

from communities.following import services
from communities.following.models import Subscription


@shared_task(
    autoretry_for=(OSError,), retry_backoff=True, max_retries=5, name="following.send_confirmation"
)
def send_confirmation(subscription_id: int) -> bool:
    """The double-opt-in mail of one subscription (retried while the mail server is away)."""
    subscription = (
        Subscription.objects.select_related("district", "community")
        .filter(pk=subscription_id)
        .first()
    )
    if subscription is None:
        return False
    return services.send_confirmation(subscription=subscription)


@shared_task(name="following.send_alerts")
def send_alerts() -> int:
    """One digest of news per active subscriber with something new; the number sent."""
    return services.send_alerts().sent
