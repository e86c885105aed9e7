"""Residents' proposals (点菜) and ratings (评菜), and their satisfaction."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "communities.participation"
    label = "participation"
    verbose_name = _("Resident participation")
