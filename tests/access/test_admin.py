"""The admin assigns roles too: groups on the user page, districts in the scope inline."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from communities.access.choices import Role
from communities.core.scoping import scope_queryset
from communities.places.models import Community
from tests.support.factories import make_community, make_district

pytestmark = pytest.mark.django_db


def test_a_city_admin_makes_a_clerk_district_staff_from_the_user_page(
    staff_client, django_user_model, admin_form_data
):
    home = make_district(code="370902", name="泰山区")
    other = make_district(code="370911", name="岱岳区")
    make_community(district=home, name="乐园小区")
    make_community(district=other, name="岱岳小区")
    clerk = django_user_model.objects.create_user("clerk", password="pw-clerk-9x!")
    url = reverse("admin:auth_user_change", args=[clerk.pk])
    data = admin_form_data(staff_client.get(url))
    data["is_staff"] = "on"
    # The page's split date/time widget for date_joined, as a browser submits it.
    data["date_joined_0"] = clerk.date_joined.strftime("%Y-%m-%d")
    data["date_joined_1"] = clerk.date_joined.strftime("%H:%M:%S")
    data["groups"] = [str(Group.objects.get(name=Role.DISTRICT_STAFF).pk)]
    data["staff_scope-TOTAL_FORMS"] = "1"
    data["staff_scope-0-districts"] = [str(home.pk)]

    response = staff_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    clerk.refresh_from_db()
    assert clerk.is_staff
    assert list(clerk.staff_scope.districts.all()) == [home]
    visible = scope_queryset(Community.objects.all(), clerk)
    assert list(visible.values_list("name", flat=True)) == ["乐园小区"]


def test_the_user_changelist_runs_one_query_per_page_not_per_user(
    staff_client, django_user_model, django_assert_max_num_queries
):
    for number in range(20):
        django_user_model.objects.create_user(f"user-{number}")

    # session, user, count, filtered count, the page of users with their scopes, plus the
    # admin's own checks: bounded whatever the number of users.
    with django_assert_max_num_queries(10):
        response = staff_client.get(reverse("admin:auth_user_changelist"))

    assert response.status_code == 200
