"""The one mechanism for decisions that stay decided (``communities.core.locks``): it compares
an instance with the record the database holds and names the decision of each frozen field."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.core.locks import frozen_errors, frozen_fields
from communities.works.choices import ItemStatus
from communities.works.models.items import RenovationItem
from tests.support.factories import make_item

pytestmark = pytest.mark.django_db


def test_a_new_record_has_nothing_frozen():
    item = RenovationItem(status=ItemStatus.COMPLETED, budget=Decimal("1"))

    assert frozen_errors(item) == {}


def test_an_unchanged_record_is_checked_without_a_query():
    item = RenovationItem.objects.get(pk=make_item(status=ItemStatus.COMPLETED).pk)
    item.title = "改名不受限"

    with CaptureQueriesContext(connection) as queries:
        assert frozen_errors(item) == {}

    assert len(queries) == 0


def test_a_record_built_by_hand_is_checked_against_the_database():
    stored = make_item(status=ItemStatus.COMPLETED)
    by_hand = RenovationItem(
        pk=stored.pk,
        community=stored.community,
        kind=stored.kind,
        title=stored.title,
        status=ItemStatus.COMPLETED,
        budget=Decimal("1.00"),
    )
    by_hand._state.adding = False

    assert list(frozen_errors(by_hand)) == ["budget"]


def test_a_copy_loaded_before_the_decision_is_judged_by_the_record_as_it_is_now():
    item = make_item(status=ItemStatus.UNDER_CONSTRUCTION)
    stale = RenovationItem.objects.get(pk=item.pk)
    RenovationItem.objects.filter(pk=item.pk).update(status=ItemStatus.COMPLETED)
    stale.budget = Decimal("5.00")

    assert list(frozen_errors(stale)) == ["budget"]


def test_the_frozen_fields_follow_the_state():
    assert frozen_fields(make_item()) == set()
    assert frozen_fields(make_item(status=ItemStatus.UNDER_CONSTRUCTION)) == {
        "community",
        "building",
        "kind",
    }
    assert "budget" in frozen_fields(make_item(status=ItemStatus.COMPLETED))
