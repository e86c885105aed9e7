"""Districts, communities and buildings: where the programme happens."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "communities.places"
    label = "places"
    verbose_name = _("Places")

    def ready(self) -> None:
        from communities.places import selectors

        selectors.connect_signals()
