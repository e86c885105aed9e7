"""The writes: submitting, every lifecycle move and its guard, dispatch by coverage, reopening,
auto-closing (and its command), edits, publication, Open311 keys; and the demo's requests."""

import random
from datetime import date, timedelta
from io import StringIO
from itertools import pairwise

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from communities.core.errors import WrongState
from communities.demo.repairs import generate_repair_requests
from communities.places.choices import RenovationStatus
from communities.property.choices import ManagementMode
from communities.repairs import services
from communities.repairs.choices import HandlerKind, RepairStatus
from communities.repairs.models import Open311Client, RepairEvent, RepairRequest
from tests.support.factories import make_community, make_service
from tests.support.repairs import T0, at, make_inspector, make_request

MOVES = {
    "dispatch": lambda r, when: services.repair_request_dispatch(repair_request=r, at=when),
    "start": lambda r, when: services.repair_request_start(repair_request=r, at=when),
    "resolve": lambda r, when: services.repair_request_resolve(
        repair_request=r, resolution="修好了", at=when
    ),
    "rate": lambda r, when: services.repair_request_rate(repair_request=r, rating=4, at=when),
    "reopen": lambda r, when: services.repair_request_reopen(
        repair_request=r, reason="还在漏", at=when
    ),
    "reject": lambda r, when: services.repair_request_reject(
        repair_request=r, reason="户内设施", at=when
    ),
    "auto_close": lambda r, when: services.repair_request_auto_close(
        repair_request=r, at=when + timedelta(days=30)
    ),
}
ALLOWED = {
    "submitted": {"dispatch", "reject"},
    "dispatched": {"start", "reject"},
    "in_progress": {"resolve", "reject"},
    "resolved": {"rate", "reopen", "auto_close"},
    "closed": set(),
    "rejected": set(),
}


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("kefu", password="pw-kefu-9x!", is_staff=True)


# --- Submitting -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_submitting_sets_the_deadline_a_token_and_the_first_timeline_entry(staff):
    request = make_request(by=staff)

    assert request.status == RepairStatus.SUBMITTED
    assert request.deadline_at == T0 + timedelta(hours=72)
    assert len(request.token) >= 20
    (entry,) = request.timeline.all()
    assert (entry.action, entry.from_status, entry.to_status) == ("submit", "", "submitted")
    assert (entry.actor, entry.actor_label, entry.at) == (staff, "kefu", T0)
    assert request.filed_by == staff


@pytest.mark.django_db
def test_an_emergency_gets_24_hours():
    request = make_request(is_emergency=True, category="greening")
    assert request.deadline_at == T0 + timedelta(hours=24)


@pytest.mark.django_db
@override_settings(
    RENOVATION={**settings.RENOVATION, "REPAIR_DEADLINE_HOURS": {"emergency": 4, "plumbing": 48}}
)
def test_the_deadlines_come_from_the_settings():
    assert make_request().deadline_at == T0 + timedelta(hours=48)
    assert make_request(is_emergency=True).deadline_at == T0 + timedelta(hours=4)


@pytest.mark.django_db
def test_it_refuses_an_unknown_category():
    with pytest.raises(ValidationError) as error:
        make_request(category="potholes")
    assert "category" in error.value.message_dict


@pytest.mark.django_db
def test_it_refuses_a_request_without_a_description():
    with pytest.raises(ValidationError) as error:
        make_request(description="  ")
    assert "description" in error.value.message_dict


@pytest.mark.django_db
def test_it_refuses_text_with_a_nul_character():
    with pytest.raises(ValidationError) as error:
        make_request(reporter_name="王\x00")
    assert "reporter_name" in error.value.message_dict
    request = make_request(state="in_progress")
    with pytest.raises(ValidationError) as error:
        services.repair_request_resolve(repair_request=request, resolution="修\x00", at=at(5))
    assert "resolution" in error.value.message_dict


@pytest.mark.django_db
def test_it_refuses_a_submission_dated_in_the_future():
    with pytest.raises(ValidationError):
        make_request(start=timezone.now() + timedelta(hours=1))


