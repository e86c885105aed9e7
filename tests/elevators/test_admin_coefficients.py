"""Floor coefficients edited in the retrofit's admin as a table, one number per floor served,
with the common scheme beside each floor; the model still checks and stores them."""

import re

import pytest
from django.urls import reverse

from communities.elevators.models import ElevatorRetrofit
from communities.elevators.policy import default_floor_coefficient
from tests.support.factories import make_elevator

pytestmark = pytest.mark.django_db

NAME = "floor_coefficients"


def change_url(retrofit) -> str:
    return reverse("admin:communities_elevatorretrofit_change", args=[retrofit.pk])


def floor_inputs(html: str) -> dict[int, str]:
    """The table's inputs: floor → the value it shows."""
    found = {}
    for tag in re.findall(rf'<input type="number" name="{NAME}_\d+"[^>]*>', html):
        floor = int(re.search(rf'name="{NAME}_(\d+)"', tag).group(1))
        found[floor] = re.search(r'value="([^"]*)"', tag).group(1)
    return found


def post_data(client, admin_form_data, retrofit, floors: dict[int, str]) -> dict:
    data = admin_form_data(client.get(change_url(retrofit)))
    data.pop(NAME, None)  # the table posts one value per floor, not the JSON
    for floor in range(1, retrofit.storeys_served + 1):
        data[f"{NAME}_{floor}"] = floors.get(floor, "")
    return data


def test_the_change_page_shows_one_input_per_floor_with_the_common_scheme(staff_client):
    retrofit = make_elevator(storeys_served=6, floor_coefficients={"4": "0.9"})

    html = staff_client.get(change_url(retrofit)).content.decode()

    assert floor_inputs(html) == {1: "", 2: "", 3: "", 4: "0.9", 5: "", 6: ""}
    assert f'<textarea name="{NAME}"' not in html
    commons = re.findall(r'<td class="common-coefficient">([^<]*)</td>', html)
    assert commons == [str(default_floor_coefficient(floor)) for floor in range(1, 7)]
    assert commons[2] == "0.7" and commons[5] == "1"  # 3F and 6F of the common scheme


def test_posting_two_floors_saves_the_json_the_model_stores(staff_client, admin_form_data):
    retrofit = make_elevator(storeys_served=6)
    data = post_data(staff_client, admin_form_data, retrofit, {5: "1.200", 6: "1.4"})

    response = staff_client.post(change_url(retrofit), data)

    assert response.status_code == 302
    retrofit.refresh_from_db()
    assert retrofit.floor_coefficients == {"5": "1.2", "6": "1.4"}
    # Exactly what the model makes of the same JSON given directly.
    direct = ElevatorRetrofit(floor_coefficients={"5": "1.200", "6": "1.4"})
    direct._clean_floor_coefficients(lambda field, message: None)
    assert direct.floor_coefficients == retrofit.floor_coefficients


def test_emptying_every_floor_goes_back_to_the_common_scheme(staff_client, admin_form_data):
    retrofit = make_elevator(storeys_served=6, floor_coefficients={"4": "0.9"})
    data = post_data(staff_client, admin_form_data, retrofit, {})

    assert staff_client.post(change_url(retrofit), data).status_code == 302

    retrofit.refresh_from_db()
    assert retrofit.floor_coefficients == {}


@pytest.mark.parametrize("bad", ["11", "1.2345", "-1", "abc"])
def test_a_bad_coefficient_shows_the_models_error_and_saves_nothing(
    staff_client, admin_form_data, admin_errors, bad
):
    retrofit = make_elevator(storeys_served=6, floor_coefficients={"4": "0.9"})
    data = post_data(staff_client, admin_form_data, retrofit, {4: "0.95", 5: bad})

    response = staff_client.post(change_url(retrofit), data)

    errors = admin_errors(response)[NAME]
    assert len(errors) == 1 and "5" in errors[0]
    # What was typed stays in the table to correct.
    assert floor_inputs(response.content.decode())[5] == bad
    retrofit.refresh_from_db()
    assert retrofit.floor_coefficients == {"4": "0.9"}


def test_a_stored_floor_above_the_storeys_served_is_still_shown(staff_client):
    retrofit = make_elevator(storeys_served=4)
    ElevatorRetrofit.objects.filter(pk=retrofit.pk).update(floor_coefficients={"6": "1.5"})

    html = staff_client.get(change_url(retrofit)).content.decode()

    assert floor_inputs(html) == {1: "", 2: "", 3: "", 4: "", 6: "1.5"}
