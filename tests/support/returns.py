"""Factories for the returns: quantities delivered and annual plans."""

from decimal import Decimal

from communities.reporting.models import AnnualPlan
from communities.works.models.quantities import ItemQuantity


def make_quantity(*, validate: bool = True, **fields) -> ItemQuantity:
    quantity = ItemQuantity(**fields)
    if validate:
        quantity.full_clean()
    quantity.save()
    return quantity


def make_annual_plan(*, communities=(), validate: bool = True, **fields) -> AnnualPlan:
    fields.setdefault("year", 2023)
    fields.setdefault("target_communities", 1)
    fields.setdefault("target_households", 100)
    fields.setdefault("target_buildings", 5)
    fields.setdefault("target_investment", Decimal("1000000.00"))
    plan = AnnualPlan(**fields)
    if validate:
        plan.full_clean()
    plan.save()
    plan.communities.set(communities)
    return plan
