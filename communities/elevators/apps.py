"""Elevator retrofits: the owners' vote, stages, subsidy and cost sharing."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElevatorsConfig(AppConfig):
    name = "communities.elevators"
    label = "elevators"
    verbose_name = _("Elevator retrofits")
