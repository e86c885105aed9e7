"""The owners' money for an elevator retrofit: the rule the move to construction checks (the
owners' part collected to the city's share), the reads of what was invoiced, paid and is owed,
and the writes (invoicing the shares, recording a payment).

The tables are in ``payment_models.py``; ``services.elevator_retrofit_advance`` adds
``collection_move_unmet`` to its guard, so the admin's stage page, the API's ``advance`` and
any other caller are refused alike.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.db import models, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from communities.core.clock import today
from communities.core.errors import WrongState
from communities.core.money import CENT, MONEY
from communities.elevators.choices import ElevatorStage
from communities.elevators.models import ElevatorRetrofit
from communities.elevators.payment_models import (
    DEFAULT_REQUIRED_PERCENT,
    CollectionRule,
    ShareInvoice,
    SharePayment,
)
from communities.elevators.policy import UnmetCondition, region_prefix

# The code of the refusal (API ``unmet[].code``).
OWNERS_PART_NOT_COLLECTED = "owners_part_not_collected"
ZERO = Decimal("0.00")


# --- The rule (pure) --------------------------------------------------------------------------


def required_amount(owners_part: Decimal, percent: Decimal) -> Decimal:
    """What must be collected: ``percent`` of the owners' part, rounded up to the cent (so a
    rule of 100 % always means every cent)."""
    return (Decimal(owners_part) * Decimal(percent) / 100).quantize(CENT, rounding=ROUND_CEILING)


def share_percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part`` of ``whole`` as a percentage with two decimals, rounded down (99.999 % is not
    shown as 100 %); None when there is nothing to collect."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(CENT, rounding=ROUND_FLOOR)


def pick_collection_rule(rules, *, district_code: str):
    """The most local rule whose region covers the district (370902 before 370900 before
    370000), or None."""
    covering = [rule for rule in rules if district_code.startswith(region_prefix(rule.region_code))]
    return max(covering, key=lambda rule: len(region_prefix(rule.region_code)), default=None)


# --- Reads ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Collection:
    """A retrofit's owners' money: invoiced, collected, owed, and what construction needs."""

    owners_part: Decimal
    invoiced: Decimal
    collected: Decimal
    from_fund: Decimal
    households_in_arrears: int
    required_percent: Decimal
    required: Decimal
    rule: CollectionRule | None

    @property
    def arrears(self) -> Decimal:
        return self.invoiced - self.collected

    @property
    def collected_percent(self) -> Decimal | None:
        return share_percent(self.collected, self.owners_part)

    @property
    def enough(self) -> bool:
        return self.collected >= self.required


def collection_rule_for(retrofit: ElevatorRetrofit) -> CollectionRule | None:
    """The rule that applies to the retrofit's district (one query for the rules; the
    district's code is read through the building unless loaded)."""
    code = retrofit.building.community.district.code
    return pick_collection_rule(list(CollectionRule.objects.all()), district_code=code)


def retrofit_collection(retrofit: ElevatorRetrofit) -> Collection:
    """What the owners of ``retrofit`` were invoiced, have paid and owe, against the rule that
    applies (three queries: the sums, the arrears, the rules; plus the district unless the
    building's community and district are loaded)."""
    invoices = invoices_with_paid(ShareInvoice.objects.filter(retrofit_id=retrofit.pk))
    totals = invoices.aggregate(
        invoiced=Coalesce(Sum("amount"), Value(ZERO)),
        in_arrears=Count("pk", filter=OWING),
    )
    money = SharePayment.objects.filter(retrofit_id=retrofit.pk).aggregate(
        collected=Coalesce(Sum("amount"), Value(ZERO)),
        from_fund=Coalesce(Sum("amount", filter=Q(source="maintenance_fund")), Value(ZERO)),
    )
    rule = collection_rule_for(retrofit)
    percent = rule.required_percent if rule else DEFAULT_REQUIRED_PERCENT
    return Collection(
        owners_part=retrofit.owners_part,
        invoiced=_cents(totals["invoiced"]),
        collected=_cents(money["collected"]),
        from_fund=_cents(money["from_fund"]),
        households_in_arrears=totals["in_arrears"],
        required_percent=percent,
        required=required_amount(retrofit.owners_part, percent),
        rule=rule,
    )


def _cents(amount: Decimal) -> Decimal:
    """A sum to the cent (SQLite adds decimals as floats: 64,668.229999… is 64,668.23)."""
    return Decimal(amount).quantize(CENT)


def _money_field() -> models.DecimalField:
    return models.DecimalField(**MONEY)


