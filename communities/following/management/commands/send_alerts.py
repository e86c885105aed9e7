"""Send followers the news since their last alert: run from cron (e.g. hourly or daily)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from communities.following import tasks


class Command(BaseCommand):
    help = "Send each confirmed subscriber the news recorded since their last alert."

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Hand the run to the worker (Celery) instead of sending from this process.",
        )

    def handle(self, *args, queue: bool = False, **options):
        if queue:
            tasks.send_alerts.delay()
            self.stdout.write(_("Alerts queued for the worker."))
            return
        sent = tasks.send_alerts.apply().get()
        self.stdout.write(_("Alerts sent: %(sent)s.") % {"sent": sent})
