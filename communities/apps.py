"""The label every part's tables keep (``communities``); the parts are apps of their own."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("Old community renovation")
    default_auto_field = "django.db.models.BigAutoField"
