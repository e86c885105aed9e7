"""Quantities delivered: only the measures an item's kind carries, never negative, the same
through the model, the API, the admin's inline and imports."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from communities.works.choices import MEASURE_UNITS, Measure
from communities.works.kinds import KIND_MEASURES
from communities.works.models.items import RenovationKind
from communities.works.models.quantities import ItemQuantity, KindMeasure
from tests.support.api import API, api_client, make_user
from tests.support.factories import make_item
from tests.support.returns import make_quantity

pytestmark = pytest.mark.django_db

URL = f"{API}/item-quantities/"


def _item(kind="water-drainage"):
    return make_item(kind=RenovationKind.objects.get(code=kind))


def test_every_measure_has_a_unit_and_the_seeded_kinds_carry_their_measures():
    assert set(MEASURE_UNITS) == set(Measure.values)
    seeded = set(KindMeasure.objects.values_list("kind__code", "measure"))
    assert seeded == {(code, m) for code, measures in KIND_MEASURES.items() for m in measures}


def test_a_measure_the_kind_does_not_carry_is_refused():
    with pytest.raises(ValidationError) as refused:
        make_quantity(item=_item(), measure=Measure.PARKING_SPACES, amount=Decimal("3"))
    assert "measure" in refused.value.message_dict


def test_a_negative_amount_is_refused():
    with pytest.raises(ValidationError) as refused:
        make_quantity(item=_item(), measure=Measure.DRAINAGE_PIPE, amount=Decimal("-1"))
    assert "amount" in refused.value.message_dict


def test_the_api_records_a_quantity_with_its_unit():
    item = _item()
    client = api_client(make_user(is_staff=True, is_superuser=True))
    response = client.post(
        URL, {"item": item.pk, "measure": "water_supply_pipe", "amount": "1.25"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["unit"] == "km"
    assert ItemQuantity.objects.get().amount == Decimal("1.25")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"measure": "parking_spaces", "amount": "3"}, "measure"),
        ({"measure": "drainage_pipe", "amount": "-0.5"}, "amount"),
        ({"measure": "drainage_pipe", "amount": "1" * 20}, "amount"),
        ({"measure": "no-such-measure", "amount": "1"}, "measure"),
        ({"measure": "drainage_pipe", "amount": {"nested": [1]}}, "amount"),
    ],
)
def test_the_api_refuses_bad_quantities_with_a_400(payload, field):
    item = _item()
    client = api_client(make_user(is_staff=True, is_superuser=True))
    response = client.post(URL, {"item": item.pk, **payload}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not ItemQuantity.objects.exists()


def test_the_api_refuses_a_second_figure_for_the_same_measure():
    item = _item()
    make_quantity(item=item, measure=Measure.DRAINAGE_PIPE, amount=Decimal("1"))
    client = api_client(make_user(is_staff=True, is_superuser=True))
    response = client.post(
        URL, {"item": item.pk, "measure": "drainage_pipe", "amount": "2"}, format="json"
    )
    assert response.status_code == 400
    assert ItemQuantity.objects.get().amount == Decimal("1")


def test_the_public_list_costs_the_same_queries_for_few_and_many_rows(
    django_assert_num_queries,
):
    item = _item()
    make_quantity(item=item, measure=Measure.DRAINAGE_PIPE, amount=Decimal("1"))
    client = api_client()
    # the count; the page of rows with their items
    with django_assert_num_queries(2):
        assert client.get(URL).status_code == 200
    make_quantity(item=item, measure=Measure.WATER_SUPPLY_PIPE, amount=Decimal("2"))
    make_quantity(item=_item("gas"), measure=Measure.GAS_PIPE, amount=Decimal("3"))
    with django_assert_num_queries(2):
        assert len(client.get(URL).json()["results"]) == 3


def _inline_post(staff_client, admin_form_data, item, measure, amount):
    url = reverse("admin:communities_renovationitem_change", args=[item.pk])
    data = admin_form_data(staff_client.get(url))
    data.update(
        {
            "quantities-TOTAL_FORMS": "1",
            "quantities-0-measure": measure,
            "quantities-0-amount": amount,
        }
    )
    return staff_client.post(url, data)


def test_the_admin_inline_records_a_quantity_of_the_kind(staff_client, admin_form_data):
    item = _item()
    response = _inline_post(staff_client, admin_form_data, item, "drainage_pipe", "0.75")
    assert response.status_code == 302
    assert ItemQuantity.objects.get(item=item).amount == Decimal("0.75")


@pytest.mark.parametrize(
    ("measure", "amount", "field"),
    [("elevators", "1", "quantities-0-measure"), ("drainage_pipe", "-2", "quantities-0-amount")],
)
def test_the_admin_inline_refuses_a_bad_quantity(
    staff_client, admin_form_data, admin_errors, measure, amount, field
):
    item = _item()
    response = _inline_post(staff_client, admin_form_data, item, measure, amount)
    assert field in admin_errors(response)
    assert not ItemQuantity.objects.exists()


def test_the_admin_inline_checks_a_new_items_kind(staff_client, admin_form_data, admin_errors):
    url = reverse("admin:communities_renovationitem_add")
    data = admin_form_data(staff_client.get(url))
    data.update(
        {
            "community": make_item().community_id,
            "kind": RenovationKind.objects.get(code="roads").pk,
            "title": "道路",
            "budget": "1000",
            "quantities-TOTAL_FORMS": "1",
            "quantities-0-measure": "parking_spaces",
            "quantities-0-amount": "5",
        }
    )
    response = staff_client.post(url, data)
    assert "quantities-0-measure" in admin_errors(response)
    assert not ItemQuantity.objects.exists()
