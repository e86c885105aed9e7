"""Tai'an's six headline figures, which the demo reproduces exactly as of its report day."""

from decimal import Decimal

THE_SIX_FIGURES = {
    "communities_renovated": 367,
    "renovated_floor_area_m2": Decimal("7530000.00"),
    "households_benefited": 83000,
    "elevators_in_service": 242,
    "children_play_area_m2": Decimal("1100.00"),
    "communities_with_property_service": 360,
}
# The same figures as the API's JSON writes them (decimals as strings).
THE_SIX_AS_JSON = {
    key: str(value) if isinstance(value, Decimal) else value
    for key, value in THE_SIX_FIGURES.items()
}
