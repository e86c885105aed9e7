"""The fixed sets of values of the works: the national categories, an item's status, funding
sources, facility kinds, a design plan's status and notice state."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """The three national categories of renovation content (State Council, 2020)."""

    BASIC = "basic", _("Basic")
    IMPROVEMENT = "improvement", _("Improvement")
    ENHANCEMENT = "enhancement", _("Enhancement")


class ItemStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DESIGNING = "designing", _("Designing")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    COMPLETED = "completed", _("Completed")
    ACCEPTED = "accepted", _("Accepted")
    CANCELLED = "cancelled", _("Cancelled")

    @classmethod
    def started(cls) -> set[str]:
        """Statuses in which work is under way or done on site."""
        return {cls.UNDER_CONSTRUCTION, cls.COMPLETED, cls.ACCEPTED}

    @classmethod
    def finished(cls) -> set[str]:
        return {cls.COMPLETED, cls.ACCEPTED}


class FundingSource(models.TextChoices):
    CENTRAL_SUBSIDY = "central_subsidy", _("Central subsidy")
    LOCAL_BUDGET = "local_budget", _("Local budget")
    SPECIAL_BONDS = "special_bonds", _("Special-purpose bonds")
    UTILITY_COMPANIES = "utility_companies", _("Utility companies")
    SOCIAL_CAPITAL = "social_capital", _("Social capital")
    RESIDENTS = "residents", _("Residents' contribution")
    OTHER = "other", _("Other")


class FacilityKind(models.TextChoices):
    CANTEEN = "canteen", _("Community canteen")
    DAY_CARE = "day_care", _("Elderly day-care centre")
    PARTY_CULTURE_CENTRE = "party_culture_centre", _("Party-building culture centre")
    EBIKE_CHARGING = "ebike_charging", _("E-bike charging shed")
    CAR_CHARGING = "car_charging", _("Car charging point")
    FITNESS = "fitness", _("Fitness facility")
    EMERGENCY_STATION = "emergency_station", _("Emergency rescue station")
    PARCEL_LOCKER = "parcel_locker", _("Parcel locker")
    CHILDREN_PLAY_AREA = "children_play_area", _("Children's play area")
    SERVICE_CENTRE = "service_centre", _("Community service centre")
    GRID_STATION = "grid_station", _("Grid service station")
    LEISURE_SQUARE = "leisure_square", _("Leisure square")
    CHILDCARE = "childcare", _("Childcare centre")
    CONVENIENCE_SHOP = "convenience_shop", _("Convenience shop")
    WASTE_SORTING = "waste_sorting", _("Waste sorting point")
    PARKING = "parking", _("Parking")
    OTHER = "other", _("Other")


class DesignPlanStatus(models.TextChoices):
    """A plan is drafted, publicly noticed, then approved; approving another version of the
    same community and batch supersedes it."""

    DRAFT = "draft", _("Draft")
    NOTICE = "notice", _("In public notice")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Superseded")

    @classmethod
    def public(cls) -> list[str]:
        """What the public sees: everything once it has been put up for notice."""
        return [cls.NOTICE, cls.APPROVED, cls.SUPERSEDED]


class NoticeState(models.TextChoices):
    """Where a plan's public notice stands on a given day (computed, never stored)."""

    UPCOMING = "upcoming", _("Notice not yet begun")
    OPEN = "open", _("Open for comments")
    CLOSED = "closed", _("Notice ended")


class ObjectionStatus(models.TextChoices):
    """Where a resident's objection to a notice stands in moderation: its text is public only
    once published (communities/works/models/objections.py)."""

    PENDING = "pending", _("Awaiting moderation")
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden")
