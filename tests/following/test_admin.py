"""Subscriptions in the admin: city-level staff only (the addresses are personal data)."""

from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client

from communities.access.choices import Role
from communities.following.models import Subscription
from tests.support.factories import make_community, make_district
from tests.support.following import make_subscription

pytestmark = pytest.mark.django_db

LIST = "/admin/communities/subscription/"


def _staff(django_user_model, username: str, role: str, *options: str) -> Client:
    user = django_user_model.objects.create_user(username, password="pw-9x-staff!", is_staff=True)
    call_command("grant_role", username, role, *options, stdout=StringIO())
    client = Client()
    client.force_login(user)
    return client


def test_a_city_administrator_lists_subscriptions_with_their_addresses(django_user_model):
    make_subscription(community=make_community(name="乐园小区"), email="resident@example.com")
    client = _staff(django_user_model, "city", Role.CITY_ADMIN)

    page = client.get(LIST)

    assert page.status_code == 200
    body = page.content.decode()
    assert "resident@example.com" in body
    assert "乐园小区" in body
    assert client.get(f"{LIST}add/").status_code == 403


def test_district_staff_never_see_subscriptions_even_of_their_district(django_user_model):
    """Not even when given the permissions one by one: the scope must be the whole city."""
    district = make_district(code="370902")
    subscription = make_subscription(community=make_community(district=district))
    client = _staff(django_user_model, "clerk", Role.DISTRICT_STAFF, "--district", "370902")
    django_user_model.objects.get(username="clerk").user_permissions.add(
        *Permission.objects.filter(codename__in=["view_subscription", "change_subscription"])
    )

    assert client.get(LIST).status_code == 403
    assert client.get(f"{LIST}{subscription.pk}/change/").status_code in {403, 404}
    assert "resident@example.com" not in client.get("/admin/").content.decode()


def test_staff_unsubscribe_an_address_on_request(staff_client):
    subscription = make_subscription(community=make_community())

    response = staff_client.post(
        LIST, {"action": "unsubscribe", "_selected_action": [subscription.pk]}
    )

    assert response.status_code == 302
    assert Subscription.objects.get().unsubscribed_at is not None
