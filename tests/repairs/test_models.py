"""Repair requests, their rules and constraints; grid assignments; Open311 clients; the
property-service additions (renewal reminders, trial)."""

from datetime import date
from io import BytesIO

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from communities.property.models import PropertyService
from communities.repairs.choices import RepairAction, RepairStatus
from communities.repairs.models import (
    GridAssignment,
    ImageFileValidator,
    Open311Client,
    RepairRequest,
)
from communities.repairs.policy import allowed_moves, deadline_hours, is_overdue, move_allowed
from tests.support.factories import make_building, make_community, make_service
from tests.support.repairs import at, make_image, make_inspector, make_request

TABLE = {"emergency": 24, "plumbing": 72, "elevator": 24, "greening": 168}

# --- Pure rules -------------------------------------------------------------------------------


def test_deadline_hours_follow_the_category():
    assert deadline_hours(category="plumbing", is_emergency=False, table=TABLE) == 72
    assert deadline_hours(category="greening", is_emergency=False, table=TABLE) == 168


def test_an_emergency_gets_the_emergency_deadline_whatever_its_category():
    assert deadline_hours(category="greening", is_emergency=True, table=TABLE) == 24


def test_it_refuses_a_deadline_table_without_the_category():
    with pytest.raises(ImproperlyConfigured):
        deadline_hours(category="security", is_emergency=False, table=TABLE)


def test_it_refuses_a_deadline_that_is_not_positive():
    with pytest.raises(ImproperlyConfigured):
        deadline_hours(category="plumbing", is_emergency=False, table={"plumbing": 0})


def test_the_settings_give_every_category_a_deadline():
    from communities.repairs.choices import RepairCategory

    for category in RepairCategory.values:
        assert deadline_hours(category=category, is_emergency=False) > 0
    assert deadline_hours(category="other", is_emergency=True) == 24


@pytest.mark.parametrize(
    ("status", "moves"),
    [
        ("submitted", ["dispatch", "reject"]),
        ("dispatched", ["start", "reject"]),
        ("in_progress", ["resolve", "reject"]),
        ("resolved", ["rate", "auto_close", "reopen"]),
        ("closed", []),
        ("rejected", []),
    ],
)
def test_allowed_moves_per_status(status, moves):
    assert sorted(allowed_moves(status)) == sorted(moves)


def test_reopen_is_only_allowed_from_resolved():
    assert [s for s in RepairStatus.values if move_allowed(s, RepairAction.REOPEN)] == ["resolved"]


def test_overdue_means_open_past_the_deadline():
    deadline = at(72)
    assert is_overdue(status="in_progress", deadline_at=deadline, now=at(73))
    assert not is_overdue(status="in_progress", deadline_at=deadline, now=at(71))
    # Finished or waiting for the rating: never overdue.
    assert not is_overdue(status="resolved", deadline_at=deadline, now=at(500))
    assert not is_overdue(status="rejected", deadline_at=deadline, now=at(500))


# --- The model --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_overdue_queryset_agrees_with_the_property():
    late = make_request(state="dispatched")  # deadline T0 + 72 h: long past
    done = make_request(state="resolved")
    now = at(100)

    assert list(RepairRequest.objects.overdue(now)) == [late]
    assert set(RepairRequest.objects.not_overdue(now)) == {done}
    assert late.is_overdue and not done.is_overdue


@pytest.mark.django_db
def test_it_is_not_overdue_before_its_deadline():
    request = make_request(state="in_progress")
    assert not RepairRequest.objects.overdue(at(71)).exists()
    assert RepairRequest.objects.overdue(at(73)).get() == request


@pytest.mark.django_db
def test_it_rejects_a_building_of_another_community():
    request = make_request()
    request.building = make_building()
    with pytest.raises(ValidationError) as error:
        request.full_clean()
    assert "building" in error.value.message_dict


@pytest.mark.django_db
def test_it_rejects_an_entrance_unit_the_building_does_not_have():
    request = make_request()
    request.building = make_building(community=request.community, entrance_units=2)
    request.entrance_unit = 3
    with pytest.raises(ValidationError) as error:
        request.full_clean()
    assert "entrance_unit" in error.value.message_dict


