"""District staff keep their districts' construction records and read the city's parties."""

import pytest
from django.contrib.auth import get_user_model

from communities.access.choices import Role
from tests.support.factories import make_district
from tests.support.roles import grant

pytestmark = pytest.mark.django_db


def test_district_staff_edit_inspections_and_orders_and_only_read_parties():
    get_user_model().objects.create_user("clerk")
    grant("clerk", Role.DISTRICT_STAFF, "--district", make_district(code="370902").code)
    clerk = get_user_model().objects.get(username="clerk")

    for model in ("inspection", "finding", "rectificationorder", "itemparty"):
        assert clerk.has_perm(f"communities.change_{model}")
    assert clerk.has_perm("communities.view_party")
    assert not clerk.has_perm("communities.change_party")
