"""Decisions stay decided (issue 15), through HTTP, the admin and imports: reinforce first per
community, the reinforcement flag, a community's status following its items, dates and
acceptance that make sense, and the report of legacy data that breaks them."""

import importlib
from datetime import date, timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse

from communities.places.choices import RenovationStatus, SafetyGrade
from communities.places.models import ITEM_CANCELLED, ITEM_FINISHED, Community
from communities.works.choices import Category, ItemStatus
from communities.works.models.items import RenovationItem, RenovationKind
from communities.works.services import FOLLOWS_ITEMS
from tests.support.api import API, api_client, make_user, writer
from tests.support.factories import make_building, make_community, make_item

pytestmark = pytest.mark.django_db


def kind(code: str) -> RenovationKind:
    return RenovationKind.objects.get(code=code)


def under_construction(**fields) -> Community:
    fields.setdefault("renovation_status", RenovationStatus.UNDER_CONSTRUCTION)
    fields.setdefault("renovation_year", 2020)  # before plans were required
    return make_community(**fields)


def item_payload(community: Community, **overrides) -> dict:
    payload = {
        "community": community.pk,
        "kind": "greening",
        "title": "绿化提升",
        "budget": "100000.00",
        "status": "planned",
    }
    payload.update(overrides)
    return payload


# --- Reinforce first, per community -----------------------------------------------------------


def test_community_wide_improvement_work_cannot_start_beside_an_unreinforced_c_building():
    community = under_construction()
    make_building(community=community, safety_grade=SafetyGrade.C, appraised_on=date(2020, 1, 5))
    item = make_item(community=community, kind=kind("greening"), title="绿化提升")

    response = writer("renovationitem").patch(
        f"{API}/renovation-items/{item.pk}/",
        {"status": "under_construction", "actual_start": "2020-05-01", "progress": 10},
        format="json",
    )

    assert response.status_code == 400
    assert "Reinforce first" in response.json()["status"][0] or "先加固" in str(response.json())
    item.refresh_from_db()
    assert item.status == ItemStatus.PLANNED


def test_community_wide_work_starts_once_the_c_building_is_reinforced():
    community = under_construction(started_on=date(2020, 3, 1))
    building = make_building(
        community=community, safety_grade=SafetyGrade.C, appraised_on=date(2020, 1, 5)
    )
    make_item(
        community=community,
        building=building,
        kind=kind("structural-reinforcement"),
        status=ItemStatus.COMPLETED,
        actual_start=date(2020, 3, 1),
        actual_end=date(2020, 4, 20),
    )

    response = writer("renovationitem").post(
        f"{API}/renovation-items/",
        item_payload(community, status="under_construction", actual_start="2020-05-01"),
        format="json",
    )

    assert response.status_code == 201, response.json()


# --- The reinforcement flag -------------------------------------------------------------------


def test_a_city_admin_who_is_not_a_superuser_cannot_flag_a_kind_as_reinforcement():
    client = api_client(make_user("communities.change_renovationkind", is_staff=True))

    response = client.patch(
        f"{API}/renovation-kinds/greening/", {"is_reinforcement": True}, format="json"
    )

    assert response.status_code == 403
    assert kind("greening").is_reinforcement is False


