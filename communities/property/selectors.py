"""Reads of property services shared by the API and the site: the classified-management view
(物业分类管理), renewal reminders, and which communities a service covers on a day."""

from datetime import date

from django.db.models import (
    Avg,
    Count,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from communities.places.models import Community
from communities.property.choices import ManagementMode
from communities.property.models import PropertyService

NO_SERVICE = "none"


# --- Property services over time --------------------------------------------------------------


def management_modes(*, on: date | None = None, district: str | None = None) -> list[dict]:
    """The classified-management view: how many communities each mode covers on ``on``
    (today by default), with the red-property share and the average fee; ``none`` counts the
    communities no service covers that day (one query)."""
    on = on or timezone.localdate()
    communities = Community.objects.all()
    if district:
        communities = communities.filter(district__code=district)
    current = (
        PropertyService.objects.covering(on)
        .filter(community_id=OuterRef("pk"))
        .order_by("-contract_start", "pk")
    )
    rows = (
        communities.annotate(
            mode=Subquery(current.values("mode")[:1]),
            red=Subquery(current.values("is_red_property")[:1]),
            fee=Subquery(current.values("fee_per_m2_month")[:1]),
        )
        .values("mode")
        .annotate(
            communities=Count("pk"),
            red_property=Count("pk", filter=Q(red=True)),
            average_fee=Avg("fee"),
        )
        .order_by()
    )
    found = {row["mode"] or NO_SERVICE: row for row in rows}
    result = []
    for mode in [*ManagementMode.values, NO_SERVICE]:
        row = found.get(mode, {})
        fee = row.get("average_fee")
        result.append(
            {
                "mode": mode,
                "communities": row.get("communities", 0),
                "red_property": row.get("red_property", 0) if mode != NO_SERVICE else 0,
                "average_fee_per_m2_month": (
                    None if fee is None or mode == NO_SERVICE else round(float(fee), 2)
                ),
            }
        )
    return result


# A contract ending within this many days with no successor needs renewing now.
RENEWAL_DAYS = 60


def renewal_reminders(
    *, on: date | None = None, days: int = RENEWAL_DAYS, district: str | None = None
) -> QuerySet:
    """Contracts ending within ``days`` days of ``on`` with no successor lined up, soonest
    first, with their community and district joined in."""
    on = on or timezone.localdate()
    services = PropertyService.objects.ending_within(days, on)
    if district:
        services = services.filter(community__district__code=district)
    return services.select_related("community__district").order_by("contract_end", "pk")


def under_property_service(communities: QuerySet, on: date | None = None) -> QuerySet:
    """Those of ``communities`` that a property service covers on the day (default today)."""
    covering = PropertyService.objects.covering(on or date.today())
    return communities.filter(pk__in=covering.values("community_id"))