@pytest.mark.django_db
def test_it_rejects_an_entrance_unit_without_its_building():
    request = make_request()
    request.entrance_unit = 2
    with pytest.raises(ValidationError) as error:
        request.full_clean()
    assert "building" in error.value.message_dict


@pytest.mark.django_db
def test_it_rejects_a_location_outside_china():
    request = make_request()
    request.latitude, request.longitude = 48.85, 2.35  # Paris
    with pytest.raises(ValidationError):
        request.full_clean()


@pytest.mark.django_db
def test_it_rejects_half_a_location():
    request = make_request()
    request.latitude = 36.2
    with pytest.raises(ValidationError) as error:
        request.full_clean()
    assert "longitude" in error.value.message_dict


@pytest.mark.django_db
def test_it_rejects_a_phone_number_that_is_not_one():
    request = make_request()
    request.reporter_phone = "call me"
    with pytest.raises(ValidationError) as error:
        request.full_clean()
    assert "reporter_phone" in error.value.message_dict


@pytest.mark.django_db
def test_it_rejects_a_rating_on_an_open_request():
    request = make_request(state="resolved")
    request.rating = 4
    with pytest.raises(ValidationError) as error:
        request.full_clean()
    assert "rating" in error.value.message_dict


@pytest.mark.django_db
def test_the_database_refuses_a_closed_request_without_its_closing_date():
    request = make_request(state="closed")
    with pytest.raises(IntegrityError), transaction.atomic():
        RepairRequest.objects.filter(pk=request.pk).update(closed_at=None)


@pytest.mark.django_db
def test_the_database_refuses_steps_that_go_back_in_time():
    request = make_request(state="dispatched")
    with pytest.raises(IntegrityError), transaction.atomic():
        RepairRequest.objects.filter(pk=request.pk).update(dispatched_at=at(-1))


@pytest.mark.django_db
def test_the_database_refuses_a_rating_above_five():
    request = make_request(state="closed")
    with pytest.raises(IntegrityError), transaction.atomic():
        RepairRequest.objects.filter(pk=request.pk).update(rating=6)


@pytest.mark.django_db
def test_the_database_refuses_a_dispatched_request_without_its_handler():
    request = make_request(state="dispatched")
    with pytest.raises(IntegrityError), transaction.atomic():
        RepairRequest.objects.filter(pk=request.pk).update(handler_kind="")


@pytest.mark.django_db
def test_the_database_refuses_a_patrol_report_without_its_inspector():
    request = make_request()
    with pytest.raises(IntegrityError), transaction.atomic():
        RepairRequest.objects.filter(pk=request.pk).update(source="grid_patrol")


@pytest.mark.django_db
def test_public_lists_only_requests_marked_public():
    shown = make_request(is_public=True)
    make_request()
    assert list(RepairRequest.objects.public()) == [shown]


@pytest.mark.django_db
def test_the_public_location_falls_back_to_the_community():
    request = make_request()
    assert request.public_location() == (
        request.community.latitude,
        request.community.longitude,
    )


@pytest.mark.django_db
def test_the_place_label_runs_from_building_to_district(english):
    community = make_community(name="乐园小区")
    building = make_building(community=community, label="3号楼")
    request = make_request(community=community, building=building, entrance_unit=2)
    assert request.place_label() == f"3号楼 unit 2, 乐园小区, {community.district.name}"


@pytest.mark.django_db
def test_it_names_itself_by_number(english):
    request = make_request()
    assert str(request) == f"Repair request #{request.pk}"


# --- Photos -----------------------------------------------------------------------------------

# Real images: a photo is checked by decoding it (communities.core.files), not by its first bytes.
PNG = make_image("PNG")
JPEG = make_image("JPEG")
WEBP = make_image("WEBP")


@pytest.mark.parametrize("content", [PNG, JPEG, WEBP])
def test_the_photo_validator_accepts_images(content):
    ImageFileValidator()(SimpleUploadedFile("p.jpg", content))


def test_the_photo_validator_refuses_a_file_that_is_not_an_image():
    with pytest.raises(ValidationError) as error:
        ImageFileValidator()(SimpleUploadedFile("p.jpg", b"%PDF-1.7 not a photo"))
    assert error.value.code == "not_an_image"


def test_the_photo_validator_refuses_a_photo_over_ten_megabytes():
    upload = SimpleUploadedFile("p.png", PNG)
    upload.size = 11 * 1024 * 1024
    with pytest.raises(ValidationError) as error:
        ImageFileValidator()(upload)
    assert error.value.code == "photo_too_big"


