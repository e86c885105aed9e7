"""The programme's figures: statistics and their cache."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "communities.reporting"
    label = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from communities.reporting import selectors

        selectors.connect_signals()
