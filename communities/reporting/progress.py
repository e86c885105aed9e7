"""Physical and financial progress, from the item up to the province, with the formula that
anyone can recompute them by.

Both are ratios of sums over the items that are not cancelled, so they roll up by adding the
sums: a community's, a district's, a city's and a province's progress are the same formula
over more items, never an average of averages.

- **physical progress** = Σ(progressᵢ × budgetᵢ) ÷ Σ budgetᵢ: each item's progress (0–100 %)
  weighted by its budget, so a ¥2,000,000 roof counts forty times a ¥50,000 bike shed. Where
  the items' budgets add up to 0, the plain mean Σ progressᵢ ÷ n.
- **financial progress** = Σ spentᵢ ÷ Σ budgetᵢ × 100: the share of the budget spent (above
  100 when spending overran the budget). None where the budgets add up to 0.

Both are rounded half up to one decimal place; None when there is no item. The sums come from
SQL aggregates (``progress_sums``); only the two divisions are done here.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

SUM = DecimalField(max_digits=24, decimal_places=2)
ONE_PLACE = Decimal("0.1")
ZERO = Decimal("0")
DOCUMENTATION = "docs/regions-and-open-data.md#progress"


def progress_sums(prefix: str = "") -> dict:
    """The aggregates the two ratios are made of, for ``.aggregate()`` or ``.annotate()``
    over items (``prefix`` reaches the items from another table, e.g. ``"items__"``; the
    caller leaves cancelled items out)."""
    budget, spent, progress = f"{prefix}budget", f"{prefix}spent", f"{prefix}progress"
    # The product first: in one annotate() call, a later F("budget") would name the
    # "budget" aggregate instead of the column.
    return {
        "weighted_progress": Coalesce(
            Sum(ExpressionWrapper(F(progress) * F(budget), output_field=SUM)),
            Value(ZERO),
            output_field=SUM,
        ),
        "progress_total": Coalesce(Sum(progress), 0),
        "items": Count(f"{prefix}id"),
        "budget": Coalesce(Sum(budget), Value(ZERO), output_field=SUM),
        "spent": Coalesce(Sum(spent), Value(ZERO), output_field=SUM),
    }


def _percent(value: Decimal) -> Decimal:
    return Decimal(value).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def physical_progress(sums: dict) -> Decimal | None:
    if not sums.get("items"):
        return None
    budget = Decimal(sums["budget"])
    if budget > 0:
        return _percent(Decimal(sums["weighted_progress"]) / budget)
    return _percent(Decimal(sums["progress_total"]) / sums["items"])


def financial_progress(sums: dict) -> Decimal | None:
    budget = Decimal(sums.get("budget") or 0)
    if not sums.get("items") or budget <= 0:
        return None
    return _percent(Decimal(sums["spent"]) / budget * 100)


def progress(sums: dict) -> dict:
    """Both ratios from the sums, with the sums themselves so that a reader can check them."""
    return {
        "physical_progress": physical_progress(sums),
        "financial_progress": financial_progress(sums),
        "items": sums.get("items") or 0,
        "budget": Decimal(sums.get("budget") or 0).quantize(Decimal("0.01")),
        "spent": Decimal(sums.get("spent") or 0).quantize(Decimal("0.01")),
    }


def add_sums(total: dict, sums: dict) -> dict:
    """``total`` plus ``sums``, key by key (the roll-up from districts to cities and provinces)."""
    for key in ("items", "budget", "spent", "weighted_progress", "progress_total"):
        total[key] = total.get(key, 0) + (sums.get(key) or 0)
    return total


def progress_of_items(items: QuerySet) -> dict:
    """The progress of a set of items (one query): pass the items not cancelled."""
    return progress(items.aggregate(**progress_sums()))


def formula() -> dict:
    """The formulas in words, published with every figure of progress (API and pages)."""
    return {
        "physical_progress": _(
            "Σ(progress × budget) ÷ Σ budget over the items not cancelled, in %: each item's "
            "progress weighted by its budget (the plain mean of the items' progress where "
            "their budgets add up to 0), rounded half up to one decimal."
        ),
        "financial_progress": _(
            "Σ spent ÷ Σ budget × 100 over the items not cancelled, in %, rounded half up to "
            "one decimal; none where the budgets add up to 0."
        ),
        "documentation": DOCUMENTATION,
    }
