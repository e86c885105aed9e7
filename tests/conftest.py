"""Fixtures shared by every test: the three kinds of user and their clients."""

import pytest
from django.test import Client
from django.utils import translation


@pytest.fixture(autouse=True)
def _chinese_by_default():
    """Tests run in the site's default language unless they switch."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def anonymous_client() -> Client:
    return Client()


@pytest.fixture
def city_admin(django_user_model):
    """A superuser: the city housing bureau's administrator."""
    return django_user_model.objects.create_superuser(
        "city-admin", "city@example.com", "pw-city-9x!"
    )


@pytest.fixture
def staff_client(city_admin) -> Client:
    client = Client()
    client.force_login(city_admin)
    return client
