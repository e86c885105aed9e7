"""Close resolved repair requests the reporter has not rated within the set number of days.

Run it daily (cron, a systemd timer). It is idempotent: a second run closes nothing new.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from communities.repairs.models import RepairRequest
from communities.repairs.services import repair_requests_auto_close


class Command(BaseCommand):
    help = (
        "Close resolved repair requests left unrated for RENOVATION_REPAIR_AUTO_CLOSE_DAYS days "
        "(7 unless set); each gets a timeline entry. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Days a resolved request waits for its rating (default: the setting).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be closed."
        )

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.RENOVATION["REPAIR_AUTO_CLOSE_DAYS"] if days is None else days
        if days < 0:
            raise CommandError("--days cannot be negative.")
        if dry_run:
            due = RepairRequest.objects.due_for_auto_close(now=timezone.now(), days=days).count()
            self.stdout.write(f"{due} resolved request(s) unrated for {days} days would close.")
            return
        closed = repair_requests_auto_close(days=days)
        self.stdout.write(
            self.style.SUCCESS(f"Closed {closed} resolved request(s) unrated for {days} days.")
        )
