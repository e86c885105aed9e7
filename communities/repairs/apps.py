"""Residents' repair requests (报修), their timeline, and Open311."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepairsConfig(AppConfig):
    name = "communities.repairs"
    label = "repairs"
    verbose_name = _("Repair requests")
