"""The fixed sets of values of construction supervision."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PartyRole(models.TextChoices):
    CONTRACTOR = "contractor", _("Contractor")
    SUPERVISOR = "supervisor", _("Supervisor")
    DESIGNER = "designer", _("Designer")


class InspectionKind(models.TextChoices):
    QUALITY = "quality", _("Quality")
    SAFETY = "safety", _("Safety")
    CIVILISED = "civilised", _("Civilised construction")
    COMPLETION = "completion", _("Completion check")


class Severity(models.TextChoices):
    GENERAL = "general", _("General")
    SERIOUS = "serious", _("Serious")
    MAJOR_HAZARD = "major_hazard", _("Major hazard")


class OrderStatus(models.TextChoices):
    """An order is open until the contractor reports it fixed; the inspector then closes it or
    reopens it (back to open)."""

    OPEN = "open", _("Open")
    REPORTED_FIXED = "reported_fixed", _("Reported fixed")
    CLOSED = "closed", _("Closed")


class PhotoPhase(models.TextChoices):
    """When a photo was taken, as the gallery pairs them: a "before" with an "after" of the
    same item (or of the whole community)."""

    BEFORE = "before", _("Before")
    DURING = "during", _("During the works")
    AFTER = "after", _("After")


class AcceptanceConclusion(models.TextChoices):
    """The conclusion of a completion acceptance (竣工验收). Accepted with conditions accepts the
    item; its open conditions are followed up afterwards."""

    ACCEPTED = "accepted", _("Accepted")
    WITH_CONDITIONS = "with_conditions", _("Accepted with conditions")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")

    @classmethod
    def accepting(cls) -> set[str]:
        return {cls.ACCEPTED, cls.WITH_CONDITIONS}
