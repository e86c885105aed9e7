"""Change history: who, when, what and from where; restoring an earlier or a deleted record."""

import pytest
from django.test import Client
from django.urls import reverse
from simple_history.models import registered_models

from communities.access.choices import Role
from communities.core.history import EditSource, HistoryManager, recorded_from
from communities.places.models import Community
from tests.conftest import _post_value
from tests.support.api import API, api_client
from tests.support.factories import make_community, make_district
from tests.support.roles import grant

pytestmark = pytest.mark.django_db


def version_form_data(response) -> dict:
    """A version page's form as it stands (a version page has no inlines)."""
    form = response.context["adminform"].form
    values = {field.html_name: _post_value(field) for field in form}
    return {name: value for name, value in values.items() if value is not None}


def change_url(community) -> str:
    return reverse("admin:communities_community_change", args=[community.pk])


def test_an_admin_change_records_who_what_and_from_where(staff_client, city_admin, admin_form_data):
    community = make_community(name="旧名")
    data = admin_form_data(staff_client.get(change_url(community)))
    data["name"] = "新名"

    assert staff_client.post(change_url(community), data).status_code == 302

    latest = community.history.latest()
    assert latest.history_type == "~"
    assert latest.history_user == city_admin
    assert latest.history_change_reason == EditSource.ADMIN
    assert [change.field for change in latest.diff_against(latest.prev_record).changes] == ["name"]


def test_an_api_write_is_recorded_as_coming_from_the_api(city_admin):
    community = make_community()

    response = api_client(city_admin).patch(
        f"{API}/communities/{community.pk}/", {"name": "接口改名"}, format="json"
    )

    assert response.status_code == 200
    latest = community.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (city_admin, EditSource.API)


def test_a_change_in_code_keeps_a_reason_it_gives_itself():
    community = make_community()
    community._change_reason = "merged duplicate"

    with recorded_from(EditSource.IMPORT):
        community.save()

    assert community.history.latest().history_change_reason == "merged duplicate"


def test_staff_restore_an_earlier_version_from_the_admin(staff_client):
    community = make_community(name="第一版")
    first = community.history.latest()
    community.name = "第二版"
    community.save()
    url = reverse(
        "admin:communities_community_simple_history", args=[community.pk, first.history_id]
    )

    data = version_form_data(staff_client.get(url))
    restored = staff_client.post(url, data)

    assert restored.status_code == 302
    community.refresh_from_db()
    assert community.name == "第一版"


def test_staff_find_and_restore_a_deleted_record(staff_client):
    community = make_community(name="误删小区")
    pk = community.pk
    community.delete()

    listing = staff_client.get(reverse("admin:communities_community_deleted"))
    [row] = listing.context["rows"]
    data = version_form_data(staff_client.get(row["url"]))
    restored = staff_client.post(row["url"], data)

    assert row["label"] == str(community)
    assert restored.status_code == 302
    assert Community.objects.get(pk=pk).name == "误删小区"
    assert listing.status_code == 200
    assert staff_client.get(reverse("admin:communities_community_deleted")).context["rows"] == []


def test_district_staff_neither_list_nor_restore_another_districts_deleted_records(
    django_user_model,
):
    ours = make_district(code="370902")
    theirs = make_community(district=make_district(code="370911"))
    pk, version = theirs.pk, theirs.history.latest().history_id
    theirs.delete()
    django_user_model.objects.create_user("clerk")
    grant("clerk", Role.DISTRICT_STAFF, "--district", ours.code)
    client = Client()
    client.force_login(django_user_model.objects.get(username="clerk"))

    listing = client.get(reverse("admin:communities_community_deleted"))
    history = client.get(reverse("admin:communities_community_history", args=[pk]))
    version_page = client.get(
        reverse("admin:communities_community_simple_history", args=[pk, version])
    )

    assert listing.context["rows"] == []
    assert history.status_code == 404
    assert version_page.status_code == 404


def test_the_deleted_list_needs_the_change_permission(django_user_model):
    django_user_model.objects.create_user("auditor")
    grant("auditor", Role.VIEWER)
    client = Client()
    client.force_login(django_user_model.objects.get(username="auditor"))

    assert client.get(reverse("admin:communities_community_deleted")).status_code == 403


def test_every_history_makes_its_manager_class_once():
    """Generated: every model with a history is declared with the project's
    ``HistoricalRecords``, whose manager class is made once, not at each save's access."""
    assert registered_models
    plain = [
        model._meta.label
        for model in registered_models.values()
        if not issubclass(type(model.history), HistoryManager)
    ]
    assert plain == []
    community = make_community()
    assert type(community.history) is type(Community.history) is type(community.history)
    assert community.history.count() == 1
