"""Restoring an earlier version from the admin goes through the rules (security issue #13,
finding 4): the change form's checks, the services' save, never a stage or status a service
moves, and only a record whose current district is the user's."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.messages import WARNING
from django.test import Client
from django.urls import reverse

from communities.access.choices import Role
from communities.elevators import services
from communities.elevators.admin import ElevatorRetrofitAdmin
from communities.elevators.choices import ElevatorStage
from communities.elevators.models import ElevatorRetrofit
from communities.participation.choices import ProposalStatus
from communities.participation.models import Proposal
from communities.participation.services import proposal_decline
from communities.places.models import Community
from communities.repairs import services as services_repairs
from communities.repairs.choices import RepairSource, RepairStatus
from communities.repairs.models import Open311Client
from communities.works.choices import DesignPlanStatus
from communities.works.models.plans import DesignPlan
from communities.works.services import design_plan_publish
from tests.support.factories import make_building, make_community, make_district, make_elevator
from tests.support.participation import NOTICE_END, NOTICE_START, make_plan, make_proposal
from tests.support.repairs import make_request
from tests.support.roles import grant

pytestmark = pytest.mark.django_db


def version_url(obj, version) -> str:
    name = f"admin:communities_{obj._meta.model_name}_simple_history"
    return reverse(name, args=[obj.pk, version.history_id])


def first_version(obj):
    return obj.history.earliest()


def warnings(response) -> list[str]:
    return [str(message) for message in response.context["messages"] if message.level == WARNING]


def clerk_of(django_user_model, username: str, *districts) -> Client:
    django_user_model.objects.create_user(username)
    grant(
        username, Role.DISTRICT_STAFF, *(arg for d in districts for arg in ("--district", d.code))
    )
    client = Client()
    client.force_login(django_user_model.objects.get(username=username))
    return client


# --- State a service moves is never restored --------------------------------------------------


def test_a_withdrawn_retrofit_reverted_to_its_intention_stays_withdrawn(
    staff_client, admin_form_data
):
    retrofit = make_elevator(storeys_served=6)
    intention = first_version(retrofit)
    retrofit.storeys_served = 5
    retrofit.save()
    services.elevator_retrofit_advance(
        retrofit=retrofit, to_stage=ElevatorStage.WITHDRAWN, on=date(2021, 5, 1)
    )
    url = version_url(retrofit, intention)

    page = staff_client.get(url)
    data = admin_form_data(page)
    data["stage"] = ElevatorStage.INTENTION  # posted anyway: not a field of the form
    data["withdrawn_on"] = ""
    restored = staff_client.post(url, data)

    assert restored.status_code == 302
    retrofit.refresh_from_db()
    assert retrofit.stage == ElevatorStage.WITHDRAWN
    assert retrofit.withdrawn_on == date(2021, 5, 1)
    assert retrofit.storeys_served == 6  # what an edit may change is restored
    assert "stage" not in page.context["adminform"].form.fields
    [message] = warnings(page)  # naming what is kept and how it moves, in the page's language
    fields = ElevatorRetrofit._meta.get_field
    assert str(fields("stage").verbose_name) in message
    assert str(fields("withdrawn_on").verbose_name) in message
    assert str(ElevatorRetrofitAdmin.service_state_moves) in message
    change = reverse("admin:communities_elevatorretrofit_change", args=[retrofit.pk])
    assert f'href="{change}"' in page.content.decode()


def test_a_declined_proposal_stays_declined(staff_client, admin_form_data):
    proposal = make_proposal(title="第一稿")
    submitted = first_version(proposal)
    proposal_decline(proposal=proposal, reason="场地不足。", on=date(2023, 10, 1))
    url = version_url(proposal, submitted)

    page = staff_client.get(url)
    restored = staff_client.post(url, admin_form_data(page))

    assert restored.status_code == 302
    proposal = Proposal.objects.get(pk=proposal.pk)
    assert proposal.status == ProposalStatus.DECLINED
    assert (proposal.decline_reason, proposal.decided_on) == ("场地不足。", date(2023, 10, 1))
    assert len(warnings(page)) == 1


def test_the_message_links_to_the_list_of_the_record_where_its_actions_are(staff_client):
    proposal = make_proposal()
    submitted = first_version(proposal)
    proposal_decline(proposal=proposal, reason="不行。")

    page = staff_client.get(version_url(proposal, submitted))
    listing = reverse("admin:communities_proposal_changelist") + f"?id__exact={proposal.pk}"
    actions = staff_client.get(listing)

    assert f'href="{listing}"' in page.content.decode().replace("&amp;", "&")
    assert actions.status_code == 200
    assert [row.pk for row in actions.context["cl"].result_list] == [proposal.pk]


def test_a_plan_at_notice_stays_at_notice_and_keeps_what_residents_saw(
    staff_client, admin_form_data
):
    plan = make_plan(title="初稿")
    draft = first_version(plan)
    plan.title = "公示稿"
    plan.save()
    design_plan_publish(plan=plan, notice_start=NOTICE_START, notice_end=NOTICE_END)
    url = version_url(plan, draft)

    page = staff_client.get(url)
    restored = staff_client.post(url, admin_form_data(page))

    assert restored.status_code == 302
    plan = DesignPlan.objects.get(pk=plan.pk)
    assert plan.status == DesignPlanStatus.NOTICE
    assert (plan.notice_start, plan.notice_end) == (NOTICE_START, NOTICE_END)
    assert plan.title == "公示稿"  # not editable at notice, so not restored either
    assert len(warnings(page)) == 1


def test_a_repair_request_keeps_its_status_and_the_restored_report_goes_through_the_service(
    staff_client, admin_form_data
):
    request = make_request(state=RepairStatus.DISPATCHED, description="原来的描述")
    submitted = first_version(request)
    services_repairs.repair_request_edit(
        repair_request=request, by=None, changes={"description": "改过的描述"}
    )
    url = version_url(request, submitted)

    page = staff_client.get(url)
    restored = staff_client.post(url, admin_form_data(page))

    assert restored.status_code == 302
    request.refresh_from_db()
    assert request.status == RepairStatus.DISPATCHED
    assert request.dispatched_at is not None
    assert request.description == "原来的描述"
    assert request.timeline.filter(action="edit").count() == 2  # on the timeline, as an edit
    assert "status" not in page.context["adminform"].form.fields
    assert len(warnings(page)) == 1


def test_an_open311_clients_old_key_never_comes_back(staff_client, admin_form_data):
    client, old_key = services_repairs.open311_client_create(
        name="12345热线", source=RepairSource.HOTLINE_12345
    )
    first = first_version(client)
    services_repairs.open311_client_rotate_key(client=client)
    current_hash = Open311Client.objects.get(pk=client.pk).key_hash
    url = version_url(client, first)

    restored = staff_client.post(url, admin_form_data(staff_client.get(url)))

    assert restored.status_code == 302
    assert Open311Client.objects.get(pk=client.pk).key_hash == current_hash
    assert Open311Client.objects.authenticate(old_key) is None


def test_a_cost_restored_gets_its_subsidy_from_the_rules_as_an_edit_would(
    staff_client, admin_form_data
):
    # 泰山区 is under the city's rule: 150,000 per elevator, never more than the cost.
    community = make_community(district=make_district(code="370902"))
    retrofit = make_elevator(
        building=make_building(community=community),
        total_cost=Decimal("120000.00"),
        subsidy=Decimal("0.00"),
    )
    first = first_version(retrofit)
    services.elevator_retrofit_set_costs(retrofit=retrofit, total_cost=Decimal("100000.00"))
    assert retrofit.subsidy == Decimal("100000.00")
    url = version_url(retrofit, first)

    restored = staff_client.post(url, admin_form_data(staff_client.get(url)))

    assert restored.status_code == 302, restored.context["adminform"].form.errors
    retrofit.refresh_from_db()
    assert (retrofit.total_cost, retrofit.subsidy) == (Decimal("120000.00"), Decimal("120000.00"))
    assert retrofit.subsidy_rule is not None


# --- The same checks as an edit ---------------------------------------------------------------


def test_a_version_the_rules_now_refuse_is_shown_with_the_error_and_nothing_is_saved(
    staff_client, admin_form_data, admin_errors
):
    building = make_building(storeys=6)
    retrofit = make_elevator(building=building, storeys_served=6)
    six_storeys = first_version(retrofit)
    retrofit.storeys_served = 4
    retrofit.save()
    building.storeys = 4  # re-surveyed: the building has 4 storeys
    building.save()
    versions = retrofit.history.count()
    url = version_url(retrofit, six_storeys)

    refused = staff_client.post(url, admin_form_data(staff_client.get(url)))

    assert list(admin_errors(refused)) == ["storeys_served"]
    retrofit.refresh_from_db()
    assert retrofit.storeys_served == 4
    assert retrofit.history.count() == versions


def test_a_deleted_proposal_comes_back_decided_as_it_was_deleted(staff_client, admin_form_data):
    proposal = make_proposal(title="第一稿")
    pk, submitted = proposal.pk, first_version(proposal)
    proposal.title = "第二稿"
    proposal.save()
    proposal_decline(proposal=proposal, reason="场地不足。", on=date(2023, 10, 1))
    proposal.delete()
    url = version_url(Proposal(pk=pk), submitted)

    restored = staff_client.post(url, admin_form_data(staff_client.get(url)))

    assert restored.status_code == 302
    back = Proposal.objects.get(pk=pk)
    assert (back.status, back.decided_on) == (ProposalStatus.DECLINED, date(2023, 10, 1))
    assert back.title == "第一稿"


def test_a_deleted_record_the_rules_now_refuse_is_not_restored(
    staff_client, admin_form_data, admin_errors
):
    building = make_building()
    deleted = make_elevator(building=building, entrance_unit=1)
    pk, last = deleted.pk, deleted.history.latest()
    deleted.delete()
    make_elevator(building=building, entrance_unit=1)  # the unit's retrofit under way now
    url = version_url(ElevatorRetrofit(pk=pk), last)

    refused = staff_client.post(url, admin_form_data(staff_client.get(url)))

    # One retrofit under way per unit: a constraint on the stage, which the form does not show.
    assert "__all__" in admin_errors(refused)
    assert not ElevatorRetrofit.objects.filter(pk=pk).exists()


def test_who_may_only_view_cannot_post_a_revert(django_user_model, admin_form_data):
    community = make_community(name="第一版")
    first = first_version(community)
    community.name = "第二版"
    community.save()
    django_user_model.objects.create_user("auditor")
    grant("auditor", Role.VIEWER)
    auditor = Client()
    auditor.force_login(django_user_model.objects.get(username="auditor"))
    url = version_url(community, first)

    page = auditor.get(url)
    posted = auditor.post(url, {"name": "第一版"})

    assert page.status_code == 200
    assert page.context["revert_disabled"]
    assert posted.status_code == 403
    assert Community.objects.get(pk=community.pk).name == "第二版"


# --- Scope: the current district decides ------------------------------------------------------


@pytest.fixture
def moved(db):
    """A community registered in 泰山区, then moved to 岱岳区."""
    taishan = make_district(code="370902", name="泰山区")
    daiyue = make_district(code="370911", name="岱岳区")
    community = make_community(district=taishan, name="搬走的小区")
    community.district = daiyue
    community.save()
    return community, taishan, daiyue


def test_the_clerk_of_its_first_district_no_longer_reads_or_reverts_a_moved_community(
    moved, django_user_model
):
    community, taishan, _daiyue = moved
    in_taishan = first_version(community)
    clerk = clerk_of(django_user_model, "clerk-a", taishan)
    history = reverse("admin:communities_community_history", args=[community.pk])
    url = version_url(community, in_taishan)

    assert clerk.get(history).status_code == 404
    assert clerk.get(url).status_code == 404
    assert clerk.post(url, {"name": "抢回来", "district": taishan.pk}).status_code == 404
    community.refresh_from_db()
    assert community.name == "搬走的小区"


def test_a_version_of_another_district_cannot_carry_the_record_there(
    moved, django_user_model, admin_form_data, admin_errors
):
    community, taishan, daiyue = moved
    in_taishan = first_version(community)
    clerk = clerk_of(django_user_model, "clerk-b", daiyue)
    url = version_url(community, in_taishan)

    page = clerk.get(url)
    data = admin_form_data(page)
    data["district"] = str(taishan.pk)  # the version's district, as it would post it
    refused = clerk.post(url, data)

    assert page.status_code == 200
    assert "district" in admin_errors(refused)
    community.refresh_from_db()
    assert community.district == daiyue


def test_a_deleted_record_is_restored_by_the_clerk_of_its_last_district_only(
    moved, django_user_model, admin_form_data
):
    community, taishan, daiyue = moved
    pk, early_version = community.pk, first_version(community)
    community.delete()
    last = Community.history.get(id=pk, history_type="-")
    first_clerk = clerk_of(django_user_model, "clerk-a", taishan)
    last_clerk = clerk_of(django_user_model, "clerk-b", daiyue)
    url = reverse("admin:communities_community_simple_history", args=[pk, last.history_id])
    early = reverse(
        "admin:communities_community_simple_history", args=[pk, early_version.history_id]
    )

    assert first_clerk.get(url).status_code == 404
    assert first_clerk.get(early).status_code == 404
    assert first_clerk.post(url, {"name": "搬走的小区", "district": taishan.pk}).status_code == 404
    assert not Community.objects.filter(pk=pk).exists()
    page = last_clerk.get(url)
    assert page.status_code == 200
    restored = last_clerk.post(url, admin_form_data(page))
    assert restored.status_code == 302
    assert Community.objects.get(pk=pk).district == daiyue
