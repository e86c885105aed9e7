"""The returns' slice of the demo, checked on the generated city (in memory, nothing saved):
plans per district from 2019 that match their batches, quantities only of the kinds' measures."""

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction

from communities.demo import store
from communities.demo.generate import build_city
from communities.reporting.models import AnnualPlan
from communities.works.choices import ItemStatus
from communities.works.models.quantities import ItemQuantity, KindMeasure

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    """The city as of a pinned day; the districts it makes are rolled back after the module
    (the region tests count districts)."""
    with django_db_blocker.unblock(), transaction.atomic():
        vote_rule, subsidy_rule = store.elevator_rules()
        yield build_city(
            districts=store.ensure_districts(),
            kinds=store.national_kinds(),
            vote_rule=vote_rule,
            subsidy_rule=subsidy_rule,
            today=date(2026, 12, 5),
        )
        transaction.set_rollback(True)


def test_every_district_has_a_plan_for_each_batch_year_from_2019(city):
    plans = city.rows[AnnualPlan]
    years = Counter(plan.year for plan in plans)
    assert min(years) == 2019
    assert len({(plan.district.code, plan.year) for plan in plans}) == len(plans)
    planned = Counter(
        row.annualplan.pk or id(row.annualplan) for row in city.rows[AnnualPlan.communities.through]
    )
    assert sum(planned.values()) == sum(plan.target_communities for plan in plans)
    batch = sum(1 for site in city.sites if (site.community.renovation_year or 0) >= 2019)
    assert sum(plan.target_communities for plan in plans) == batch
    for plan in plans:
        plan.full_clean(exclude=["communities"])


def test_quantities_are_of_the_kinds_measures_and_never_negative(city):
    allowed = set(KindMeasure.objects.values_list("kind__code", "measure"))
    quantities = city.rows[ItemQuantity]
    assert len(quantities) > 100
    for quantity in quantities:
        assert (quantity.item.kind.code, quantity.measure) in allowed
        assert quantity.amount >= Decimal("0")
        assert quantity.item.status in ItemStatus.started()
    assert len({q.measure for q in quantities}) >= 10
