"""How a community's property is managed (物业管理模式)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ManagementMode(models.TextChoices):
    """Classified property management of an old community."""

    PROFESSIONAL = "professional", _("Professional property company")
    FALLBACK = "fallback", _("Neighbourhood fallback service")
    SELF_MANAGED = "self_managed", _("Owner self-managed")
