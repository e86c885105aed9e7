"""The owners' money for an elevator retrofit (issue 17): invoices of the shares, payments by
source, the arrears, and the rule that construction waits for the owners' part."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from communities.core.errors import WrongState
from communities.elevators.choices import ElevatorStage, PaymentSource
from communities.elevators.models import ElevatorRetrofit, ShareInvoice, SharePayment
from communities.elevators.payment_models import CollectionRule
from communities.elevators.payments import (
    OWNERS_PART_NOT_COLLECTED,
    pick_collection_rule,
    required_amount,
    retrofit_collection,
    share_invoices_issue,
    share_percent,
    with_collection,
)
from communities.elevators.services import elevator_retrofit_renotice
from tests.support.elevators import advance, at_stage, refused
from tests.support.pay import PAID_ON, collect_in_full, invoice, pay

pytestmark = pytest.mark.django_db

D = Decimal
CONSTRUCTION = {"on": date(2021, 6, 1), "permit_number": "370902202106"}


def approved(**kwargs) -> ElevatorRetrofit:
    """Approved on 21 May 2021, three households of 80 m² on floors 3–5, nothing paid."""
    return at_stage(ElevatorStage.APPROVAL, collect=False, **kwargs)


# --- The rule's arithmetic (no database) ------------------------------------------------------


@pytest.mark.parametrize(
    ("owners_part", "percent", "required"),
    [
        ("330000.00", "100", "330000.00"),
        ("330000.00", "80", "264000.00"),
        ("100.01", "50", "50.01"),  # rounded up: half a cent still counts
        ("0.00", "100", "0.00"),
        ("1234.56", "0", "0.00"),
    ],
)
def test_the_required_amount_is_the_percentage_rounded_up_to_the_cent(
    owners_part, percent, required
):
    assert required_amount(D(owners_part), D(percent)) == D(required)


def test_the_share_collected_is_rounded_down_and_none_when_nothing_is_owed():
    assert share_percent(D("99.999"), D("100")) == D("99.99")
    assert share_percent(D("5"), D("0")) is None


def test_the_most_local_rule_covering_the_district_applies():
    city = CollectionRule(region_code="370900", required_percent=D("80"))
    district = CollectionRule(region_code="370902", required_percent=D("60"))
    province = CollectionRule(region_code="370000", required_percent=D("90"))
    other = CollectionRule(region_code="370100", required_percent=D("10"))
    rules = [city, district, province, other]

    assert pick_collection_rule(rules, district_code="370902") is district
    assert pick_collection_rule(rules, district_code="370911") is city
    assert pick_collection_rule(rules, district_code="371302") is province
    assert pick_collection_rule([other], district_code="370902") is None


# --- Invoices ---------------------------------------------------------------------------------


def test_invoicing_bills_each_household_its_share_as_the_notice_fixed_it():
    retrofit = approved()
    sharing = retrofit.cost_sharing()

    invoices = invoice(retrofit)

    assert [i.amount for i in invoices] == [h.share for h in sharing.households]
    assert sum(i.amount for i in invoices) == retrofit.owners_part
    assert share_invoices_issue(retrofit=retrofit, on=date(2021, 5, 22)) == []  # none twice


def test_shares_are_not_invoiced_before_the_public_notice():
    retrofit = at_stage(ElevatorStage.DESIGN)

    with pytest.raises(WrongState):
        share_invoices_issue(retrofit=retrofit, on=date(2021, 4, 20))
    assert not ShareInvoice.objects.exists()


def test_an_invoice_is_for_the_share_and_nothing_else():
    retrofit = approved()
    household = retrofit.unit_households().last()
    share = retrofit.cost_sharing().households[-1].share
    wrong = ShareInvoice(
        retrofit=retrofit, household=household, amount=share + 1, invoiced_on=date(2021, 5, 21)
    )

    with pytest.raises(ValidationError) as caught:
        wrong.full_clean()

    assert "amount" in caught.value.message_dict
    assert str(share) in caught.value.message_dict["amount"][0]


def test_an_invoice_is_not_dated_before_the_notice_nor_in_the_future():
    retrofit = approved()
    household = retrofit.unit_households().last()
    share = retrofit.cost_sharing().households[-1].share
    for day in (date(2021, 4, 30), date(2999, 1, 1)):
        candidate = ShareInvoice(
            retrofit=retrofit, household=household, amount=share, invoiced_on=day
        )
        with pytest.raises(ValidationError) as caught:
            candidate.full_clean()
        assert "invoiced_on" in caught.value.message_dict


def test_an_invoice_with_payments_stays_on_its_household():
    retrofit = approved()
    _first, second, third = invoice(retrofit)
    pay(third, "100.00")
    third.household = second.household

    with pytest.raises(ValidationError) as caught:
        third.full_clean()

    assert "household" in caught.value.message_dict


def test_a_renotice_that_changes_the_shares_makes_the_old_invoices_wrong_until_corrected():
    retrofit = approved()
    first, *_rest = invoice(retrofit)
    elevator_retrofit_renotice(retrofit=retrofit, on=date(2021, 5, 22), reason="造价调整")
    ElevatorRetrofit.objects.filter(pk=retrofit.pk).update(total_cost=D("500000.00"))
    retrofit.refresh_from_db()

    first.refresh_from_db()
    with pytest.raises(ValidationError):  # under design the shares are not fixed
        first.full_clean()


# --- Payments ---------------------------------------------------------------------------------


def test_a_household_may_pay_in_several_payments_up_to_its_invoice():
    retrofit = approved()
    target = invoice(retrofit)[-1]
    half = (target.amount / 2).quantize(D("0.01"))

    pay(target, half, on=date(2021, 5, 22))
    pay(target, on=date(2021, 5, 30))  # the rest

    assert sum(p.amount for p in target.payments.all()) == target.amount
    with pytest.raises(ValidationError) as caught:
        pay(target, "0.01")
    assert "amount" in caught.value.message_dict
    assert target.payments.count() == 2


@pytest.mark.parametrize("amount", ["0", "-5.00"])
def test_a_payment_is_more_than_nothing(amount):
    target = invoice(approved())[-1]

    with pytest.raises(ValidationError):
        pay(target, amount)
    assert not SharePayment.objects.exists()


def test_a_payment_is_not_dated_before_its_invoice_nor_in_the_future():
    target = invoice(approved())[-1]
    for day in (date(2021, 4, 30), date(2999, 1, 1)):  # invoiced on 1 May 2021
        with pytest.raises(ValidationError) as caught:
            pay(target, "10.00", on=day)
        assert "paid_on" in caught.value.message_dict


def test_the_maintenance_fund_pays_no_more_than_the_retrofit_draws_from_it():
    retrofit = approved()
    ElevatorRetrofit.objects.filter(pk=retrofit.pk).update(maintenance_fund=D("1000.00"))
    _first, second, third = invoice(retrofit)

    pay(second, "600.00", source=PaymentSource.MAINTENANCE_FUND)
    with pytest.raises(ValidationError) as caught:
        pay(third, "400.01", source=PaymentSource.MAINTENANCE_FUND)
    pay(third, "400.00", source=PaymentSource.MAINTENANCE_FUND)
    pay(third, "400.01", source=PaymentSource.CASH)

    assert "source" in caught.value.message_dict
    collection = retrofit_collection(retrofit)
    assert collection.from_fund == D("1000.00")
    assert collection.collected == D("1400.01")


def test_a_payment_takes_its_retrofit_from_its_invoice():
    target = invoice(approved())[-1]

    payment = pay(target, "10.00")

    assert payment.retrofit_id == target.retrofit_id


def test_an_invoice_is_never_lowered_below_what_was_paid():
    target = invoice(approved())[-1]
    pay(target, "10.00")
    target.amount = D("5.00")

    with pytest.raises(ValidationError) as caught:
        target.full_clean()

    assert "amount" in caught.value.message_dict


# --- Arrears and totals -----------------------------------------------------------------------


def test_arrears_are_invoiced_less_paid_per_household_and_per_retrofit():
    retrofit = approved()
    first, second, third = invoice(retrofit)
    pay(first)
    pay(second, "100.00")

    collection = retrofit_collection(retrofit)
    annotated = with_collection(ElevatorRetrofit.objects.filter(pk=retrofit.pk)).get()

    assert collection.invoiced == retrofit.owners_part
    assert collection.collected == first.amount + D("100.00")
    assert collection.arrears == second.amount - D("100.00") + third.amount
    assert collection.households_in_arrears == 2
    assert (annotated.owners_invoiced, annotated.owners_collected) == (
        collection.invoiced,
        collection.collected,
    )
    assert annotated.households_in_arrears == 2


# --- The rule: construction waits for the owners' part ---------------------------------------


def test_construction_is_refused_until_the_owners_part_is_collected():
    retrofit = approved()
    invoices = invoice(retrofit)
    for each in invoices[:-1]:
        pay(each)

    assert refused(retrofit, ElevatorStage.CONSTRUCTION, **CONSTRUCTION) == [
        OWNERS_PART_NOT_COLLECTED
    ]
    retrofit.refresh_from_db()
    assert retrofit.stage == ElevatorStage.APPROVAL
    assert retrofit.construction_on is None
    assert retrofit.transitions.filter(to_stage=ElevatorStage.CONSTRUCTION).count() == 0

    pay(invoices[-1])
    advance(retrofit, ElevatorStage.CONSTRUCTION, **CONSTRUCTION)
    assert retrofit.stage == ElevatorStage.CONSTRUCTION


def test_the_refusal_gives_what_was_collected_and_what_is_required(english):
    retrofit = approved()
    first = invoice(retrofit)[0]
    pay(first, "1000.00")

    with pytest.raises(WrongState) as caught:
        advance(retrofit, ElevatorStage.CONSTRUCTION, **CONSTRUCTION)

    owners_part = f"{retrofit.owners_part:,.2f}"
    assert str(caught.value) == (
        f"The owners' part is not collected: ¥1,000.00 paid of ¥{owners_part} required "
        f"before construction (100% of the owners' part of ¥{owners_part})."
    )


def test_a_city_rule_lowers_the_share_required():
    retrofit = approved()
    CollectionRule.objects.create(
        region_name="泰安市", region_code="370900", required_percent=D("60")
    )
    invoices = invoice(retrofit)
    pay(invoices[-1])  # 5F: 0.9 / (0.7 + 0.8 + 0.9) = 37.5 %
    assert refused(retrofit, ElevatorStage.CONSTRUCTION, **CONSTRUCTION) == [
        OWNERS_PART_NOT_COLLECTED
    ]

    pay(invoices[-2])  # + 4F: 70.8 %
    advance(retrofit, ElevatorStage.CONSTRUCTION, **CONSTRUCTION)

    assert retrofit.stage == ElevatorStage.CONSTRUCTION


def test_a_district_rule_comes_before_the_citys():
    retrofit = approved()
    CollectionRule.objects.create(region_name="泰安市", region_code="370900")
    CollectionRule.objects.create(
        region_name="泰山区", region_code="370902", required_percent=D("0")
    )

    advance(retrofit, ElevatorStage.CONSTRUCTION, **CONSTRUCTION)

    assert retrofit.stage == ElevatorStage.CONSTRUCTION


def test_other_moves_do_not_look_at_the_money():
    retrofit = at_stage(ElevatorStage.PUBLIC_NOTICE, collect=False)

    advance(retrofit, ElevatorStage.APPROVAL, date(2021, 5, 21))

    assert retrofit.stage == ElevatorStage.APPROVAL


def test_a_retrofit_already_past_construction_is_not_reopened():
    """Live data from before the rule: nothing paid is recorded, and it moves on."""
    retrofit = at_stage(ElevatorStage.CONSTRUCTION)
    SharePayment.objects.all().delete()
    ShareInvoice.objects.all().delete()

    advance(retrofit, ElevatorStage.ACCEPTANCE, date(2021, 9, 1))

    assert retrofit.stage == ElevatorStage.ACCEPTANCE


def test_the_helper_collects_before_construction():
    retrofit = at_stage(ElevatorStage.CONSTRUCTION)

    collection = retrofit_collection(retrofit)

    assert collection.collected == retrofit.owners_part
    assert all(p.paid_on == PAID_ON for p in SharePayment.objects.all())


def test_collect_in_full_leaves_no_arrears():
    retrofit = approved()
    collect_in_full(retrofit)

    assert retrofit_collection(retrofit).households_in_arrears == 0


def test_an_invoice_paid_in_two_halves_is_settled_and_lets_construction_start():
    """Sums are to the cent on SQLite too, where decimals add up as floats."""
    retrofit = approved()
    for each in invoice(retrofit):
        half = (each.amount / 2).quantize(D("0.01"))
        pay(each, half, on=date(2021, 5, 22))
        pay(each, on=date(2021, 5, 23))

    assert retrofit_collection(retrofit).households_in_arrears == 0
    assert (
        with_collection(ElevatorRetrofit.objects.filter(pk=retrofit.pk)).get().households_in_arrears
        == 0
    )
    advance(retrofit, ElevatorStage.CONSTRUCTION, **CONSTRUCTION)
    assert retrofit.stage == ElevatorStage.CONSTRUCTION
