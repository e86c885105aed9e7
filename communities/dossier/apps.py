"""A community's whole record: its admin page, API and finder across every part."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossierConfig(AppConfig):
    name = "communities.dossier"
    label = "dossier"
    verbose_name = _("Community dossier")
