"""The owners' money for tests: invoice a retrofit's shares and pay them (issue 17)."""

from datetime import date
from decimal import Decimal

from communities.elevators.choices import PaymentSource
from communities.elevators.models import ElevatorRetrofit, ShareInvoice, SharePayment
from communities.elevators.payments import share_invoices_issue, share_payment_record

# Between the approval (21 May 2021) and construction (1 June 2021) of ``at_stage``.
PAID_ON = date(2021, 5, 25)


def invoice(retrofit: ElevatorRetrofit, on: date | None = None) -> list[ShareInvoice]:
    """Invoice every share (on the notice's day unless given); returns all the invoices."""
    share_invoices_issue(retrofit=retrofit, on=on or retrofit.notice_on)
    return list(retrofit.invoices.order_by("household__floor", "household__room_number"))


def pay(
    invoice: ShareInvoice,
    amount: Decimal | str | None = None,
    *,
    on: date | None = None,
    source: str = PaymentSource.CASH,
) -> SharePayment:
    """A payment of ``amount`` (default: what is left) against ``invoice``, on ``on`` (default
    ``PAID_ON``, or the invoice's day when it is later)."""
    on = on or max(PAID_ON, invoice.invoiced_on)
    if amount is None:
        paid = sum((p.amount for p in invoice.payments.all()), Decimal("0"))
        amount = invoice.amount - paid
    return share_payment_record(invoice=invoice, amount=Decimal(amount), paid_on=on, source=source)


def collect_in_full(retrofit: ElevatorRetrofit, on: date | None = None) -> None:
    """Invoice the shares and pay every invoice in full, in cash."""
    for each in invoice(retrofit):
        pay(each, on=on)


def noticed_unit(*, community, label: str = "9号楼", floors=(3, 4, 5)):
    """A retrofit under public notice (from ``make_elevator``'s dates) in a new building of
    ``community``, over households on ``floors`` entered before it: the shares are fixed."""
    from communities.elevators.choices import ElevatorStage
    from communities.elevators.models import Household
    from tests.support.factories import make_building, make_elevator

    building = make_building(community=community, label=label, storeys=6, entrance_units=1)
    households = []
    for index, floor in enumerate(floors):
        household = Household(
            building=building,
            entrance_unit=1,
            floor=floor,
            room_number=f"{floor}{index + 1:02d}",
            floor_area_m2=Decimal("80.00"),
            owner_name="王秘密",
            owner_phone="13912345678",
        )
        household.full_clean()
        household.save()
        households.append(household)
    retrofit = make_elevator(building=building, stage=ElevatorStage.PUBLIC_NOTICE)
    return retrofit, households


def make_invoices(*, community, label: str = "9号楼"):
    """Two invoices of a retrofit under notice in ``community``: the first unpaid, the second
    with one cash payment of ¥1,000. Returns (unpaid invoice, payment)."""
    retrofit, _households = noticed_unit(community=community, label=label)
    invoices = invoice(retrofit)
    payment = pay(invoices[1], "1000.00", on=retrofit.notice_on)
    return invoices[0], payment
