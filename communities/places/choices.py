"""The fixed sets of values of places: a community's renovation status, a building's
safety grade."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RenovationStatus(models.TextChoices):
    """Where a community stands in the programme."""

    NOT_STARTED = "not_started", _("Not started")
    PLANNED = "planned", _("Planned")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    COMPLETED = "completed", _("Completed")


class SafetyGrade(models.TextChoices):
    """The national four-grade scale for dangerous buildings (JGJ 125-2016)."""

    UNAPPRAISED = "unappraised", _("Not appraised")
    A = "A", _("A: sound")
    B = "B", _("B: a few dangerous members")
    C = "C", _("C: partly dangerous")
    D = "D", _("D: whole building dangerous")

    @classmethod
    def dangerous(cls) -> set[str]:
        return {cls.C, cls.D}


class RegionLevel(models.TextChoices):
    """The administrative levels above the district, each known by its code's length."""

    PROVINCE = "province", _("Province")
    CITY = "city", _("City")

    @classmethod
    def of_code(cls, code: str) -> "RegionLevel | None":
        """The level a region code of this length names (2 digits: province, 4: city)."""
        return {2: cls.PROVINCE, 4: cls.CITY}.get(len(code))
