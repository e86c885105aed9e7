"""Staff roles and their scope: the groups, grant_role, and the scope on the admin and the API."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from communities.access.choices import Role
from communities.access.models import StaffScope
from communities.core.scoping import scope_for
from communities.places.models import Building, Community
from tests.support.api import API, api_client
from tests.support.factories import make_building, make_community, make_district, make_service
from tests.support.roles import grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def taishan():
    return make_district(code="370902", name="泰山区")


@pytest.fixture
def daiyue():
    return make_district(code="370911", name="岱岳区")


@pytest.fixture
def ours(taishan):
    return make_community(district=taishan, name="本区小区")


@pytest.fixture
def theirs(daiyue):
    return make_community(district=daiyue, name="外区小区")


@pytest.fixture
def clerk(django_user_model, taishan):
    """District staff of 泰山区."""
    django_user_model.objects.create_user("clerk", password="pw-clerk-9x!")
    grant("clerk", Role.DISTRICT_STAFF, "--district", taishan.code)
    return django_user_model.objects.get(username="clerk")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- The groups ---------------------------------------------------------------------------------


def permissions_of(role: str) -> set[str]:
    return set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))


def test_the_migration_creates_the_four_roles_with_their_permissions():
    assert set(Group.objects.filter(name__in=Role.values).values_list("name", flat=True)) == set(
        Role.values
    )
    assert {"change_community", "delete_district", "add_staffscope"} <= permissions_of(
        Role.CITY_ADMIN
    )
    district_staff = permissions_of(Role.DISTRICT_STAFF)
    assert {"change_community", "add_building", "decide_proposal"} <= district_staff
    assert "view_district" in district_staff
    assert not {"change_district", "change_renovationkind", "add_staffscope"} & district_staff
    assert permissions_of(Role.PROPERTY_COMPANY) == {
        "view_community",
        "view_building",
        "view_repairrequest",
        "change_repairrequest",
        "view_repairevent",
        "view_propertyservice",
        "change_propertyservice",
    }
    viewer = permissions_of(Role.VIEWER)
    assert "view_community" in viewer
    assert all(codename.startswith("view_") for codename in viewer)
    assert "view_staffscope" not in viewer


# --- grant_role ---------------------------------------------------------------------------------


def test_grant_role_makes_the_user_staff_of_the_given_districts(django_user_model, taishan, daiyue):
    django_user_model.objects.create_user("zhang")

    grant("zhang", Role.DISTRICT_STAFF, "--district", taishan.code, "--district", daiyue.code)

    user = django_user_model.objects.get(username="zhang")
    assert user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == [Role.DISTRICT_STAFF]
    assert set(user.staff_scope.districts.values_list("code", flat=True)) == {
        taishan.code,
        daiyue.code,
    }


def test_grant_role_replaces_the_previous_role_and_scope(django_user_model, clerk):
    grant("clerk", Role.VIEWER)

    clerk = django_user_model.objects.get(username="clerk")
    assert list(clerk.groups.values_list("name", flat=True)) == [Role.VIEWER]
    assert not clerk.staff_scope.districts.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody", Role.VIEWER], "No user"),
        (["zhang", Role.DISTRICT_STAFF], "need at least one --district"),
        (["zhang", Role.DISTRICT_STAFF, "--district", "999999"], "No district with code 999999"),
        (["zhang", Role.PROPERTY_COMPANY], "needs --company"),
        (["zhang", Role.CITY_ADMIN, "--district", "370902"], "whole city"),
        (["zhang", Role.VIEWER, "--company", "泰安物业"], "property_company role only"),
    ],
)
def test_grant_role_refuses_an_incomplete_or_wrong_assignment(
    django_user_model, taishan, args, message
):
    django_user_model.objects.create_user("zhang")

    with pytest.raises(CommandError, match=message):
        call_command("grant_role", *args, stdout=StringIO())

    assert not StaffScope.objects.exists()


# --- The admin ----------------------------------------------------------------------------------


def test_district_staff_list_only_their_districts_communities(clerk, ours, theirs):
    response = logged_in(clerk).get(reverse("admin:communities_community_changelist"))

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [ours]


def test_another_districts_record_is_not_found_in_the_admin(clerk, theirs):
    client = logged_in(clerk)
    building = make_building(community=theirs)

    for url in [
        reverse("admin:communities_community_change", args=[theirs.pk]),
        reverse("admin:communities_community_delete", args=[theirs.pk]),
        reverse("admin:communities_community_history", args=[theirs.pk]),
        reverse("admin:communities_building_change", args=[building.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    refused = client.post(
        reverse("admin:communities_community_delete", args=[theirs.pk]), {"post": "yes"}
    )

    assert refused.status_code == 404
    assert Community.objects.filter(pk=theirs.pk).exists()


def test_a_missing_record_answers_like_another_districts_one(clerk):
    url = reverse("admin:communities_community_change", args=[987654])

    assert logged_in(clerk).get(url).status_code == 404


def test_district_staff_choose_only_their_districts_and_communities(clerk, ours, theirs):
    client = logged_in(clerk)

    community_form = client.get(reverse("admin:communities_community_add")).context["adminform"]
    building_form = client.get(reverse("admin:communities_building_add")).context["adminform"]

    assert list(community_form.form.fields["district"].queryset) == [ours.district]
    assert list(building_form.form.fields["community"].queryset) == [ours]


def test_district_staff_cannot_put_a_building_in_another_districts_community(
    clerk, ours, theirs, admin_form_data, admin_errors
):
    client = logged_in(clerk)
    url = reverse("admin:communities_building_add")
    data = admin_form_data(client.get(url))
    data.update(community=str(theirs.pk), label="9号楼", storeys="6", households="24")

    errors = admin_errors(client.post(url, data))

    assert "community" in errors
    assert not Building.objects.filter(community=theirs).exists()


def test_district_staff_with_no_district_see_nothing(django_user_model, ours):
    user = django_user_model.objects.create_user("lost", is_staff=True)
    user.groups.add(Group.objects.get(name=Role.DISTRICT_STAFF))

    response = logged_in(user).get(reverse("admin:communities_community_changelist"))

    assert list(response.context["cl"].result_list) == []


def test_a_city_administrator_sees_every_district(django_user_model, ours, theirs):
    django_user_model.objects.create_user("chief")
    grant("chief", Role.CITY_ADMIN)

    response = logged_in(django_user_model.objects.get(username="chief")).get(
        reverse("admin:communities_community_changelist")
    )

    assert set(response.context["cl"].result_list) == {ours, theirs}


def test_a_viewer_reads_the_whole_city_but_changes_nothing(django_user_model, ours, theirs):
    django_user_model.objects.create_user("auditor")
    grant("auditor", Role.VIEWER)
    client = logged_in(django_user_model.objects.get(username="auditor"))
    url = reverse("admin:communities_community_change", args=[theirs.pk])

    listed = client.get(reverse("admin:communities_community_changelist"))
    refused = client.post(url, {"name": "改名"})

    assert set(listed.context["cl"].result_list) == {ours, theirs}
    assert client.get(url).status_code == 200
    assert refused.status_code == 403
    theirs.refresh_from_db()
    assert theirs.name == "外区小区"


def test_a_property_company_sees_only_its_own_service_records(django_user_model, ours, theirs):
    own = make_service(community=ours, provider_name="泰山物业")
    make_service(community=theirs, provider_name="岱岳物业")
    django_user_model.objects.create_user("company")
    grant("company", Role.PROPERTY_COMPANY, "--company", "泰山物业")
    client = logged_in(django_user_model.objects.get(username="company"))

    response = client.get(reverse("admin:communities_propertyservice_changelist"))

    assert list(response.context["cl"].result_list) == [own]
    assert client.get(reverse("admin:communities_community_changelist")).status_code == 200


# --- The API ------------------------------------------------------------------------------------


def test_district_staff_change_their_own_districts_records_over_the_api(clerk, ours):
    response = api_client(clerk).patch(
        f"{API}/communities/{ours.pk}/", {"name": "新名字"}, format="json"
    )

    assert response.status_code == 200, response.content
    ours.refresh_from_db()
    assert ours.name == "新名字"


def test_a_write_to_another_districts_record_over_the_api_is_not_found(clerk, theirs):
    client = api_client(clerk)

    patched = client.patch(f"{API}/communities/{theirs.pk}/", {"name": "占领"}, format="json")
    deleted = client.delete(f"{API}/communities/{theirs.pk}/")

    assert patched.status_code == 404
    assert deleted.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "外区小区"


def test_the_api_refuses_to_create_a_record_in_another_district(clerk, theirs):
    response = api_client(clerk).post(
        f"{API}/buildings/",
        {"community": theirs.pk, "label": "9号楼", "storeys": 6, "households": 24},
        format="json",
    )

    assert response.status_code == 403
    assert not Building.objects.filter(community=theirs).exists()


def test_the_api_refuses_to_move_a_record_into_another_district(clerk, ours, theirs):
    building = make_building(community=ours)

    response = api_client(clerk).patch(
        f"{API}/buildings/{building.pk}/", {"community": theirs.pk}, format="json"
    )

    assert response.status_code == 403
    building.refresh_from_db()
    assert building.community == ours


def test_public_reads_stay_city_wide_for_everybody(clerk, ours, theirs):
    for client in [api_client(), api_client(clerk)]:
        response = client.get(f"{API}/communities/{theirs.pk}/")
        assert response.status_code == 200


# --- Cost ---------------------------------------------------------------------------------------


def test_a_users_scope_is_read_once_per_request_whatever_the_number_of_districts(
    django_user_model, django_assert_num_queries
):

    codes = [make_district(code=f"3709{n:02d}").code for n in range(1, 6)]
    django_user_model.objects.create_user("many")
    grant("many", Role.DISTRICT_STAFF, *[arg for code in codes for arg in ("--district", code)])
    user = django_user_model.objects.get(username="many")

    # 1. the user's groups, 2. the user's StaffScope, 3. its districts (prefetched)
    with django_assert_num_queries(3):
        first = scope_for(user)
    with django_assert_num_queries(0):
        again = scope_for(user)

    assert first is again
    assert len(first.district_ids) == 5


def test_a_scoped_changelist_costs_a_fixed_number_of_queries(
    clerk, taishan, django_assert_max_num_queries
):
    client = logged_in(clerk)
    url = reverse("admin:communities_community_changelist")
    make_community(district=taishan)
    client.get(url)  # the session and permissions are cached from here on
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for n in range(10):
        make_community(district=taishan, name=f"小区{n}")

    # The same queries for eleven rows as for one: the scope adds a filter, not a query per row.
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["cl"].result_list) == 11