@pytest.mark.django_db
def test_a_grid_inspector_files_a_patrol_report_for_a_community_they_patrol(django_user_model):
    community = make_community()
    inspector = make_inspector(django_user_model, community)

    request = make_request(community=community, source="grid_patrol", by=inspector)

    assert request.grid_inspector == inspector
    assert request.timeline.get().actor_label == "grid-1"


@pytest.mark.django_db
def test_it_refuses_a_patrol_report_from_someone_not_patrolling_the_community(django_user_model):
    inspector = make_inspector(django_user_model, make_community())

    with pytest.raises(ValidationError) as error:
        make_request(community=make_community(), source="grid_patrol", by=inspector)
    assert "grid_inspector" in error.value.message_dict


@pytest.mark.django_db
def test_it_refuses_a_patrol_report_before_the_assignment_began(django_user_model):
    community = make_community()
    inspector = make_inspector(django_user_model, community, started_on=T0.date())

    with pytest.raises(ValidationError):
        make_request(community=community, source="grid_patrol", by=inspector, start=at(-24))


@pytest.mark.django_db
def test_it_refuses_a_patrol_report_naming_no_inspector():
    with pytest.raises(ValidationError) as error:
        make_request(source="grid_patrol")
    assert "grid_inspector" in error.value.message_dict


# --- Dispatch by coverage ---------------------------------------------------------------------


@pytest.mark.django_db
def test_it_dispatches_to_the_service_covering_the_community_on_the_submission_day():
    community = make_community()
    earlier = make_service(
        community=community,
        provider_name="旧物业",
        contract_start=date(2024, 1, 1),
        contract_end=T0.date(),
    )
    make_service(
        community=community, provider_name="新物业", contract_start=T0.date() + timedelta(days=1)
    )
    request = make_request(community=community)

    # Dispatched two days later, when the new contract is in force: the old one handles it.
    request = services.repair_request_dispatch(repair_request=request, at=at(48))

    assert request.status == RepairStatus.DISPATCHED
    assert request.handler_kind == HandlerKind.COVERING_SERVICE
    assert request.property_service == earlier
    assert request.handler_name == "旧物业"
    assert request.dispatched_at == at(48)
    entry = request.timeline.last()
    assert (entry.from_status, entry.to_status, entry.note) == ("submitted", "dispatched", "旧物业")


@pytest.mark.django_db
def test_without_a_contract_it_goes_to_the_neighbourhoods_fallback_service():
    community = make_community(neighbourhood="乐园社区", subdistrict="岱庙街道")
    sibling = make_community(
        district=community.district, neighbourhood="乐园社区", subdistrict="岱庙街道"
    )
    fallback = make_service(
        community=sibling,
        mode=ManagementMode.FALLBACK,
        provider_name="乐园社区兜底服务队",
        contract_start=date(2024, 1, 1),
    )
    request = services.repair_request_dispatch(
        repair_request=make_request(community=community), at=at(1)
    )

    assert request.handler_kind == HandlerKind.NEIGHBOURHOOD_FALLBACK
    assert request.property_service == fallback
    assert request.handler_name == "乐园社区兜底服务队"


@pytest.mark.django_db
def test_with_no_service_at_all_the_neighbourhood_committee_handles_it():
    community = make_community(neighbourhood="东湖社区")
    # A professional company serving a neighbour is not the neighbourhood's fallback.
    make_service(
        community=make_community(district=community.district, neighbourhood="东湖社区"),
        contract_start=date(2024, 1, 1),
    )
    request = services.repair_request_dispatch(
        repair_request=make_request(community=community), at=at(1)
    )

    assert request.handler_kind == HandlerKind.NEIGHBOURHOOD_FALLBACK
    assert request.property_service is None
    assert request.handler_name == "东湖社区"


@pytest.mark.django_db
def test_a_contract_that_ended_before_the_submission_does_not_cover_it():
    community = make_community(neighbourhood="东湖社区")
    make_service(
        community=community,
        contract_start=date(2023, 1, 1),
        contract_end=T0.date() - timedelta(days=1),
    )
    request = services.repair_request_dispatch(
        repair_request=make_request(community=community), at=at(1)
    )
    assert request.handler_kind == HandlerKind.NEIGHBOURHOOD_FALLBACK


