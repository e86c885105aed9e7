"""Access: the staff roles (Django groups) and which districts or company a staff user acts for.

The groups and their permissions are created by a data migration; ``grant_role`` assigns them.
What a scope lets a user see is decided in ``communities.scoping``.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.signals import pre_create_historical_record

from .places import District


class Role(models.TextChoices):
    """The staff roles; each code is the name of the Django group that carries its permissions."""

    CITY_ADMIN = "city_admin", _("City administrator")
    DISTRICT_STAFF = "district_staff", _("District staff")
    PROPERTY_COMPANY = "property_company", _("Property company")
    VIEWER = "viewer", _("Viewer")


class StaffScope(models.Model):
    """The districts (and property company) a staff user's role applies to.

    District staff edit the records of these districts only; a property company's user sees
    the repair requests of the communities ``company`` serves (``PropertyService.provider_name``)
    and its own service records; a viewer with no district reads the whole city.
    """

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
        verbose_name = _("staff scope")
        verbose_name_plural = _("staff scopes")
        ordering = ["user_id"]  # served by the unique index on user

    def __str__(self) -> str:
        return str(self.user)


# --- From where an edit came ------------------------------------------------------------------


class EditSource(models.TextChoices):
    """Where a change to a domain record was made; kept as its history's change reason."""

    ADMIN = "admin", _("Admin")
    API = "api", _("API")
    IMPORT = "import", _("Import")
    SITE = "site", _("Public site")


_edit_source: ContextVar[str] = ContextVar("edit_source", default="")


@contextmanager
def recorded_from(source: str) -> Iterator[None]:
    """Record every change made inside the block as coming from ``source`` (an EditSource).

    Set per request by ``communities.scoping.EditSourceMiddleware`` and by imports.
    """
    token = _edit_source.set(source)
    try:
        yield
    finally:
        _edit_source.reset(token)


@receiver(pre_create_historical_record)
def _record_edit_source(sender, history_instance, **kwargs) -> None:
    """Every historical record says where its change came from, unless the code making the
    change gave a more specific reason of its own."""
    source = _edit_source.get()
    if source and not history_instance.history_change_reason:
        history_instance.history_change_reason = source
