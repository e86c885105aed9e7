"""The returns' rules that are more than a constraint (pure: no queries)."""

from collections.abc import Iterable


def planned_outside_district(district_id: int | None, communities: Iterable) -> list[str]:
    """The names of the planned communities that are not in the plan's district: a district's
    annual plan lists only its own communities."""
    if district_id is None:
        return []
    return sorted(c.name for c in communities if c.district_id != district_id)