@pytest.mark.django_db
def test_dispatch_costs_a_fixed_number_of_queries(django_assert_num_queries):
    community = make_community()
    make_service(community=community)
    request = make_request(community=community)
    # savepoint; lock and read the request with its community; the covering service; the
    # request's row checks (community, service, unique token; its 5 check constraints in one
    # query in a savepoint: 3, core.constraints); update; history row; timeline entry's check
    # of its request and insert; release savepoint.
    with django_assert_num_queries(14):
        services.repair_request_dispatch(repair_request=request, at=at(1))


# --- Every move and its guard -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(ALLOWED))
@pytest.mark.parametrize("move", list(MOVES))
def test_each_move_is_allowed_only_from_its_statuses(status, move):
    request = make_request(state=status)
    when = at(100)
    if move in ALLOWED[status]:
        moved = MOVES[move](request, when)
        assert moved.timeline.last().from_status == status
    else:
        with pytest.raises(WrongState) as error:
            MOVES[move](request, when)
        assert error.value.code == "invalid_transition"
        request.refresh_from_db()
        assert request.status == status


@pytest.mark.django_db
def test_the_guard_says_why_in_words(english):
    request = make_request(state="closed")
    with pytest.raises(WrongState) as error:
        services.repair_request_dispatch(repair_request=request, at=at(100))
    assert error.value.messages == ["A request that is “Closed” cannot be dispatched."]


@pytest.mark.django_db
def test_a_stale_copy_cannot_move_a_request_twice():
    request = make_request()
    stale = RepairRequest.objects.get(pk=request.pk)
    services.repair_request_dispatch(repair_request=request, at=at(1))
    with pytest.raises(WrongState):
        services.repair_request_dispatch(repair_request=stale, at=at(2))
    assert request.timeline.filter(action="dispatch").count() == 1


@pytest.mark.django_db
def test_the_whole_lifecycle_is_on_the_timeline(staff):
    request = make_request(state="closed", by=staff)

    steps = list(request.timeline.values_list("action", "from_status", "to_status", "at"))
    assert steps == [
        ("submit", "", "submitted", at(0)),
        ("dispatch", "submitted", "dispatched", at(1)),
        ("start", "dispatched", "in_progress", at(2)),
        ("resolve", "in_progress", "resolved", at(10)),
        ("rate", "resolved", "closed", at(20)),
    ]
    assert set(request.timeline.values_list("actor_label", flat=True)) == {"kefu"}
    assert (request.started_at, request.resolved_at, request.closed_at) == (at(2), at(10), at(20))
    assert request.resolution == "更换了水管"


@pytest.mark.django_db
def test_rating_closes_the_request_with_the_rating_and_comment():
    request = services.repair_request_rate(
        repair_request=make_request(state="resolved"), rating=2, comment="太慢", at=at(30)
    )
    assert (request.status, request.rating, request.rating_comment) == ("closed", 2, "太慢")
    assert (request.closed_by, request.closed_at) == ("rating", at(30))


@pytest.mark.django_db
@pytest.mark.parametrize("rating", [0, 6, "5", True, None])
def test_it_refuses_a_rating_outside_one_to_five(rating):
    request = make_request(state="resolved")
    with pytest.raises(ValidationError) as error:
        services.repair_request_rate(repair_request=request, rating=rating, at=at(30))
    assert "rating" in error.value.message_dict


@pytest.mark.django_db
def test_resolving_needs_to_say_what_was_done():
    with pytest.raises(ValidationError) as error:
        services.repair_request_resolve(
            repair_request=make_request(state="in_progress"), resolution=" ", at=at(5)
        )
    assert "resolution" in error.value.message_dict


@pytest.mark.django_db
def test_rejecting_needs_a_reason_and_closes_the_request():
    request = make_request(state="dispatched")
    with pytest.raises(ValidationError):
        services.repair_request_reject(repair_request=request, reason="", at=at(5))

    request = services.repair_request_reject(repair_request=request, reason="户内设施", at=at(5))
    assert (request.status, request.reject_reason, request.closed_at) == (
        "rejected",
        "户内设施",
        at(5),
    )