@pytest.mark.django_db
def test_a_photo_with_the_wrong_extension_is_refused():
    request = make_request()
    request.photo = SimpleUploadedFile("p.gif", PNG)
    with pytest.raises(ValidationError) as error:
        request.full_clean()
    assert "photo" in error.value.message_dict


def test_the_validator_leaves_the_file_where_it_was():
    upload = SimpleUploadedFile("p.png", PNG)
    upload.file = BytesIO(PNG)
    upload.seek(4)
    ImageFileValidator()(upload)
    assert upload.tell() == 4


# --- Grid assignments -------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_inspector_cannot_be_assigned_twice_to_a_community_at_once(django_user_model):
    community = make_community()
    inspector = make_inspector(django_user_model, community, started_on=date(2025, 1, 1))
    overlapping = GridAssignment(
        inspector=inspector, community=community, started_on=date(2025, 3, 1)
    )
    with pytest.raises(ValidationError) as error:
        overlapping.full_clean()
    assert "started_on" in error.value.message_dict


@pytest.mark.django_db
def test_active_assignments_are_those_covering_the_day(django_user_model):
    community = make_community()
    inspector = make_inspector(django_user_model, community, started_on=date(2025, 1, 1))
    GridAssignment.objects.filter(inspector=inspector).update(ended_on=date(2025, 6, 30))
    assert GridAssignment.objects.active(date(2025, 6, 30)).exists()
    assert not GridAssignment.objects.active(date(2025, 7, 1)).exists()
    assert not GridAssignment.objects.active(date(2024, 12, 31)).exists()


# --- Open311 clients --------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_open311_client_is_found_by_its_key_and_keeps_only_a_hash():
    client = Open311Client(name="12345热线")
    key = client.set_key()
    client.full_clean()
    client.save()

    assert Open311Client.objects.authenticate(key) == client
    assert key not in {client.key_hash, client.key_prefix}
    assert client.key_prefix == key[:8]
    assert Open311Client.objects.authenticate("not-the-key") is None
    assert Open311Client.objects.authenticate("") is None


@pytest.mark.django_db
def test_an_inactive_open311_client_is_refused():
    client = Open311Client(name="old", is_active=False)
    key = client.set_key()
    client.save()
    assert Open311Client.objects.authenticate(key) is None


# --- Property services over time --------------------------------------------------------------


@pytest.mark.django_db
def test_renewal_reminders_are_contracts_ending_within_the_days():
    on = date(2025, 6, 1)
    ending = make_service(contract_start=date(2023, 1, 1), contract_end=date(2025, 7, 31))
    make_service(contract_start=date(2023, 1, 1), contract_end=date(2025, 8, 1))  # day 61
    make_service(contract_start=date(2023, 1, 1), contract_end=date(2025, 5, 31))  # ended
    make_service(contract_start=date(2023, 1, 1))  # open-ended

    assert list(PropertyService.objects.ending_within(60, on)) == [ending]


@pytest.mark.django_db
def test_a_contract_with_its_successor_lined_up_needs_no_reminder():
    on = date(2025, 6, 1)
    community = make_community()
    make_service(
        community=community, contract_start=date(2023, 1, 1), contract_end=date(2025, 6, 30)
    )
    make_service(community=community, contract_start=date(2025, 7, 1))

    assert not PropertyService.objects.ending_within(60, on).exists()


@pytest.mark.django_db
def test_a_service_is_in_trial_until_its_trial_ends():
    service = make_service(contract_start=date(2025, 1, 1), trial_end=date(2025, 3, 31))
    assert list(PropertyService.objects.in_trial(date(2025, 3, 31))) == [service]
    assert not PropertyService.objects.in_trial(date(2025, 4, 1)).exists()
    assert service.in_trial_on(date(2025, 2, 1)) and not service.in_trial_on(date(2025, 4, 1))


def test_days_left_counts_to_the_contract_end():
    service = PropertyService(contract_start=date(2025, 1, 1), contract_end=date(2025, 7, 31))
    assert service.days_left(date(2025, 7, 1)) == 30
    assert PropertyService(contract_start=date(2025, 1, 1)).days_left(date(2025, 7, 1)) is None
