"""Renovation kinds, items, funding lines, facilities and design plans."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorksConfig(AppConfig):
    name = "communities.works"
    label = "works"
    verbose_name = _("Renovation works")