@pytest.mark.django_db
def test_it_refuses_a_move_dated_before_the_last_change():
    request = make_request(state="dispatched")  # dispatched at T0 + 1 h
    with pytest.raises(ValidationError) as error:
        services.repair_request_start(repair_request=request, at=at(0.5))
    assert error.value.code == "before_last_change"


# --- Reopening --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_reopening_sends_it_back_to_the_handler_and_counts():
    request = make_request(state="resolved")
    request = services.repair_request_reopen(repair_request=request, reason="还在漏", at=at(30))

    assert request.status == RepairStatus.DISPATCHED
    assert request.reopen_count == 1
    assert (request.resolved_at, request.resolution) == (None, "")
    # The first dispatch and the original deadline stand.
    assert request.dispatched_at == at(1)
    assert request.deadline_at == at(72)
    assert request.timeline.last().note == "还在漏"

    request = services.repair_request_start(repair_request=request, at=at(31))
    request = services.repair_request_resolve(repair_request=request, resolution="换管", at=at(40))
    request = services.repair_request_reopen(repair_request=request, reason="又漏了", at=at(50))
    assert request.reopen_count == 2


@pytest.mark.django_db
def test_reopening_needs_a_reason():
    with pytest.raises(ValidationError) as error:
        services.repair_request_reopen(repair_request=make_request(state="resolved"), reason="")
    assert "reason" in error.value.message_dict


@pytest.mark.django_db
def test_a_reopened_request_past_its_deadline_is_overdue():
    request = make_request(state="resolved", hours={"resolve": 60})
    request = services.repair_request_reopen(repair_request=request, reason="没修好", at=at(80))
    assert RepairRequest.objects.overdue(at(81)).get() == request


# --- Closing after the set days ---------------------------------------------------------------


@pytest.mark.django_db
def test_auto_close_closes_a_request_unrated_for_the_set_days(english):
    request = make_request(state="resolved")  # resolved at T0 + 10 h
    with pytest.raises(ValidationError) as error:
        services.repair_request_auto_close(repair_request=request, at=at(10 + 24 * 7 - 1), days=7)
    assert error.value.code == "too_early"

    request = services.repair_request_auto_close(repair_request=request, at=at(10 + 24 * 7), days=7)
    assert (request.status, request.closed_by, request.rating) == ("closed", "timeout", None)
    entry = request.timeline.last()
    assert (entry.action, entry.actor, entry.actor_label) == ("auto_close", None, "automatic")


@pytest.mark.django_db
def test_closing_in_bulk_takes_only_what_is_due_and_is_idempotent():
    due = make_request(state="resolved")
    recent = make_request(state="resolved", start=timezone.now() - timedelta(days=2))
    rated = make_request(state="closed")

    assert services.repair_requests_auto_close(days=7) == 1
    assert services.repair_requests_auto_close(days=7) == 0

    statuses = dict(RepairRequest.objects.values_list("pk", "status"))
    assert statuses == {due.pk: "closed", recent.pk: "resolved", rated.pk: "closed"}
    assert RepairEvent.objects.filter(action="auto_close").count() == 1


@pytest.mark.django_db
@override_settings(RENOVATION={**settings.RENOVATION, "REPAIR_AUTO_CLOSE_DAYS": 3})
def test_the_command_closes_after_the_configured_days_and_is_idempotent():
    make_request(state="resolved", start=timezone.now() - timedelta(days=4))
    make_request(state="resolved", start=timezone.now() - timedelta(days=2))
    out = StringIO()

    call_command("autoclose_repair_requests", "--dry-run", stdout=out)
    assert "1 resolved request(s) unrated for 3 days would close" in out.getvalue()
    assert not RepairRequest.objects.filter(status="closed").exists()

    call_command("autoclose_repair_requests", stdout=out)
    call_command("autoclose_repair_requests", stdout=out)
    assert "Closed 1 resolved" in out.getvalue()
    assert "Closed 0 resolved" in out.getvalue()
    assert RepairRequest.objects.filter(status="closed").count() == 1


