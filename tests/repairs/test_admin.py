"""The admin of repair requests: the queue and its filters, the read-only timeline, lifecycle
actions, filing and correcting through the services, the measures page; Open311 clients and
grid assignments."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.test import Client

from communities.repairs.models import GridAssignment, Open311Client, RepairRequest
from tests.support.factories import make_community, make_service
from tests.support.repairs import SECRET_NAME, make_inspector, make_request

CHANGELIST = "/admin/communities/repairrequest/"


@pytest.fixture
def community(db):
    community = make_community(name="乐园小区")
    make_service(community=community, provider_name="泰安红心物业有限公司")
    return community


def _change_url(request) -> str:
    return f"{CHANGELIST}{request.pk}/change/"


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _act(client, action: str, requests, **extra):
    """Run an admin action on the queue, in English (messages are compared as text)."""
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [r.pk for r in requests], **extra},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )


# --- The queue --------------------------------------------------------------------------------


def test_the_queue_lists_requests_with_the_overdue_column(staff_client, community):
    make_request(community=community, state="dispatched")
    make_request(community=community, state="closed")

    response = staff_client.get(CHANGELIST)

    assert response.status_code == 200
    content = response.content.decode()
    # A warning on the overdue one (closed is never overdue), not a green tick.
    assert content.count('<td class="field-overdue"><span class="admin-warning">') == 1
    assert 'alt="True"' not in content
    assert "/admin/communities/repairrequest/measures/" in content


def test_the_overdue_filter_keeps_only_overdue_requests(staff_client, community):
    late = make_request(community=community, state="in_progress")
    make_request(community=community, state="resolved")

    response = staff_client.get(CHANGELIST, {"overdue": "yes"})

    assert list(response.context["cl"].result_list) == [late]
    assert len(staff_client.get(CHANGELIST, {"overdue": "no"}).context["cl"].result_list) == 1


def test_the_queue_costs_the_same_queries_however_long(
    staff_client, community, django_assert_max_num_queries
):
    for _ in range(5):
        make_request(community=community, state="dispatched")
    # session, user, the page with community and district joined in, the count, the
    # filters' choices (districts), the date hierarchy, and the admin's own bookkeeping.
    with django_assert_max_num_queries(10):
        response = staff_client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == 5


def test_the_timeline_is_shown_read_only(staff_client, community):
    request = make_request(community=community, state="closed")

    response = staff_client.get(_change_url(request), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    # The timeline, then the report form's extra photos and me-toos (none here).
    inline, photos, supports = response.context["inline_admin_formsets"]
    assert (photos.formset.total_form_count(), supports.formset.total_form_count()) == (0, 0)
    assert not photos.has_add_permission and not supports.has_change_permission
    assert inline.formset.total_form_count() == 5
    assert not inline.has_add_permission and not inline.has_change_permission
    content = response.content.decode()
    assert "Rated and closed" in content
    assert SECRET_NAME in content  # staff see the reporter


# --- Filing and correcting --------------------------------------------------------------------


def test_filing_in_the_admin_goes_through_the_service(staff_client, community, admin_form_data):
    form = admin_form_data(staff_client.get(f"{CHANGELIST}add/"))
    form.update(
        community=community.pk,
        category="elevator",
        description="3号楼电梯停运",
        source="walk_in",
        reporter_name=SECRET_NAME,
    )

    response = staff_client.post(f"{CHANGELIST}add/", form)

    assert response.status_code == 302
    request = RepairRequest.objects.get()
    assert (request.status, request.source) == ("submitted", "walk_in")
    assert (request.deadline_at - request.submitted_at).total_seconds() == 24 * 3600
    entry = request.timeline.get()
    assert (entry.action, entry.actor_label) == ("submit", "city-admin")


def test_a_patrol_report_by_someone_not_patrolling_is_refused_on_the_form(
    staff_client, community, admin_form_data, django_user_model
):
    stranger = make_inspector(django_user_model, make_community())
    form = admin_form_data(staff_client.get(f"{CHANGELIST}add/"))
    form.update(
        community=community.pk,
        category="sanitation",
        description="垃圾未清运",
        source="grid_patrol",
        grid_inspector=stranger.pk,
    )

    response = staff_client.post(f"{CHANGELIST}add/", form)

    assert response.status_code == 200
    assert "grid_inspector" in response.context["adminform"].form.errors
    assert not RepairRequest.objects.exists()


def test_correcting_the_category_moves_the_deadline_and_is_on_the_timeline(
    staff_client, community, admin_form_data
):
    request = make_request(community=community, state="dispatched")
    form = admin_form_data(staff_client.get(_change_url(request)))
    form["category"] = "elevator"

    response = staff_client.post(_change_url(request), form)

    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.deadline_at - request.submitted_at).total_seconds() == 24 * 3600
    assert request.status == "dispatched"
    assert request.timeline.last().action == "edit"


def test_a_closed_request_can_only_be_published_or_hidden(staff_client, community, admin_form_data):
    request = make_request(community=community, state="closed")
    response = staff_client.get(_change_url(request))
    form = admin_form_data(response)
    assert set(response.context["adminform"].form.fields) == {"is_public"}

    form["is_public"] = "on"
    assert staff_client.post(_change_url(request), form).status_code == 302
    request.refresh_from_db()
    assert request.is_public
    assert request.timeline.last().action == "publish"


def test_only_a_superuser_deletes_a_request(community, django_user_model):
    request = make_request(community=community)
    clerk = django_user_model.objects.create_user("clerk", password="pw-clerk-9x!", is_staff=True)
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_repairrequest", "delete_repairrequest"])
    )
    client = Client()
    client.force_login(clerk)

    assert client.get(f"{CHANGELIST}{request.pk}/delete/").status_code == 403


# --- Lifecycle actions ------------------------------------------------------------------------


def test_dispatching_from_the_queue(staff_client, community):
    first, second = make_request(community=community), make_request(community=community)

    response = _act(staff_client, "dispatch_selected", [first, second])

    assert RepairRequest.objects.filter(status="dispatched").count() == 2
    assert "2 request(s) dispatched." in _messages(response)
    assert first.timeline.last().actor_label == "city-admin"


def test_a_move_a_request_cannot_take_is_reported_and_the_rest_go_ahead(staff_client, community):
    waiting = make_request(community=community)
    closed = make_request(community=community, state="closed")

    response = _act(staff_client, "dispatch_selected", [waiting, closed])

    messages = _messages(response)
    assert "1 request(s) dispatched." in messages
    assert any(
        f"#{closed.pk}: A request that is “Closed” cannot be dispatched." in m for m in messages
    )
    closed.refresh_from_db()
    assert closed.status == "closed"


def test_resolving_needs_the_note(staff_client, community):
    request = make_request(community=community, state="in_progress")

    _act(staff_client, "resolve_selected", [request], note="")
    request.refresh_from_db()
    assert request.status == "in_progress"

    _act(staff_client, "resolve_selected", [request], note="更换了水泵")
    request.refresh_from_db()
    assert (request.status, request.resolution) == ("resolved", "更换了水泵")


def test_rating_rejecting_reopening_and_publishing_from_the_queue(staff_client, community):
    rated, reopened = (make_request(community=community, state="resolved") for _ in range(2))
    rejected = make_request(community=community)

    _act(staff_client, "rate_selected", [rated], rating="5", note="很满意")
    _act(staff_client, "reopen_selected", [reopened], note="还在漏")
    _act(staff_client, "reject_selected", [rejected], note="户内设施")
    _act(staff_client, "publish_selected", [rated, rejected])

    statuses = dict(RepairRequest.objects.values_list("pk", "status"))
    assert statuses == {rated.pk: "closed", reopened.pk: "dispatched", rejected.pk: "rejected"}
    rated.refresh_from_db()
    assert (rated.rating, rated.rating_comment, rated.is_public) == (5, "很满意", True)


def test_auto_closing_from_the_queue_takes_only_what_is_due(staff_client, community):
    due = make_request(community=community, state="resolved")
    _act(staff_client, "auto_close_selected", [due])
    due.refresh_from_db()
    assert (due.status, due.closed_by) == ("closed", "timeout")


def test_staff_without_the_change_permission_cannot_move_requests(community, django_user_model):
    request = make_request(community=community)
    viewer = django_user_model.objects.create_user(
        "viewer", password="pw-viewer-9x!", is_staff=True
    )
    viewer.user_permissions.add(Permission.objects.get(codename="view_repairrequest"))
    client = Client()
    client.force_login(viewer)

    _act(client, "dispatch_selected", [request])

    request.refresh_from_db()
    assert request.status == "submitted"


# --- The measures page ------------------------------------------------------------------------


def test_the_measures_page_shows_the_measures_and_property_management(staff_client, community):
    make_request(community=community, state="closed", rating=4)
    make_service(contract_start=date(2024, 1, 1), contract_end=date.today())

    response = staff_client.get(f"{CHANGELIST}measures/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    content = response.content.decode()
    assert "2025-06" in content
    assert "泰安红心物业有限公司" in content
    assert "乐园小区" in content
    assert "Professional property company" in content
    assert 'class="reminder"' in content


def test_the_measures_page_narrows_to_a_district(staff_client, community):
    make_request(community=community)
    other = make_request()
    response = staff_client.get(f"{CHANGELIST}measures/", {"district": other.community.district.pk})
    assert response.context["overall_rows"][0]["requests"] == 1


def test_the_measures_page_needs_the_view_permission(community, django_user_model):
    nobody = django_user_model.objects.create_user(
        "nobody", password="pw-nobody-9x!", is_staff=True
    )
    client = Client()
    client.force_login(nobody)
    assert client.get(f"{CHANGELIST}measures/").status_code == 403


# --- Open311 clients and grid assignments ------------------------------------------------------


def test_adding_an_open311_client_shows_its_key_once(staff_client, db):
    response = staff_client.post(
        "/admin/communities/open311client/add/",
        {"name": "微信小程序", "source": "wechat"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    client = Open311Client.objects.get()
    (message,) = [m for m in _messages(response) if m.startswith("API key of 微信小程序")]
    key = message.rsplit(" ", 1)[-1]
    assert Open311Client.objects.authenticate(key) == client
    assert client.source == "wechat"
    assert (
        key
        not in staff_client.get(
            f"/admin/communities/open311client/{client.pk}/change/"
        ).content.decode()
    )


def test_a_new_key_replaces_the_old_one(staff_client, db):
    from communities.repairs.services import open311_client_create

    client, old_key = open311_client_create(name="12345热线")
    response = staff_client.post(
        "/admin/communities/open311client/",
        {"action": "rotate_keys", "_selected_action": [client.pk]},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    (message,) = [m for m in _messages(response) if m.startswith("API key of 12345热线")]
    assert Open311Client.objects.authenticate(old_key) is None
    assert Open311Client.objects.authenticate(message.rsplit(" ", 1)[-1]) == client


def test_grid_assignments_are_listed(staff_client, community, django_user_model):
    make_inspector(django_user_model, community)
    response = staff_client.get("/admin/communities/gridassignment/")
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == list(GridAssignment.objects.all())
