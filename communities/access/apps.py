"""Staff roles and their districts or company: who may see and change what."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "communities.access"
    label = "access"
    verbose_name = _("Staff access")

    def ready(self) -> None:
        from communities.access.scoping import scope_of
        from communities.core.scoping import register_resolver

        register_resolver(scope_of)
