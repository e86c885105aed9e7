"""Appraisals as records (issue 15): a building's grade is its newest appraisal's, changed only
by adding one, through the API, the admin and imports alike."""

import importlib
from datetime import date, timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse

from communities.places.choices import SafetyGrade
from communities.places.models import Building, BuildingAppraisal
from communities.places.services import GRADE_FROM_APPRAISAL, building_appraisal_add
from tests.support.api import API, api_client, make_user, writer
from tests.support.factories import make_building, make_community

pytestmark = pytest.mark.django_db

APPRAISER = "泰安市房屋安全鉴定中心"


def c_building() -> Building:
    building = make_building(
        safety_grade=SafetyGrade.C, appraised_on=date(2021, 5, 1), appraiser=APPRAISER
    )
    BuildingAppraisal.objects.create(
        building=building, appraised_on=date(2021, 5, 1), grade="C", appraiser=APPRAISER
    )
    return building


def test_the_api_refuses_to_re_grade_a_building_without_an_appraisal(english):
    building = c_building()

    response = writer("building").patch(
        f"{API}/buildings/{building.pk}/",
        {"safety_grade": "A", "appraised_on": "2022-01-10"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert "add an appraisal record" in response.json()["safety_grade"][0]
    building.refresh_from_db()
    assert (building.safety_grade, building.appraised_on) == ("C", date(2021, 5, 1))


def test_the_api_refuses_a_new_grade_even_with_the_old_appraisal_date():
    building = c_building()

    response = writer("building").patch(
        f"{API}/buildings/{building.pk}/", {"safety_grade": "A"}, format="json"
    )

    assert response.status_code == 400
    building.refresh_from_db()
    assert building.safety_grade == "C"


def test_the_api_still_edits_a_graded_buildings_other_fields():
    building = c_building()

    response = writer("building").patch(
        f"{API}/buildings/{building.pk}/", {"households": 40}, format="json"
    )

    assert response.status_code == 200, response.json()


def test_posting_an_appraisal_re_grades_the_building_and_records_why():
    building = c_building()
    client = writer("buildingappraisal")

    response = client.post(
        f"{API}/building-appraisals/",
        {
            "building": building.pk,
            "appraised_on": "2022-03-01",
            "grade": "B",
            "appraiser": APPRAISER,
            "note": "加固后复核",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["grade_display"]
    building.refresh_from_db()
    assert (building.safety_grade, building.appraised_on) == ("B", date(2022, 3, 1))
    assert building.history.first().history_change_reason == GRADE_FROM_APPRAISAL


def test_an_older_appraisal_is_recorded_but_the_newest_still_wins():
    building = c_building()

    building_appraisal_add(
        building=building, appraised_on=date(2020, 1, 1), grade="A", appraiser=APPRAISER
    )

    building.refresh_from_db()
    assert building.safety_grade == "C"
    assert building.appraisals.count() == 2


def test_an_appraisal_dated_in_the_future_is_refused():
    building = c_building()

    response = writer("buildingappraisal").post(
        f"{API}/building-appraisals/",
        {
            "building": building.pk,
            "appraised_on": (date.today() + timedelta(days=1)).isoformat(),
            "grade": "A",
            "appraiser": APPRAISER,
        },
        format="json",
    )

    assert response.status_code == 400
    assert "appraised_on" in response.json()
    building.refresh_from_db()
    assert building.safety_grade == "C"


def test_a_recorded_appraisal_is_never_changed_or_deleted_through_the_api():
    building = c_building()
    appraisal = building.appraisals.get()
    client = writer("buildingappraisal")

    assert (
        client.patch(
            f"{API}/building-appraisals/{appraisal.pk}/", {"grade": "A"}, format="json"
        ).status_code
        == 405
    )
    assert client.delete(f"{API}/building-appraisals/{appraisal.pk}/").status_code == 405
    assert (
        api_client().get(f"{API}/building-appraisals/?building={building.pk}").json()["count"] == 1
    )


def test_a_building_entered_with_its_grade_gets_that_appraisal_as_its_first_record():
    community = make_community()

    response = writer("building").post(
        f"{API}/buildings/",
        {
            "community": community.pk,
            "label": "3号楼",
            "storeys": 6,
            "entrance_units": 3,
            "households": 36,
            "safety_grade": "C",
            "appraised_on": "2021-05-01",
            "appraiser": APPRAISER,
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    appraisal = BuildingAppraisal.objects.get(building_id=response.json()["id"])
    assert (appraisal.grade, appraisal.appraised_on) == ("C", date(2021, 5, 1))


def test_the_appraisal_list_runs_the_same_queries_for_2_and_6_rows(django_assert_num_queries):
    for _n in range(2):
        c_building()
    client = api_client(make_user())
    client.get(f"{API}/building-appraisals/")

    # the token with its user, count, page (with the building joined)
    with django_assert_num_queries(3):
        assert client.get(f"{API}/building-appraisals/").status_code == 200
    for _n in range(4):
        c_building()
    with django_assert_num_queries(3):
        assert client.get(f"{API}/building-appraisals/").json()["count"] == 6


# --- The admin --------------------------------------------------------------------------------


def test_the_admin_cannot_re_grade_a_building_by_editing_it(staff_client, admin_form_data):
    building = c_building()
    url = reverse("admin:communities_building_change", args=[building.pk])
    data = admin_form_data(staff_client.get(url))
    data.update(safety_grade="A", appraised_on="2022-01-10")

    staff_client.post(url, data)

    building.refresh_from_db()
    assert (building.safety_grade, building.appraised_on) == ("C", date(2021, 5, 1))


def test_the_admin_adds_an_appraisal_on_its_own_page_and_the_grade_follows(staff_client):
    building = c_building()

    response = staff_client.post(
        reverse("admin:communities_buildingappraisal_add"),
        {
            "building": building.pk,
            "appraised_on": "2022-03-01",
            "grade": "B",
            "appraiser": APPRAISER,
            "note": "",
        },
    )

    assert response.status_code == 302
    building.refresh_from_db()
    assert building.safety_grade == "B"


def test_the_building_inline_of_a_community_refuses_a_new_grade(
    staff_client, admin_form_data, admin_errors
):
    building = c_building()
    url = reverse("admin:communities_community_change", args=[building.community_id])
    data = admin_form_data(staff_client.get(url))
    data["buildings-0-safety_grade"] = "A"

    response = staff_client.post(url, data)

    assert "buildings-0-safety_grade" in admin_errors(response)
    building.refresh_from_db()
    assert building.safety_grade == "C"


# --- Imports ----------------------------------------------------------------------------------


def _csv(tmp_path, name: str, lines: list[str]):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_an_import_that_re_grades_a_building_is_refused(tmp_path):
    building = c_building()
    path = _csv(
        tmp_path,
        "buildings.csv",
        [
            "id,community,label,storeys,safety_grade,appraised_on",
            f"{building.pk},{building.community_id},{building.label},6,A,2021-05-01",
        ],
    )
    err = StringIO()

    with pytest.raises(CommandError, match="1 invalid row"):
        call_command("import_records", "building", path, stderr=err, stdout=StringIO())

    assert "safety_grade" in err.getvalue()
    building.refresh_from_db()
    assert building.safety_grade == "C"


def test_an_imported_appraisal_re_grades_its_building(tmp_path):
    building = c_building()
    path = _csv(
        tmp_path,
        "appraisals.csv",
        [
            "id,building,appraised_on,grade,appraiser",
            f",{building.pk},2022-03-01,B,{APPRAISER}",
        ],
    )

    call_command("import_records", "buildingappraisal", path, stdout=StringIO())

    building.refresh_from_db()
    assert (building.safety_grade, building.appraised_on) == ("B", date(2022, 3, 1))


def test_an_import_cannot_change_a_recorded_appraisal(tmp_path):
    building = c_building()
    appraisal = building.appraisals.get()
    path = _csv(
        tmp_path,
        "appraisals.csv",
        [
            "id,building,appraised_on,grade,appraiser",
            f"{appraisal.pk},{building.pk},2021-05-01,A,{APPRAISER}",
        ],
    )

    with pytest.raises(CommandError):
        call_command(
            "import_records", "buildingappraisal", path, stderr=StringIO(), stdout=StringIO()
        )

    appraisal.refresh_from_db()
    assert appraisal.grade == "C"


# --- The data migration -----------------------------------------------------------------------


def test_the_migration_gives_every_graded_building_one_appraisal_record():
    graded = make_building(
        safety_grade=SafetyGrade.D, appraised_on=date(2020, 6, 1), appraiser=APPRAISER
    )
    unappraised = make_building()
    migration = importlib.import_module("communities.migrations.0024_fw_building_appraisals")

    migration.appraisals_from_grades(apps, None)
    migration.appraisals_from_grades(apps, None)  # a second run adds nothing

    record = graded.appraisals.get()
    assert (record.grade, record.appraised_on, record.appraiser) == (
        "D",
        date(2020, 6, 1),
        APPRAISER,
    )
    assert not unappraised.appraisals.exists()
