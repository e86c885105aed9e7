"""The admin's change page never ends in an error page for a rule it did not check itself: a
constraint on a field the form does not show, or a service's refusal when it saves."""

from decimal import Decimal
from unittest import mock

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from communities.elevators.models import ElevatorRetrofit
from communities.places.models import Building
from communities.works.choices import ItemStatus
from communities.works.models.items import RenovationItem
from tests.support.factories import make_building, make_elevator, make_item

pytestmark = pytest.mark.django_db


def test_a_constraint_on_a_field_the_form_does_not_show_is_a_form_error(city_admin):
    building = make_building(storeys=6)
    building.storeys = 0  # as another path might have left it: the form shows only the label
    request = RequestFactory().get("/")
    request.user = city_admin
    form_class = admin.site._registry[Building].get_form(
        request, building, change=True, fields=["label"]
    )

    form = form_class({"label": "9号楼"}, instance=building)

    assert not form.is_valid()
    assert form.non_field_errors()


def test_a_services_refusal_when_saving_is_a_message_and_saves_nothing(
    staff_client, admin_form_data
):
    retrofit = make_elevator()
    url = reverse("admin:communities_elevatorretrofit_change", args=[retrofit.pk])
    data = admin_form_data(staff_client.get(url))
    data["total_cost"] = "600000.00"
    refusal = ValidationError("这一改动不符合规则。")

    with mock.patch(
        "communities.elevators.services.elevator_retrofit_set_costs", side_effect=refusal
    ):
        response = staff_client.post(url, data, follow=True)

    assert response.status_code == 200
    assert "这一改动不符合规则。" in response.content.decode()
    retrofit.refresh_from_db()
    assert retrofit.total_cost == Decimal("500000.00")
    assert ElevatorRetrofit.objects.count() == 1


def test_a_rule_about_a_field_the_form_does_not_show_is_a_form_error(city_admin):
    """An item moved to construction needs its actual start; a form without that field shows
    the rule as a message instead of failing."""
    item = make_item()
    request = RequestFactory().get("/")
    request.user = city_admin
    form_class = admin.site._registry[RenovationItem].get_form(
        request, item, change=True, fields=["status"]
    )

    form = form_class({"status": ItemStatus.UNDER_CONSTRUCTION}, instance=item)

    assert not form.is_valid()
    assert form.non_field_errors()
