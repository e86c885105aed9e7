"""The demo's slice of construction supervision, generated in memory (tests/demo loads it and
checks the headline figures are unchanged)."""

from collections import Counter
from datetime import date

import pytest

from communities.construction.choices import OrderStatus, Severity
from communities.construction.models import (
    Finding,
    Inspection,
    ItemParty,
    Party,
    RectificationOrder,
)
from communities.construction.policy import credit_code_valid
from communities.demo import store
from communities.demo.construction import construction
from communities.demo.generate import build_city
from communities.demo.places import buildings, places
from communities.demo.renovation import renovation
from communities.works.choices import ItemStatus

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 5)  # the day the demo is generated as of


@pytest.fixture
def city():
    vote_rule, subsidy_rule = store.elevator_rules()
    return build_city(
        districts=store.ensure_districts(),
        kinds=store.national_kinds(),
        vote_rule=vote_rule,
        subsidy_rule=subsidy_rule,
        today=DAY,
        # The steps this one reads (sites, their items); each step has its own seeded
        # generator, so leaving the others out changes nothing here.
        steps=[places, buildings, renovation, construction],
    )


def test_the_demo_slice_is_believable_and_obeys_the_rules(city):
    parties = city.rows[Party]
    codes = [party.credit_code for party in parties]
    assert all(credit_code_valid(code) for code in codes) and len(set(codes)) == len(codes)
    for link in city.rows[ItemParty]:
        assert link.party.holds(link.role)
    assert len(city.rows[Inspection]) > 50 and len(city.rows[Finding]) > 50

    orders = city.rows[RectificationOrder]
    for order in orders:
        assert order.finding.inspection.visited_on <= order.issued_on <= order.deadline
        assert order.issued_on <= DAY
        assert order.contractor.is_contractor
        if order.status == OrderStatus.OPEN:
            assert order.fixed_on is None and order.closed_on is None
        else:
            assert order.issued_on <= order.fixed_on <= DAY
        if order.status == OrderStatus.CLOSED:
            assert order.fixed_on <= order.closed_on <= DAY
    statuses = Counter(order.status for order in orders)
    assert statuses[OrderStatus.OPEN] >= 3 and statuses[OrderStatus.CLOSED] > statuses["open"]

    hazards = [o for o in orders if o.finding.severity == Severity.MAJOR_HAZARD]
    assert len(hazards) == 1 and hazards[0].status == OrderStatus.OPEN
    item = hazards[0].finding.inspection.item
    assert item.status == ItemStatus.UNDER_CONSTRUCTION and 0 < item.progress < 100


def test_a_reset_deletes_the_demo_parties_only_when_nothing_refers_to_them():
    from communities.demo.construction import credit_code, delete_demo_parties
    from tests.support.construction import make_order

    kept = Party.objects.create(name="仍有整改单", credit_code=credit_code(1), is_contractor=True)
    make_order(contractor=kept)
    Party.objects.create(name="无引用", credit_code=credit_code(2), is_contractor=True)

    delete_demo_parties()

    assert list(Party.objects.values_list("name", flat=True)) == ["仍有整改单"]
