"""The fixed sets of values of repair requests: category, source, status, timeline action,
handler kind, how a request closed."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# --- Choices ----------------------------------------------------------------------------------


class RepairCategory(models.TextChoices):
    """What is broken. The codes are also the Open311 service codes."""

    PLUMBING = "plumbing", _("Water supply and drainage")
    ELECTRICAL = "electrical", _("Electrical")
    ELEVATOR = "elevator", _("Elevator")
    ROOF_LEAK = "roof_leak", _("Roof and leaks")
    SANITATION = "sanitation", _("Sanitation")
    GREENING = "greening", _("Greening")
    SECURITY = "security", _("Security")
    PUBLIC_FACILITY = "public_facility", _("Public facility")
    OTHER = "other", _("Other")


class RepairSource(models.TextChoices):
    """How the request reached us."""

    WECHAT = "wechat", _("WeChat one-tap report")
    HOTLINE_12345 = "hotline_12345", _("Phone / 12345 hotline")
    GRID_PATROL = "grid_patrol", _("Grid inspector on patrol")
    WALK_IN = "walk_in", _("Walk-in")
    STAFF = "staff", _("Staff")
    WEB = "web", _("Report form on the public site")


class RepairStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    DISPATCHED = "dispatched", _("Dispatched")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")

    @classmethod
    def open(cls) -> list[str]:
        """Waiting for the handler: these can be overdue."""
        return [cls.SUBMITTED, cls.DISPATCHED, cls.IN_PROGRESS]

    @classmethod
    def finished(cls) -> list[str]:
        """Nothing moves on from these."""
        return [cls.CLOSED, cls.REJECTED]


class RepairAction(models.TextChoices):
    """What a timeline entry records."""

    SUBMIT = "submit", _("Submitted")
    DISPATCH = "dispatch", _("Dispatched")
    START = "start", _("Work started")
    RESOLVE = "resolve", _("Resolved")
    RATE = "rate", _("Rated and closed")
    AUTO_CLOSE = "auto_close", _("Closed without a rating")
    REOPEN = "reopen", _("Reopened")
    REJECT = "reject", _("Rejected")
    EDIT = "edit", _("Edited")
    PUBLISH = "publish", _("Made public")
    UNPUBLISH = "unpublish", _("Made private")


class HandlerKind(models.TextChoices):
    """How a request found its handler when it was dispatched."""

    # The property service whose contract covers the community on the day of submission
    # (professional company, owners' self-management or a recorded fallback arrangement).
    COVERING_SERVICE = "covering_service", _("Property service covering the community")
    # No contract covers the community: the neighbourhood committee's fallback service (社区兜底)
    # takes it — its own recorded fallback service where it has one, else the committee itself.
    NEIGHBOURHOOD_FALLBACK = "neighbourhood_fallback", _("Neighbourhood fallback service")


class ClosedBy(models.TextChoices):
    RATING = "rating", _("The reporter's rating")
    TIMEOUT = "timeout", _("No rating within the set days")