def invoices_with_paid(queryset: models.QuerySet) -> models.QuerySet:
    """Invoices annotated with ``paid`` (the sum of their payments) and ``outstanding``
    (invoiced − paid): subqueries, so a page of 30 costs what a page of 3 does."""
    paid = (
        SharePayment.objects.filter(invoice=OuterRef("pk"))
        .order_by()
        .values("invoice")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return queryset.annotate(
        paid=Coalesce(Subquery(paid, output_field=_money_field()), Value(ZERO))
    ).annotate(outstanding=F("amount") - F("paid"))


# A cent or more outstanding: SQLite sums decimals as floats (32,334.11 + 32,334.12 falls a
# hair short of 64,668.23), so "amount > paid" would count a settled invoice as owing there.
OWING = Q(outstanding__gte=CENT)


def in_arrears(queryset: models.QuerySet) -> models.QuerySet:
    """Invoices (annotated by ``invoices_with_paid``) not paid in full."""
    return queryset.filter(OWING)


# The annotations ``with_collection`` adds.
COLLECTION_TOTALS = ("owners_invoiced", "owners_collected", "households_in_arrears")


def with_collection(queryset: models.QuerySet) -> models.QuerySet:
    """Retrofits annotated with their public totals: ``owners_invoiced``,
    ``owners_collected`` and ``households_in_arrears`` (three subqueries, no query per row)."""
    invoiced = (
        ShareInvoice.objects.filter(retrofit=OuterRef("pk"))
        .order_by()
        .values("retrofit")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    collected = (
        SharePayment.objects.filter(retrofit=OuterRef("pk"))
        .order_by()
        .values("retrofit")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    owing = (
        in_arrears(invoices_with_paid(ShareInvoice.objects.filter(retrofit=OuterRef("pk"))))
        .order_by()
        .values("retrofit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        owners_invoiced=Coalesce(Subquery(invoiced, output_field=_money_field()), Value(ZERO)),
        owners_collected=Coalesce(Subquery(collected, output_field=_money_field()), Value(ZERO)),
        households_in_arrears=Coalesce(
            Subquery(owing, output_field=models.IntegerField()), Value(0)
        ),
    )


def read_collection(retrofits: list[ElevatorRetrofit]) -> None:
    """Set ``with_collection``'s totals on retrofits already read, in one query (none for an
    empty list): for a page that shows them for a few of the retrofits it lists, whose own
    query then carries no subqueries (building and compiling them cost 2-3 ms a page)."""
    if not retrofits:
        return
    totals = {
        row["pk"]: row
        for row in with_collection(
            ElevatorRetrofit.objects.filter(pk__in=[retrofit.pk for retrofit in retrofits])
        ).values("pk", *COLLECTION_TOTALS)
    }
    for retrofit in retrofits:
        for name in COLLECTION_TOTALS:
            setattr(retrofit, name, totals[retrofit.pk][name])


# --- The rule the move to construction checks -------------------------------------------------


def collection_move_unmet(*, retrofit: ElevatorRetrofit, to_stage: str) -> list[UnmetCondition]:
    """For ``elevator_retrofit_advance``: construction waits until the owners have paid the
    share of their part the city's rule requires (100 % without a rule). Only for that move
    (three or four queries then, none otherwise)."""
    if to_stage != ElevatorStage.CONSTRUCTION:
        return []
    collection = retrofit_collection(retrofit)
    if collection.enough:
        return []
    message = _(
        "The owners' part is not collected: ¥%(collected)s paid of ¥%(required)s required "
        "before construction (%(percent)s%% of the owners' part of ¥%(owners_part)s)."
    ) % {
        "collected": f"{collection.collected:,.2f}",
        "required": f"{collection.required:,.2f}",
        "percent": format(collection.required_percent.normalize(), "f"),
        "owners_part": f"{collection.owners_part:,.2f}",
    }
    return [UnmetCondition(OWNERS_PART_NOT_COLLECTED, message)]


# --- Writes -----------------------------------------------------------------------------------


@transaction.atomic
def share_invoices_issue(
    *, retrofit: ElevatorRetrofit, on: date | None = None
) -> list[ShareInvoice]:
    """Invoice every household of the unit that has a share above ¥0 and no invoice yet, for
    its share as the notice fixed it. Returns the invoices made (none when all exist).

    Raises ``WrongState`` before the notice (or for a withdrawn retrofit) and when the cost
    cannot be shared, ``ValidationError`` for a day in the future or before the notice.
    """
    on = on or today()
    locked = ElevatorRetrofit.objects.select_for_update(of=("self",)).get(pk=retrofit.pk)
    if not locked.shares_published:
        raise WrongState(
            _(
                "The shares are invoiced once the public notice has fixed them (and not for a "
                "withdrawn retrofit)."
            ),
            code="shares_not_fixed",
        )
    sharing = locked.cost_sharing(public=True)
    if sharing.problem:
        raise WrongState(sharing.problem, code="cannot_share")
    invoiced = set(locked.invoices.values_list("household_id", flat=True))
    made = []
    for share in sharing.households:
        if share.household_id in invoiced or not share.share:
            continue
        invoice = ShareInvoice(
            retrofit=locked, household_id=share.household_id, amount=share.share, invoiced_on=on
        )
        invoice.full_clean()
        invoice.save()
        made.append(invoice)
    return made


@transaction.atomic
def share_payment_record(
    *,
    invoice: ShareInvoice,
    amount: Decimal,
    paid_on: date,
    source: str,
    reference: str = "",
    note: str = "",
) -> SharePayment:
    """Record one payment against an invoice. The invoice is locked meanwhile, so two clerks
    recording the last payment at once cannot both pass the "never more than invoiced" check."""
    locked = ShareInvoice.objects.select_for_update(of=("self",)).get(pk=invoice.pk)
    ElevatorRetrofit.objects.select_for_update(of=("self",)).filter(pk=locked.retrofit_id).first()
    payment = SharePayment(
        invoice=locked,
        amount=amount,
        paid_on=paid_on,
        source=source,
        reference=reference,
        note=note,
    )
    payment.full_clean()
    payment.save()
    return payment
