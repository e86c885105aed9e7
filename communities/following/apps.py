"""Following a community or a district: its news as an Atom feed, and email alerts."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowingConfig(AppConfig):
    name = "communities.following"
    label = "following"
    verbose_name = _("Following")
