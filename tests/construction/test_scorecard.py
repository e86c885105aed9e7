"""The contractor scorecard against a fixture worked by hand, through the selector and the API."""

from decimal import Decimal

import pytest

from communities.construction.choices import PartyRole
from communities.construction.selectors import overdue_orders, party_scorecard
from communities.construction.services import (
    rectification_order_close,
    rectification_order_report_fixed,
)
from tests.support.api import API, api_client
from tests.support.construction import link, make_finding, make_inspection, make_order, make_party
from tests.support.participation import make_completed_community, make_finished_item, make_rating

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    """
    Party A (contractor and designer): items 1 and 2, item 1 in both roles (counted once).
      Orders: o1 open, due yesterday (overdue); o2 open, due in 10 days; o3 closed, its
      deadline past; o4 reported fixed, its deadline past (not overdue: no longer open).
      -> 2 items, 4 orders, 3 not closed, 1 overdue, 1/4 = 25.0 %.
      Ratings of the work: item 1: 5 and 4, item 2: 3 -> (5 + 4 + 3) / 3 = 4.00 (4.20 if item 1
      were counted once per role).
    Party B (supervisor): item 1 -> 1 item, no orders (rate null), (5 + 4) / 2 = 4.50.
    Party C (contractor): nothing -> 0, 0, 0, 0, null, null.
    """
    community = make_completed_community()
    item1 = make_finished_item(community=community, title="外墙保温")
    item2 = make_finished_item(community=community, title="雨污分流")
    a = make_party(name="甲建设", is_contractor=True, is_designer=True)
    b = make_party(name="乙监理", is_supervisor=True)
    c = make_party(name="丙建设", is_contractor=True)
    link(item1, a, PartyRole.CONTRACTOR)
    link(item1, a, PartyRole.DESIGNER)
    link(item2, a, PartyRole.CONTRACTOR)
    link(item1, b, PartyRole.SUPERVISOR)
    for score in (5, 4):
        make_rating(item=item1, scores=(score, 3, 3))
    make_rating(item=item2, scores=(3, 5, 5))

    inspection = make_inspection(item=item1)

    def order(days_left):
        return make_order(
            finding=make_finding(inspection=inspection), contractor=a, days_left=days_left
        )

    order(-1)
    order(10)
    rectification_order_close(order=rectification_order_report_fixed(order=order(-3), note="done"))
    rectification_order_report_fixed(order=order(-2), note="done")
    return {"a": a, "b": b, "c": c}


def test_the_selector_matches_the_hand_worked_figures(city):
    rows = {
        party.name: (
            party.item_count,
            party.order_count,
            party.open_orders,
            party.overdue_orders,
            party.overdue_rate,
            None if party.rating_average is None else round(party.rating_average, 2),
        )
        for party in party_scorecard()
    }
    assert rows == {
        "甲建设": (2, 4, 3, 1, Decimal("25.0"), 4.0),
        "乙监理": (1, 0, 0, 0, None, 4.5),
        "丙建设": (0, 0, 0, 0, None, None),
    }
    assert overdue_orders().count() == 1


def test_the_api_answers_the_scorecard_and_hides_contacts_from_the_public(city):
    response = api_client().get(f"{API}/parties/", {"role": "contractor"})

    assert response.status_code == 200
    rows = {row["name"]: row for row in response.json()["results"]}
    assert set(rows) == {"甲建设", "丙建设"}
    a = rows["甲建设"]
    assert (a["item_count"], a["open_orders"], a["overdue_orders"]) == (2, 3, 1)
    assert (a["overdue_rate"], a["rating_average"]) == ("25.0", "4.00")
    assert "contact_phone" not in a and "contact_person" not in a


def test_parties_order_by_their_overdue_rate(city):
    response = api_client().get(f"{API}/parties/", {"ordering": "-overdue_orders"})

    assert response.json()["results"][0]["name"] == "甲建设"
