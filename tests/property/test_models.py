"""The rules on property services: through full_clean(), and in the database when clean() is
bypassed."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from communities.property.models import PropertyService
from tests.support.factories import make_community, make_service

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def errors_of(obj) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        obj.full_clean()
    return caught.value.message_dict


def assert_database_refuses(model, pk, **values) -> None:
    """The row cannot be written even by a bulk update, which skips clean() altogether."""
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=pk).update(**values)


# Dates


def test_it_rejects_a_contract_ending_before_it_starts():
    service = make_service(contract_start=date(2022, 1, 1))
    service.contract_end = date(2021, 12, 31)

    assert errors_of(service) == {"__all__": ["The contract cannot end before it starts."]}


def test_the_database_refuses_a_contract_ending_before_it_starts():
    service = make_service(contract_start=date(2022, 1, 1))

    assert_database_refuses(PropertyService, service.pk, contract_end=date(2021, 12, 31))


def test_it_accepts_a_contract_of_one_day():
    service = make_service(contract_start=date(2022, 1, 1), contract_end=date(2022, 1, 1))

    assert service.covers(date(2022, 1, 1))


def test_it_rejects_a_trial_ending_before_the_contract_starts():
    service = make_service(contract_start=date(2022, 1, 1))
    service.trial_end = date(2021, 12, 1)

    assert errors_of(service) == {"__all__": ["The trial cannot end before the contract starts."]}


def test_the_database_refuses_a_trial_ending_before_the_contract_starts():
    service = make_service(contract_start=date(2022, 1, 1))

    assert_database_refuses(PropertyService, service.pk, trial_end=date(2021, 12, 1))


def test_it_rejects_a_trial_outlasting_the_contract():
    service = make_service(contract_start=date(2022, 1, 1), contract_end=date(2022, 12, 31))
    service.trial_end = date(2023, 1, 31)

    assert errors_of(service) == {"trial_end": ["The trial cannot outlast the contract."]}


# Money


def test_it_rejects_a_negative_fee():
    service = make_service()
    service.fee_per_m2_month = Decimal("-0.10")

    assert errors_of(service) == {"__all__": ["The fee cannot be negative."]}


def test_the_database_refuses_a_negative_fee():
    service = make_service()

    assert_database_refuses(PropertyService, service.pk, fee_per_m2_month=Decimal("-0.10"))


# One service at a time


def test_it_rejects_a_service_overlapping_an_open_ended_one():
    community = make_community()
    make_service(community=community, provider_name="甲物业", contract_start=date(2021, 1, 1))
    second = PropertyService(
        community=community,
        mode="fallback",
        provider_name="乙物业",
        contract_start=date(2023, 1, 1),
    )

    assert errors_of(second) == {
        "contract_start": ["This period overlaps the service of 甲物业 from 2021-01-01."]
    }


def test_it_rejects_an_open_ended_service_starting_before_a_later_one():
    community = make_community()
    make_service(
        community=community,
        provider_name="甲物业",
        contract_start=date(2023, 1, 1),
        contract_end=date(2023, 12, 31),
    )
    earlier = PropertyService(
        community=community,
        mode="fallback",
        provider_name="乙物业",
        contract_start=date(2022, 1, 1),
    )

    assert "contract_start" in errors_of(earlier)


def test_it_accepts_a_service_taking_over_the_day_after_the_last_one_ends():
    community = make_community()
    make_service(
        community=community, contract_start=date(2021, 1, 1), contract_end=date(2022, 12, 31)
    )

    successor = make_service(community=community, contract_start=date(2023, 1, 1))

    assert successor.covers(date(2023, 1, 1))


def test_it_lets_an_edited_service_not_overlap_itself():
    service = make_service(contract_start=date(2021, 1, 1))
    service.contract_end = date(2025, 12, 31)

    service.full_clean()

    assert service.contract_end == date(2025, 12, 31)


def test_it_accepts_overlapping_services_in_different_communities():
    make_service(contract_start=date(2021, 1, 1))

    other = make_service(contract_start=date(2021, 1, 1))

    assert other.pk is not None
