"""Property services of the communities (物业服务)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PropertyConfig(AppConfig):
    name = "communities.property"
    label = "property"
    verbose_name = _("Property services")
