"""The staff roles: each a group of permissions made by a migration."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The staff roles; each code is the name of the Django group that carries its permissions."""

    CITY_ADMIN = "city_admin", _("City administrator")
    DISTRICT_STAFF = "district_staff", _("District staff")
    PROPERTY_COMPANY = "property_company", _("Property company")
    VIEWER = "viewer", _("Viewer")
