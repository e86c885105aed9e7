"""The owners' money in the demo (issue 17), checked on the generated city (in memory): every
retrofit at construction or later was paid in full before construction started, payments are
dated from the invoice on, the fund never pays more than the retrofit draws, and retrofits
still before construction show a few arrears."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction

from communities.demo import store
from communities.demo.generate import build_city
from communities.elevators.choices import ElevatorStage, PaymentSource
from communities.elevators.models import ElevatorRetrofit
from communities.elevators.payment_models import ShareInvoice, SharePayment
from communities.elevators.policy import elevator_stage_reached

pytestmark = pytest.mark.django_db

# The day the demo is built as of.
DAY = date(2026, 12, 5)


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    # Built in memory; the rule and district rows it needs are rolled back, leaving nothing
    # behind for the worker's next module.
    with django_db_blocker.unblock(), transaction.atomic():
        vote_rule, subsidy_rule = store.elevator_rules()
        city = build_city(
            districts=store.ensure_districts(),
            kinds=store.national_kinds(),
            vote_rule=vote_rule,
            subsidy_rule=subsidy_rule,
            today=DAY,
        )
        transaction.set_rollback(True)
    return city


@pytest.fixture(scope="module")
def money(city):
    invoices = defaultdict(list)
    for invoice in city.rows[ShareInvoice]:
        invoices[id(invoice.retrofit)].append(invoice)
    paid = defaultdict(lambda: Decimal("0"))
    payments = defaultdict(list)
    for payment in city.rows[SharePayment]:
        paid[id(payment.invoice)] += payment.amount
        payments[id(payment.retrofit)].append(payment)
    return invoices, paid, payments


def test_every_retrofit_built_was_paid_in_full_before_construction(city, money):
    invoices, paid, payments = money
    built = [
        retrofit
        for retrofit in city.rows[ElevatorRetrofit]
        if retrofit.construction_on and retrofit.stage != ElevatorStage.WITHDRAWN
    ]
    assert len(built) >= 242
    for retrofit in built:
        owed = sum((invoice.amount for invoice in invoices[id(retrofit)]), Decimal("0"))
        assert owed == retrofit.owners_part
        assert sum(paid[id(invoice)] for invoice in invoices[id(retrofit)]) == owed
        assert all(p.paid_on < retrofit.construction_on for p in payments[id(retrofit)])


def test_payments_are_dated_from_their_invoice_and_never_exceed_it(city, money):
    _invoices, paid, _payments = money
    for payment in city.rows[SharePayment]:
        assert payment.invoice.invoiced_on <= payment.paid_on <= DAY
        assert payment.amount > 0
        assert payment.retrofit is payment.invoice.retrofit
    for invoice in city.rows[ShareInvoice]:
        assert paid[id(invoice)] <= invoice.amount
        assert invoice.invoiced_on >= invoice.retrofit.notice_on


def test_the_fund_pays_part_of_some_shares_and_never_more_than_drawn(city, money):
    _invoices, _paid, payments = money
    sources = {payment.source for payment in city.rows[SharePayment]}
    assert sources == set(PaymentSource.values)
    for retrofit in city.rows[ElevatorRetrofit]:
        drawn = sum(
            (p.amount for p in payments[id(retrofit)] if p.source == "maintenance_fund"),
            Decimal("0"),
        )
        assert drawn <= retrofit.maintenance_fund


def test_a_few_households_are_in_arrears_only_before_construction(city, money):
    _invoices, paid, _payments = money
    owing = [invoice for invoice in city.rows[ShareInvoice] if paid[id(invoice)] < invoice.amount]
    assert owing
    for invoice in owing:
        assert not elevator_stage_reached(invoice.retrofit.stage, ElevatorStage.CONSTRUCTION)
    assert len(owing) < len(city.rows[ShareInvoice]) / 4


def test_only_noticed_retrofits_are_invoiced(city):
    for invoice in city.rows[ShareInvoice]:
        retrofit = invoice.retrofit
        assert retrofit.notice_on is not None
        assert retrofit.stage != ElevatorStage.WITHDRAWN
        assert invoice.amount > 0
