"""The fixed sets of values shared across the app: stable English codes, translated labels."""

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


class ElevatorStage(models.TextChoices):
    """The stages of an elevator retrofit, in order; withdrawn can end any of them."""

    INTENTION = "intention", _("Intention")
    CONSENT = "consent", _("Owners' consent")
    DESIGN = "design", _("Design")
    PUBLIC_NOTICE = "public_notice", _("Public notice")
    APPROVAL = "approval", _("Approval")
    CONSTRUCTION = "construction", _("Construction")
    ACCEPTANCE = "acceptance", _("Acceptance")
    IN_SERVICE = "in_service", _("In service")
    WITHDRAWN = "withdrawn", _("Withdrawn")

    @classmethod
    def ordered(cls) -> list[str]:
        """The forward path, without withdrawn."""
        return [stage for stage in cls.values if stage != cls.WITHDRAWN]


class ManagementMode(models.TextChoices):
    """Classified property management of an old community."""

    PROFESSIONAL = "professional", _("Professional property company")
    FALLBACK = "fallback", _("Neighbourhood fallback service")
    SELF_MANAGED = "self_managed", _("Owner self-managed")


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
