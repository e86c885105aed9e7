"""The owners' money for the demo's elevator retrofits (居民出资), generated in memory.

Every retrofit whose notice has fixed the shares invoices each household with a share above ¥0
for it, on its approval day (or, still under notice, on the notice's first day). A retrofit at
construction or later was paid in full before its construction started (the rule of issue 17:
the demo's city has no collection rule, so 100 %), its payments dated from the invoice to the
day before construction. Where a retrofit draws on the housing maintenance fund, each household
pays that part of its share from the fund (in proportion, never more than the fund) and the rest
in cash or by transfer; some pay in two instalments. Retrofits still before construction are
mostly paid, with a few households in arrears (nothing or part paid) and one that paid late.
Every date comes from the retrofit's own stage dates, never after ``city.today``.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from communities.core.money import CENT
from communities.demo.city import DemoCity, between, days
from communities.elevators.choices import ElevatorStage, PaymentSource
from communities.elevators.models import ElevatorRetrofit, Household
from communities.elevators.payment_models import ShareInvoice, SharePayment
from communities.elevators.policy import elevator_stage_reached
from communities.places.policy import natural_key

# Of the households of a retrofit before construction, the share that has not paid in full.
ARREARS_SHARE = 0.2
# Of all payments not from the fund, the share made by transfer rather than in cash.
TRANSFER_SHARE = 0.6
# Of households paying themselves, those who pay in two instalments.
INSTALMENTS_SHARE = 0.15


def _unit_rows(city: DemoCity) -> dict[tuple[int, int], list[Household]]:
    """Each entrance unit's households in the order the database reads them (floor, then room
    in natural order), so the shares split their cents exactly as ``cost_sharing`` does."""
    units: dict[tuple[int, int], list[Household]] = {}
    for household in city.rows.get(Household, []):
        units.setdefault((id(household.building), household.entrance_unit), []).append(household)
    for households in units.values():
        households.sort(key=lambda h: (h.floor, natural_key(h.room_number), h.room_number))
    return units


def _shares(retrofit: ElevatorRetrofit, households: list[Household]) -> list[Decimal] | None:
    rows = [
        {
            "pk": index,
            "floor": household.floor,
            "room_number": household.room_number,
            "floor_area_m2": household.floor_area_m2,
        }
        for index, household in enumerate(households)
    ]
    sharing = retrofit.cost_sharing_of(rows, public=True)
    if sharing.problem:
        return None
    return [share.share for share in sharing.households]


def _pay(city, rng, invoice, amount: Decimal, source: str, start: date, end: date) -> None:
    if amount <= 0:
        return
    if source != PaymentSource.MAINTENANCE_FUND and rng.random() < INSTALMENTS_SHARE:
        first = (amount / 2).quantize(CENT, rounding=ROUND_FLOOR)
        day = between(rng, start, end)
        _payment(city, rng, invoice, first, source, day)
        _payment(city, rng, invoice, amount - first, source, between(rng, day, end))
        return
    _payment(city, rng, invoice, amount, source, between(rng, start, end))


def _payment(city, rng, invoice, amount, source, day) -> None:
    if amount <= 0:
        return
    city.add(
        SharePayment(
            retrofit=invoice.retrofit,
            invoice=invoice,
            amount=amount,
            paid_on=day,
            source=source,
            reference=f"{day:%Y%m%d}{rng.randint(0, 99999):05d}",
        )
    )


def _own_source(rng: random.Random) -> str:
    return PaymentSource.TRANSFER if rng.random() < TRANSFER_SHARE else PaymentSource.CASH


def payments(city: DemoCity, rng: random.Random) -> None:
    """Invoices and payments of every retrofit whose shares are fixed (runs after elevators)."""
    units = _unit_rows(city)
    late_payer = False
    for retrofit in city.rows.get(ElevatorRetrofit, []):
        if retrofit.notice_on is None or retrofit.stage == ElevatorStage.WITHDRAWN:
            continue
        households = units.get((id(retrofit.building), retrofit.entrance_unit), [])
        shares = _shares(retrofit, households)
        if not shares:
            continue
        invoiced_on = city.cap(retrofit.approved_on or retrofit.notice_on)
        built = elevator_stage_reached(retrofit.stage, ElevatorStage.CONSTRUCTION)
        end = days(retrofit.construction_on, -1) if built else city.today
        end = max(invoiced_on, city.cap(end))
        owners_part = sum(shares, Decimal("0"))
        fund = retrofit.maintenance_fund or Decimal("0")
        for household, share in zip(households, shares, strict=True):
            if not share:
                continue
            invoice = city.add(
                ShareInvoice(
                    retrofit=retrofit, household=household, amount=share, invoiced_on=invoiced_on
                )
            )
            from_fund = (share * fund / owners_part).quantize(CENT, rounding=ROUND_FLOOR)
            own = share - from_fund
            if not built and rng.random() < ARREARS_SHARE:
                own = Decimal("0") if rng.random() < 0.5 else (own / 3).quantize(CENT)
            elif not built and not late_payer and own > 0 and end > days(invoiced_on, 60):
                # One household paid late: nothing for two months, then all at once.
                late_payer = True
                _payment(
                    city,
                    rng,
                    invoice,
                    own,
                    _own_source(rng),
                    between(rng, days(invoiced_on, 60), end),
                )
                own = Decimal("0")
            _pay(city, rng, invoice, from_fund, PaymentSource.MAINTENANCE_FUND, invoiced_on, end)
            _pay(city, rng, invoice, own, _own_source(rng), invoiced_on, end)
