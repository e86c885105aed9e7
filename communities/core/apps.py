"""What every part shares and no part owns: the API and admin bases, scope, history,
caching, files and bounds."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "communities.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from communities.core import caching

        caching.connect_signals()