@pytest.mark.django_db
def test_the_command_takes_the_days_as_an_option():
    make_request(state="resolved", start=timezone.now() - timedelta(days=2))
    call_command("autoclose_repair_requests", "--days", "1", stdout=StringIO())
    assert RepairRequest.objects.get().status == "closed"


# --- Edits and publication --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_corrected_category_moves_the_deadline_and_is_recorded(staff, english):
    request = make_request(state="dispatched")
    request = services.repair_request_edit(
        repair_request=request, by=staff, changes={"category": "elevator"}, at=at(3)
    )

    assert request.deadline_at == at(24)  # elevators: 24 h from submission
    entry = request.timeline.last()
    assert (entry.action, entry.from_status, entry.to_status) == (
        "edit",
        "dispatched",
        "dispatched",
    )
    assert entry.note == "category"


@pytest.mark.django_db
def test_an_edit_that_changes_nothing_records_nothing(staff):
    request = make_request()
    services.repair_request_edit(
        repair_request=request, by=staff, changes={"category": request.category}
    )
    assert request.timeline.count() == 1


@pytest.mark.django_db
def test_a_closed_request_cannot_be_edited(staff):
    with pytest.raises(ValidationError) as error:
        services.repair_request_edit(
            repair_request=make_request(state="closed"), by=staff, changes={"description": "x"}
        )
    assert error.value.code == "finished"


@pytest.mark.django_db
def test_lifecycle_fields_are_not_editable(staff):
    with pytest.raises(ValueError):
        services.repair_request_edit(
            repair_request=make_request(), by=staff, changes={"status": "closed"}
        )


@pytest.mark.django_db
def test_publishing_is_recorded_once(staff):
    request = make_request()
    services.repair_request_set_public(repair_request=request, is_public=True, by=staff)
    services.repair_request_set_public(repair_request=request, is_public=True, by=staff)
    request.refresh_from_db()
    assert request.is_public
    assert list(request.timeline.values_list("action", flat=True)) == ["submit", "publish"]


# --- Open311 keys -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_open311_key_is_handed_over_once_and_can_be_replaced():
    client, key = services.open311_client_create(name="12345热线")
    assert Open311Client.objects.authenticate(key) == client

    new_key = services.open311_client_rotate_key(client=client)
    assert Open311Client.objects.authenticate(key) is None
    assert Open311Client.objects.authenticate(new_key) == client


# --- The demo's requests ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_requests_pass_the_models_checks_and_chain_their_timelines():
    communities = [
        make_community(renovation_status=RenovationStatus.COMPLETED, neighbourhood="乐园社区")
        for _ in range(6)
    ]
    for community in communities[:4]:
        make_service(community=community, contract_start=date(2023, 1, 1))

    made = generate_repair_requests(random.Random(7), count=60)

    assert len(made) >= 60
    assert set(RepairRequest.objects.values_list("status", flat=True)) == set(RepairStatus.values)
    assert RepairRequest.objects.filter(closed_by="timeout").exists()
    assert RepairRequest.objects.filter(reopen_count__gt=0).exists()
    for request in RepairRequest.objects.select_related("community", "property_service"):
        request.full_clean()
        steps = list(request.timeline.order_by("at", "id"))
        assert steps[0].action == "submit"
        for before, after in pairwise(steps):
            assert after.from_status == before.to_status
            assert after.at >= before.at
        assert steps[-1].to_status == request.status
    # A second run adds nothing.
    assert generate_repair_requests(random.Random(7), count=60) == []


@pytest.mark.django_db
def test_the_demo_is_the_same_on_every_run():
    def run() -> list[tuple]:
        community = make_community(renovation_status=RenovationStatus.COMPLETED, name="乐园小区")
        generate_repair_requests(random.Random(3), communities=[community], count=15)
        rows = list(
            RepairRequest.objects.order_by("submitted_at").values_list(
                "category", "status", "submitted_at", "rating"
            )
        )
        RepairRequest.objects.all().delete()
        community.delete()
        return rows

    assert run() == run()
