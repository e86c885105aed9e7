"""Helpers for the scale generator's newer tables (``communities.scale.extend``)."""

from communities.construction.models import (
    Finding,
    Inspection,
    ItemParty,
    Party,
    RectificationOrder,
)
from communities.reporting.models import AnnualPlan
from communities.works.models.quantities import ItemQuantity

# The tables the extension writes, children after parents.
NEWER = [AnnualPlan, ItemQuantity, Party, ItemParty, Inspection, Finding, RectificationOrder]


def delete_newer() -> None:
    """Empty the newer tables (as a database generated before them had them)."""
    RectificationOrder.objects.all().delete()
    Finding.objects.all().delete()
    Inspection.objects.all().delete()
    ItemParty.objects.all().delete()
    Party.objects.all().delete()
    ItemQuantity.objects.all().delete()
    AnnualPlan.communities.through.objects.all().delete()
    AnnualPlan.objects.all().delete()


def newer_fingerprint() -> dict:
    """What the extension made, independent of the ids the tables gave it."""
    return {
        "plans": list(
            AnnualPlan.objects.order_by("district__code", "year").values_list(
                "district__code", "year", "target_communities", "target_investment"
            )
        ),
        "planned": sorted(
            AnnualPlan.communities.through.objects.values_list(
                "annualplan__district__code", "annualplan__year", "community_id"
            )
        ),
        "quantities": list(
            ItemQuantity.objects.order_by("item_id", "measure").values_list(
                "item_id", "measure", "amount"
            )
        ),
        "parties": list(
            Party.objects.order_by("credit_code").values_list(
                "name", "is_contractor", "is_supervisor", "is_designer"
            )
        ),
        "links": sorted(ItemParty.objects.values_list("item_id", "role", "party__name")),
        "inspections": sorted(
            Inspection.objects.values_list("item_id", "visited_on", "kind", "inspector")
        ),
        "findings": sorted(
            Finding.objects.values_list("inspection__item_id", "severity", "description")
        ),
        "orders": sorted(
            RectificationOrder.objects.values_list(
                "finding__inspection__item_id",
                "contractor__name",
                "issued_on",
                "deadline",
                "status",
                "fixed_on",
                "closed_on",
            )
        ),
    }
