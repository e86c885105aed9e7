"""The rules on facilities: through full_clean(), and in the database when clean() is
bypassed."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from communities.works.models.facilities import Facility
from tests.support.factories import make_community, make_facility, make_item

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def errors_of(obj) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        obj.full_clean()
    return caught.value.message_dict


def assert_database_refuses(model, pk, **values) -> None:
    """The row cannot be written even by a bulk update, which skips clean() altogether."""
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=pk).update(**values)


def test_it_rejects_a_negative_area():
    facility = make_facility()
    facility.area_m2 = Decimal("-1.00")

    assert errors_of(facility) == {"__all__": ["The area cannot be negative."]}


def test_the_database_refuses_a_negative_area():
    facility = make_facility()

    assert_database_refuses(Facility, facility.pk, area_m2=Decimal("-1.00"))


def test_it_accepts_a_facility_whose_area_is_not_known():
    facility = make_facility(area_m2=None, capacity=None)

    assert facility.area_m2 is None


def test_it_rejects_a_negative_capacity():
    facility = make_facility()
    facility.capacity = -1

    assert errors_of(facility) == {"capacity": ["Ensure this value is greater than or equal to 0."]}


def test_the_database_refuses_a_negative_capacity():
    facility = make_facility()

    assert_database_refuses(Facility, facility.pk, capacity=-1)


def test_it_rejects_a_renovation_item_of_another_community():
    facility = make_facility()
    facility.renovation_item = make_item()

    assert errors_of(facility) == {
        "renovation_item": ["The renovation item belongs to another community."]
    }


def test_it_accepts_a_facility_built_by_its_own_communitys_item():
    community = make_community()
    item = make_item(community=community, title="幸福食堂建设")

    facility = make_facility(community=community, renovation_item=item)

    assert facility.renovation_item == item
