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


class Measure(models.TextChoices):
    """What a renovation item delivered, in the national survey's terms (全国城镇老旧小区改造统计
    调查制度): the published results are these measures summed. The unit is fixed by the measure
    (``MEASURE_UNITS``); which measures a kind of work may carry is data (``KindMeasure``)."""

    WATER_SUPPLY_PIPE = "water_supply_pipe", _("Water supply pipes renovated")
    DRAINAGE_PIPE = "drainage_pipe", _("Drainage pipes renovated")
    GAS_PIPE = "gas_pipe", _("Gas pipes renovated")
    HEATING_PIPE = "heating_pipe", _("Heating pipes renovated")
    POWER_LINE = "power_line", _("Power lines renovated")
    TELECOM_LINE = "telecom_line", _("Telecom lines renovated")
    ELEVATORS = "elevators", _("Elevators added")
    PARKING_SPACES = "parking_spaces", _("Parking spaces added")
    EV_CHARGING_POINTS = "ev_charging_points", _("EV charging points added")
    EBIKE_CHARGING_POINTS = "ebike_charging_points", _("E-bike charging points added")
    ENERGY_RETROFIT = "energy_retrofit", _("Energy-saving retrofit")
    ELDERLY_CARE_FACILITIES = "elderly_care_facilities", _("Elderly-care facilities added")
    CHILDCARE_FACILITIES = "childcare_facilities", _("Childcare facilities added")
    OTHER_SERVICE_FACILITIES = (
        "other_service_facilities",
        _("Other community service facilities added"),
    )
    CULTURE_FITNESS_AREA = "culture_fitness_area", _("Culture and fitness space added")


class MeasureUnit(models.TextChoices):
    KM = "km", _("km")
    M2 = "m2", _("m²")
    UNITS = "units", _("units")
    SPACES = "spaces", _("spaces")
    POINTS = "points", _("points")
    FACILITIES = "facilities", _("facilities")


# Each measure's unit, fixed: the survey sums every item's figure of one measure, so they must
# all be in the same unit.
MEASURE_UNITS: dict[str, str] = {
    Measure.WATER_SUPPLY_PIPE: MeasureUnit.KM,
    Measure.DRAINAGE_PIPE: MeasureUnit.KM,
    Measure.GAS_PIPE: MeasureUnit.KM,
    Measure.HEATING_PIPE: MeasureUnit.KM,
    Measure.POWER_LINE: MeasureUnit.KM,
    Measure.TELECOM_LINE: MeasureUnit.KM,
    Measure.ELEVATORS: MeasureUnit.UNITS,
    Measure.PARKING_SPACES: MeasureUnit.SPACES,
    Measure.EV_CHARGING_POINTS: MeasureUnit.POINTS,
    Measure.EBIKE_CHARGING_POINTS: MeasureUnit.POINTS,
    Measure.ENERGY_RETROFIT: MeasureUnit.M2,
    Measure.ELDERLY_CARE_FACILITIES: MeasureUnit.FACILITIES,
    Measure.CHILDCARE_FACILITIES: MeasureUnit.FACILITIES,
    Measure.OTHER_SERVICE_FACILITIES: MeasureUnit.FACILITIES,
    Measure.CULTURE_FITNESS_AREA: MeasureUnit.M2,
}


class ObjectionStatus(models.TextChoices):
    """Where a resident's objection to a notice stands in moderation: its text is public only
    once published (communities/works/models/objections.py)."""

    PENDING = "pending", _("Awaiting moderation")
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden")