def test_a_superuser_flags_a_kind_and_history_records_it():
    client = api_client(make_user(is_staff=True, is_superuser=True))

    response = client.patch(
        f"{API}/renovation-kinds/greening/", {"is_reinforcement": True}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert kind("greening").history.first().is_reinforcement is True


def test_the_kind_admin_shows_the_flag_read_only_to_staff_who_are_not_superusers(client):
    user = make_user(
        "communities.change_renovationkind", "communities.view_renovationkind", is_staff=True
    )
    client.force_login(user)
    greening = kind("greening")
    url = reverse("admin:communities_renovationkind_change", args=[greening.pk])

    client.post(
        url,
        {
            "code": greening.code,
            "name": greening.name,
            "name_en": greening.name_en,
            "category": greening.category,
            "is_reinforcement": "on",
            "sort_order": greening.sort_order,
        },
    )

    assert "is_reinforcement" not in client.get(url).context["adminform"].form.fields
    assert kind("greening").is_reinforcement is False


# --- The community follows its items ----------------------------------------------------------


def test_a_community_cannot_be_marked_completed_while_4_items_are_open():
    community = under_construction(started_on=date(2020, 4, 1))
    for _n in range(4):
        make_item(
            community=community, status=ItemStatus.UNDER_CONSTRUCTION, actual_start=date(2020, 4, 1)
        )

    response = writer("community").patch(
        f"{API}/communities/{community.pk}/",
        {"renovation_status": "completed", "completed_on": "2020-11-30"},
        format="json",
    )

    assert response.status_code == 400
    assert "4" in response.json()["renovation_status"][0]
    community.refresh_from_db()
    assert community.renovation_status == RenovationStatus.UNDER_CONSTRUCTION


def test_the_community_admin_refuses_completion_with_open_items(
    staff_client, admin_form_data, admin_errors
):
    community = under_construction(started_on=date(2020, 4, 1))
    make_item(
        community=community, status=ItemStatus.UNDER_CONSTRUCTION, actual_start=date(2020, 4, 1)
    )
    url = reverse("admin:communities_community_change", args=[community.pk])
    data = admin_form_data(staff_client.get(url))
    data.update(renovation_status="completed", completed_on="2020-11-30")

    errors = admin_errors(staff_client.post(url, data))

    assert "renovation_status" in errors
    community.refresh_from_db()
    assert community.renovation_status == RenovationStatus.UNDER_CONSTRUCTION


def test_a_completed_item_cannot_be_added_to_a_community_that_has_not_started():
    community = make_community(renovation_status=RenovationStatus.PLANNED, renovation_year=2020)

    response = writer("renovationitem").post(
        f"{API}/renovation-items/",
        item_payload(
            community,
            status="completed",
            progress=100,
            actual_start="2020-04-01",
            actual_end="2020-09-01",
        ),
        format="json",
    )

    assert response.status_code == 409
    assert not RenovationItem.objects.filter(community=community).exists()
    community.refresh_from_db()
    assert community.renovation_status == RenovationStatus.PLANNED


def test_the_first_item_to_start_starts_its_community_on_its_day():
    community = make_community(renovation_status=RenovationStatus.PLANNED, renovation_year=2020)
    item = make_item(community=community, kind=kind("greening"))

    response = writer("renovationitem").patch(
        f"{API}/renovation-items/{item.pk}/",
        {"status": "under_construction", "actual_start": "2020-05-06", "progress": 5},
        format="json",
    )

    assert response.status_code == 200, response.json()
    community.refresh_from_db()
    assert community.renovation_status == RenovationStatus.UNDER_CONSTRUCTION
    assert community.started_on == date(2020, 5, 6)
    assert community.history.first().history_change_reason == FOLLOWS_ITEMS


def test_a_completed_community_takes_its_last_items_completion_date():
    community = make_community(
        renovation_status=RenovationStatus.COMPLETED,
        renovation_year=2020,
        started_on=date(2020, 4, 1),
        completed_on=date(2020, 10, 1),
    )
    item = make_item(
        community=community,
        status=ItemStatus.COMPLETED,
        actual_start=date(2020, 4, 1),
        actual_end=date(2020, 10, 1),
    )

    response = writer("renovationitem").patch(
        f"{API}/renovation-items/{item.pk}/", {"actual_end": "2020-10-20"}, format="json"
    )

    assert response.status_code == 200, response.json()
    community.refresh_from_db()
    assert community.completed_on == date(2020, 10, 20)


def test_an_open_item_cannot_be_added_to_a_completed_community():
    community = make_community(
        renovation_status=RenovationStatus.COMPLETED,
        renovation_year=2020,
        started_on=date(2020, 4, 1),
        completed_on=date(2020, 10, 1),
    )

    response = writer("renovationitem").post(
        f"{API}/renovation-items/", item_payload(community), format="json"
    )

    assert response.status_code == 409
    assert not community.items.exists()


def test_the_item_admin_refuses_a_completed_item_in_a_community_not_started(
    staff_client, admin_form_data
):
    community = make_community(renovation_status=RenovationStatus.PLANNED, renovation_year=2020)
    item = make_item(community=community, kind=kind("greening"))
    url = reverse("admin:communities_renovationitem_change", args=[item.pk])
    data = admin_form_data(staff_client.get(url))
    data.update(
        status="completed", progress="100", actual_start="2020-04-01", actual_end="2020-09-01"
    )

    staff_client.post(url, data)

    item.refresh_from_db()
    assert item.status == ItemStatus.PLANNED


def test_an_import_of_a_completed_item_into_a_community_not_started_is_refused(tmp_path):
    community = make_community(renovation_status=RenovationStatus.PLANNED, renovation_year=2020)
    path = tmp_path / "items.csv"
    path.write_text(
        "id,community,kind,title,budget,status,progress,actual_start,actual_end\n"
        f",{community.pk},greening,绿化提升,100000,completed,100,2020-04-01,2020-09-01\n",
        encoding="utf-8",
    )

    with pytest.raises(CommandError):
        call_command(
            "import_records", "renovationitem", str(path), stderr=StringIO(), stdout=StringIO()
        )

    assert not community.items.exists()


# --- Dates and states that make sense ---------------------------------------------------------


def test_an_item_completed_in_the_future_is_refused():
    community = under_construction(started_on=date(2020, 4, 1))
    item = make_item(
        community=community, status=ItemStatus.UNDER_CONSTRUCTION, actual_start=date(2020, 4, 1)
    )
    tomorrow = (date.today() + timedelta(days=1)).isoformat()

    response = writer("renovationitem").patch(
        f"{API}/renovation-items/{item.pk}/",
        {"status": "completed", "progress": 100, "actual_end": tomorrow},
        format="json",
    )

    assert response.status_code == 400
    assert "actual_end" in response.json()


def test_a_community_completed_in_the_future_is_refused():
    community = under_construction(started_on=date(2020, 4, 1))
    tomorrow = (date.today() + timedelta(days=1)).isoformat()

    response = writer("community").patch(
        f"{API}/communities/{community.pk}/",
        {"renovation_status": "completed", "completed_on": tomorrow},
        format="json",
    )

    assert response.status_code == 400
    assert "completed_on" in response.json()


def accepted_item() -> RenovationItem:
    community = make_community(
        renovation_status=RenovationStatus.COMPLETED,
        renovation_year=2020,
        started_on=date(2020, 4, 1),
        completed_on=date(2020, 10, 1),
    )
    return make_item(
        community=community,
        status=ItemStatus.ACCEPTED,
        actual_start=date(2020, 4, 1),
        actual_end=date(2020, 10, 1),
    )


def test_an_accepted_item_cannot_go_back_to_planned():
    item = accepted_item()

    response = writer("renovationitem").patch(
        f"{API}/renovation-items/{item.pk}/", {"status": "planned", "progress": 0}, format="json"
    )

    assert response.status_code == 400
    assert "status" in response.json()
    item.refresh_from_db()
    assert item.status == ItemStatus.ACCEPTED


def test_an_item_is_accepted_only_once_completed():
    community = under_construction(started_on=date(2020, 4, 1))
    item = make_item(
        community=community, status=ItemStatus.UNDER_CONSTRUCTION, actual_start=date(2020, 4, 1)
    )

    response = writer("renovationitem").patch(
        f"{API}/renovation-items/{item.pk}/",
        {"status": "accepted", "progress": 100, "actual_end": "2020-09-01"},
        format="json",
    )

    assert response.status_code == 400
    item.refresh_from_db()
    assert item.status == ItemStatus.UNDER_CONSTRUCTION


def test_the_item_admin_keeps_an_accepted_item_accepted(
    staff_client, admin_form_data, admin_errors
):
    item = accepted_item()
    url = reverse("admin:communities_renovationitem_change", args=[item.pk])
    data = admin_form_data(staff_client.get(url))
    data.update(status="planned", progress="0", actual_start="", actual_end="")

    errors = admin_errors(staff_client.post(url, data))

    assert "status" in errors
    item.refresh_from_db()
    assert item.status == ItemStatus.ACCEPTED


def test_an_import_cannot_take_an_accepted_item_back_to_planned(tmp_path):
    item = accepted_item()
    path = tmp_path / "items.csv"
    path.write_text(f"id,status,progress\n{item.pk},planned,0\n", encoding="utf-8")

    with pytest.raises(CommandError):
        call_command(
            "import_records", "renovationitem", str(path), stderr=StringIO(), stdout=StringIO()
        )

    item.refresh_from_db()
    assert item.status == ItemStatus.ACCEPTED


# --- Legacy data: the report ------------------------------------------------------------------


def test_check_integrity_reports_each_broken_community_and_changes_nothing():
    broken = under_construction(started_on=date(2020, 4, 1), name="乐园小区")
    make_item(community=broken, status=ItemStatus.UNDER_CONSTRUCTION, actual_start=date(2020, 4, 1))
    Community.objects.filter(pk=broken.pk).update(
        renovation_status=RenovationStatus.COMPLETED, completed_on=date(2020, 11, 1)
    )
    graded = make_building(safety_grade=SafetyGrade.B, appraised_on=date(2020, 1, 1))
    out = StringIO()

    with pytest.raises(CommandError, match="1 community"):
        call_command("check_integrity", stdout=out)

    report = out.getvalue()
    assert "乐园小区: completed with 1 open item(s)" in report
    assert f"building {graded.pk}" in report
    broken.refresh_from_db()
    assert broken.renovation_status == RenovationStatus.COMPLETED


def test_check_integrity_passes_on_data_that_follows_the_rules():
    community = under_construction(started_on=date(2020, 4, 1))
    make_item(
        community=community, status=ItemStatus.UNDER_CONSTRUCTION, actual_start=date(2020, 4, 1)
    )
    out = StringIO()

    call_command("check_integrity", stdout=out)

    assert "Every community follows its items" in out.getvalue()


def test_places_names_the_item_statuses_as_the_works_do():
    assert set(ITEM_FINISHED) == set(ItemStatus.finished())
    assert ITEM_CANCELLED == ItemStatus.CANCELLED


# --- The national categories ------------------------------------------------------------------


def test_the_seeded_kinds_follow_the_national_text():
    categories = dict(RenovationKind.objects.values_list("code", "category"))

    assert categories["waste-sorting"] == Category.BASIC
    assert categories["lighting"] == Category.IMPROVEMENT
    assert categories["wall-insulation"] == Category.IMPROVEMENT
    assert categories["children-play"] == Category.IMPROVEMENT
    assert categories["childcare"] == Category.ENHANCEMENT


def test_the_migration_moves_old_kinds_and_records_why_items_keep_their_kind():
    RenovationKind.objects.filter(code="waste-sorting").update(category=Category.IMPROVEMENT)
    RenovationKind.objects.filter(code="childcare").update(
        name="托育及儿童游乐设施", name_en="Childcare and children's play"
    )
    item = make_item(kind=kind("waste-sorting"))
    migration = importlib.import_module("communities.migrations.0025_fw_national_categories")

    migration.forwards(apps, None)

    waste = kind("waste-sorting")
    assert waste.category == Category.BASIC
    assert waste.history.first().history_change_reason == migration.REASON
    assert kind("childcare").name == "托育设施"
    item.refresh_from_db()
    assert item.kind == waste


# --- History revert ---------------------------------------------------------------------------


def _version_data(response) -> dict:
    from tests.conftest import _post_value

    form = response.context["adminform"].form
    values = {field.html_name: _post_value(field) for field in form}
    return {name: value for name, value in values.items() if value is not None}


def test_restoring_a_planned_version_of_an_accepted_item_is_refused(staff_client):
    item = accepted_item()
    planned = item.history.earliest()
    RenovationItem.objects.filter(pk=item.pk).update(status=ItemStatus.PLANNED)
    item.history.filter(pk=planned.pk).update(status=ItemStatus.PLANNED, progress=0)
    url = reverse(
        "admin:communities_renovationitem_simple_history", args=[item.pk, planned.history_id]
    )
    RenovationItem.objects.filter(pk=item.pk).update(status=ItemStatus.ACCEPTED)

    data = _version_data(staff_client.get(url))
    data.update(status="planned", progress="0", actual_start="", actual_end="")
    response = staff_client.post(url, data)

    assert "status" in response.context["adminform"].form.errors
    item.refresh_from_db()
    assert item.status == ItemStatus.ACCEPTED


def test_restoring_an_earlier_grade_of_a_building_leaves_the_grade_to_its_appraisals(staff_client):
    building = make_building(
        safety_grade=SafetyGrade.C, appraised_on=date(2021, 5, 1), appraiser="鉴定中心"
    )
    first = building.history.earliest()
    from communities.places.services import building_appraisal_add

    building_appraisal_add(
        building=building, appraised_on=date(2022, 3, 1), grade="B", appraiser="鉴定中心"
    )
    url = reverse("admin:communities_building_simple_history", args=[building.pk, first.history_id])

    data = _version_data(staff_client.get(url))
    data.update(safety_grade="C", appraised_on="2021-05-01")
    staff_client.post(url, data)

    building.refresh_from_db()
    assert building.safety_grade == SafetyGrade.B
