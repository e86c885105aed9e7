"""Access: the staff roles (Django groups) and which districts or company a staff user acts for.

The groups and their permissions are created by a data migration; ``grant_role`` assigns them.
What a scope lets a user see is decided in ``communities.core.scoping``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from communities.places.models import District


class StaffScope(models.Model):
    """The districts (and property company) a staff user's role applies to.

    District staff edit the records of these districts only; a property company's user sees
    the repair requests of the communities ``company`` serves (``PropertyService.provider_name``)
    and its own service records; a viewer with no district reads the whole city.
    """

    # No cached public page shows it (core.caching): its changes leave them as they are.
    shown_on_public_pages = False

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_scope",
        verbose_name=_("user"),
    )
    districts = models.ManyToManyField(
        District, blank=True, related_name="staff_scopes", verbose_name=_("districts")
    )
    company = models.CharField(
        _("property company"),
        max_length=100,
        blank=True,
        help_text=_("The provider name of the company's property service records."),
    )

    class Meta:
        app_label = "communities"
        verbose_name = _("staff scope")
        verbose_name_plural = _("staff scopes")
        ordering = ["user_id"]  # served by the unique index on user

    def __str__(self) -> str:
        return str(self.user)
