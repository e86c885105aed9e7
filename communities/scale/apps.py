"""The national-scale data generator and the benchmark."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScaleConfig(AppConfig):
    name = "communities.scale"
    label = "scale"
    verbose_name = _("National scale")
