"""The generator's newer tables (issues 16 and 17): annual plans, item quantities, parties and
their items, inspections, findings and rectification orders, made with the rest or by
``generate_scale_data --extend`` for a database generated before them."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from communities.construction.choices import OrderStatus, Severity
from communities.construction.guards import major_hazard_guard
from communities.construction.models import (
    Finding,
    Inspection,
    ItemParty,
    Party,
    RectificationOrder,
)
from communities.construction.policy import credit_code_valid
from communities.places.models import Community, District
from communities.reporting.models import AnnualPlan
from communities.works.choices import ItemStatus
from communities.works.models.quantities import ItemQuantity, KindMeasure
from tests.support.scl import NEWER, delete_newer, newer_fingerprint

pytestmark = pytest.mark.django_db

N = 120


def _generate(communities: int = N, seed: int = 7) -> str:
    out = StringIO()
    call_command("generate_scale_data", communities=communities, seed=seed, stdout=out)
    return out.getvalue()


def _extend(seed: int = 7) -> str:
    out = StringIO()
    call_command("generate_scale_data", extend=True, seed=seed, stdout=out)
    return out.getvalue()


def test_it_fills_the_newer_tables_with_the_rest():
    output = _generate()

    for model in NEWER:
        assert model.objects.exists(), model
    assert "rectification orders" in output
    # A few thousand parties at 220,000 communities: one per 70, at least 12.
    assert Party.objects.count() == 12
    assert Party.objects.filter(is_contractor=True).exists()
    assert Party.objects.filter(is_supervisor=True).exists()
    assert Party.objects.filter(is_designer=True).exists()


def test_extend_fills_them_for_a_database_generated_before_them_and_the_same_way():
    _generate()
    made_with_the_rest = newer_fingerprint()
    delete_newer()

    output = _extend()

    assert newer_fingerprint() == made_with_the_rest
    assert "Created" in output and "annual plans" in output


def test_extend_refuses_a_database_already_extended_and_changes_nothing():
    _generate()
    before = {model: model.objects.count() for model in NEWER}

    with pytest.raises(CommandError, match="extended before"):
        _extend()

    assert {model: model.objects.count() for model in NEWER} == before


def test_extend_refuses_a_database_without_generated_data():
    with pytest.raises(CommandError, match="No generated districts"):
        _extend()


def test_extend_and_a_number_of_communities_are_not_given_together():
    with pytest.raises(CommandError):
        call_command("generate_scale_data", communities=5, extend=True, stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("generate_scale_data", stdout=StringIO())


def test_it_is_deterministic_for_a_seed_and_differs_for_another():
    _generate(communities=40, seed=11)
    first = newer_fingerprint()
    delete_newer()
    _extend(seed=11)
    assert newer_fingerprint() == first
    delete_newer()

    _extend(seed=12)

    assert newer_fingerprint() != first


def test_its_rows_pass_the_model_rules():
    _generate(communities=60)

    for model in (*NEWER, AnnualPlan.communities.through):
        rows = list(model.objects.order_by("pk"))
        assert rows, model
        for row in rows[:: max(1, len(rows) // 15)]:
            row.full_clean()
    for party in Party.objects.all():
        assert credit_code_valid(party.credit_code)
    # Every order's state as the services would have left it, the dates in order.
    for status in OrderStatus.values:
        assert RectificationOrder.objects.filter(status=status).exists(), status


def test_quantities_are_only_of_their_kinds_measures_and_only_of_items_begun():
    _generate(communities=60)

    allowed = set(KindMeasure.objects.values_list("kind_id", "measure"))
    for kind, measure, status in ItemQuantity.objects.values_list(
        "item__kind_id", "measure", "item__status"
    ):
        assert (kind, measure) in allowed
        assert status != ItemStatus.PLANNED


def test_the_plans_are_near_what_each_district_started_in_its_year():
    _generate()

    for plan in AnnualPlan.objects.all():
        actual = Community.objects.filter(district=plan.district, renovation_year=plan.year)
        assert set(plan.communities.values_list("pk", flat=True)) == set(
            actual.values_list("pk", flat=True)
        )
        assert 0.85 * actual.count() - 1 <= plan.target_communities <= 1.2 * actual.count() + 1


def test_parties_hold_the_roles_they_are_linked_in_and_orders_go_to_the_items_contractor():
    _generate(communities=60)

    for link in ItemParty.objects.select_related("party"):
        assert link.party.holds(link.role)
    contractors = {
        (link["item_id"], link["party_id"])
        for link in ItemParty.objects.filter(role="contractor").values("item_id", "party_id")
    }
    for item, contractor in RectificationOrder.objects.values_list(
        "finding__inspection__item_id", "contractor_id"
    ):
        assert (item, contractor) in contractors
    # An item begun has one contractor and one supervisor.
    per_item = ItemParty.objects.values("item_id", "role").annotate(n=Count("id"))
    assert {row["n"] for row in per_item} == {1}


def test_a_major_hazard_is_only_on_an_item_under_construction_which_stays_where_it_is():
    _generate(communities=300)

    hazards = Finding.objects.filter(severity=Severity.MAJOR_HAZARD).select_related(
        "inspection__item"
    )
    assert hazards.exists()
    for finding in hazards:
        item = finding.inspection.item
        assert item.status == ItemStatus.UNDER_CONSTRUCTION
        assert major_hazard_guard(item) == []  # at its saved percentage: nothing to refuse


def test_some_orders_are_overdue_and_contractors_differ():
    _generate(communities=300)

    from communities.construction.selectors import party_scorecard

    rates = [
        row.overdue_rate
        for row in party_scorecard(Party.objects.filter(is_contractor=True))
        if row.order_count
    ]
    assert len(set(rates)) > 1
    assert any(rate > 0 for rate in rates)
    assert Inspection.objects.filter(kind="completion").exists()


def test_the_regions_above_generated_districts_are_named_by_extend_too():
    from communities.places.models import Region

    _generate(communities=30)
    delete_newer()
    Region.objects.filter(
        code__in={c[:4] for c in District.objects.values_list("code", flat=True)}
    ).delete()

    _extend()

    for code in District.objects.values_list("code", flat=True):
        assert Region.objects.filter(code=code[:4]).exists()
