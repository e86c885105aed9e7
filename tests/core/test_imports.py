"""Spreadsheet import and export: admin (template, preview, all-or-nothing, scope), export with
filters, and the management command for large files."""

import csv
import io
from io import StringIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils.text import capfirst

from communities.access.choices import Role
from communities.core.history import EditSource
from communities.places.choices import RenovationStatus
from communities.places.models import Building, Community
from tests.support.caching import token_writes
from tests.support.factories import make_community, make_district
from tests.support.roles import grant

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:communities_community_import")
PROCESS = reverse("admin:communities_community_process_import")
CSV_FORMAT = "1"  # IMPORT_EXPORT_FORMATS: xlsx, csv
COLUMNS = ["id", "name", "district", "year_built", "households", "renovation_status"]


@pytest.fixture
def taishan():
    return make_district(code="370902", name="泰山区")


@pytest.fixture
def daiyue():
    return make_district(code="370911", name="岱岳区")


def csv_file(rows: list[dict], columns=COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def row(n: int, district: str = "370902", **extra) -> dict:
    return {
        "id": "",
        "name": f"导入小区{n}",
        "district": district,
        "year_built": "1995",
        "households": "120",
        "renovation_status": RenovationStatus.NOT_STARTED,
        **extra,
    }


def preview(client: Client, content: bytes, name: str = "communities.csv"):
    upload = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(IMPORT, {"import_file": upload, "format": CSV_FORMAT, "resource": "0"})


def confirm(client: Client, previewed):
    form = previewed.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    return client.post(PROCESS, {k: v for k, v in data.items() if v is not None})


def clerk_client(django_user_model, district) -> Client:
    django_user_model.objects.create_user("clerk")
    grant("clerk", Role.DISTRICT_STAFF, "--district", district.code)
    client = Client()
    client.force_login(django_user_model.objects.get(username="clerk"))
    return client


# --- The admin ----------------------------------------------------------------------------------


def test_the_import_template_lists_the_columns_to_fill_in(staff_client):
    xlsx = staff_client.get(reverse("admin:communities_community_import_template", args=["xlsx"]))
    plain = staff_client.get(reverse("admin:communities_building_import_template", args=["csv"]))

    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    header = [cell.value for cell in next(sheet.iter_rows())]
    assert header[:3] == ["ID", "名称", "区县"]  # the fields' names, in the user's language
    assert sheet.max_row == 1
    columns = [
        "community",
        "label",
        "storeys",
        "entrance_units",
        "households",
        "year_built",
        "safety_grade",
        "appraised_on",
        "appraiser",
    ]
    names = [str(capfirst(Building._meta.get_field(name).verbose_name)) for name in columns]
    assert plain.content.decode("utf-8-sig").splitlines() == [",".join(["ID", *names])]


def test_an_import_is_previewed_then_saved_on_confirmation(staff_client, taishan):
    existing = make_community(district=taishan, name="老名字")
    content = csv_file([row(1), row(2, id=str(existing.pk), name="新名字")])

    previewed = preview(staff_client, content)

    result = previewed.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert (result.totals["new"], result.totals["update"]) == (1, 1)
    assert not Community.objects.filter(name="导入小区1").exists()  # a preview saves nothing

    done = confirm(staff_client, previewed)

    assert done.status_code == 302
    assert Community.objects.filter(name="导入小区1", district=taishan).exists()
    existing.refresh_from_db()
    assert existing.name == "新名字"
    assert existing.history.latest().history_change_reason == EditSource.IMPORT


def test_an_import_with_one_bad_row_in_a_thousand_changes_nothing_and_names_that_row(
    staff_client, taishan
):
    rows = [row(n) for n in range(1000)]
    rows[736]["households"] = "-5"

    previewed = preview(staff_client, csv_file(rows))

    result = previewed.context["result"]
    [invalid] = result.invalid_rows
    assert invalid.number == 737  # the 737th data row (line 738 of the file)
    assert "households" in invalid.error_dict
    assert "confirm_form" not in previewed.context
    assert not Community.objects.exists()
    assert "737" in previewed.content.decode()


def test_an_import_checks_each_row_like_the_form_does(staff_client, taishan, english):
    rows = [row(1, year_built="2030"), row(2, renovation_status="bogus"), row(3, district="1")]

    result = preview(staff_client, csv_file(rows)).context["result"]

    errors = {invalid.number: invalid.error_dict for invalid in result.invalid_rows}
    assert set(errors) == {1, 2, 3}
    assert "year_built" in errors[1]
    assert "renovation_status" in errors[2]
    assert "district" in errors[3]


def test_district_staff_cannot_import_into_another_district(django_user_model, taishan, daiyue):
    theirs = make_community(district=daiyue, name="外区小区")
    client = clerk_client(django_user_model, taishan)
    rows = [row(1), row(2, district=daiyue.code), row(3, id=str(theirs.pk), district="370902")]

    result = preview(client, csv_file(rows)).context["result"]

    errors = {invalid.number: invalid.error_dict for invalid in result.invalid_rows}
    assert set(errors) == {2, 3}
    assert "id" in errors[3]
    theirs.refresh_from_db()
    assert (theirs.name, theirs.district) == ("外区小区", daiyue)
    assert Community.objects.count() == 1


def test_a_viewer_may_export_but_not_import(django_user_model, taishan):
    django_user_model.objects.create_user("auditor")
    grant("auditor", Role.VIEWER)
    client = Client()
    client.force_login(django_user_model.objects.get(username="auditor"))

    assert client.get(IMPORT).status_code == 403
    assert client.get(reverse("admin:communities_community_export")).status_code == 200


def test_an_export_holds_the_lists_filter_and_the_users_scope(django_user_model, taishan, daiyue):
    make_community(district=taishan, name="甲", renovation_status=RenovationStatus.COMPLETED)
    make_community(district=taishan, name="乙")
    make_community(district=daiyue, name="丙", renovation_status=RenovationStatus.COMPLETED)
    client = clerk_client(django_user_model, taishan)
    url = reverse("admin:communities_community_export")
    query = f"?renovation_status__exact={RenovationStatus.COMPLETED}"

    page = client.get(url + query)
    form = page.context["form"]
    data = {"format": CSV_FORMAT, "resource": "0"}
    data.update({name: "on" for name in form.fields if name.startswith("communityresource_")})
    exported = client.post(url + query, data)

    assert exported.status_code == 200
    lines = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert [line["名称"] for line in lines] == ["甲"]


# --- The command --------------------------------------------------------------------------------


def test_the_command_imports_a_large_file(tmp_path, taishan, django_user_model):
    path = tmp_path / "communities.csv"
    path.write_bytes(csv_file([row(n) for n in range(300)]))
    out = StringIO()

    call_command("import_records", "community", str(path), stdout=out)

    assert Community.objects.count() == 300
    assert "300 new" in out.getvalue()
    assert Community.history.filter(history_change_reason=EditSource.IMPORT).count() == 300


def test_an_import_replaces_the_public_cache_tokens_once_not_once_a_row(
    tmp_path, taishan, staff_client, monkeypatch
):
    from communities.reporting import selectors

    writes = token_writes(monkeypatch)
    tokens = sorted({"public-pages:version", selectors._VERSION_KEY})
    path = tmp_path / "communities.csv"
    path.write_bytes(csv_file([row(n) for n in range(20)]))

    call_command("import_records", "community", str(path), stdout=StringIO())

    assert Community.objects.count() == 20
    assert sorted(writes) == tokens
    writes.clear()
    previewed = preview(staff_client, csv_file([row(n) for n in range(20, 30)]))
    assert confirm(staff_client, previewed).status_code == 302
    assert Community.objects.count() == 30
    # The preview (rolled back) and the confirmed import: each replaces each token once.
    assert sorted(writes) == sorted(tokens * 2)


def test_the_command_refuses_the_whole_file_for_one_bad_row(tmp_path, taishan):
    rows = [row(n) for n in range(1000)]
    rows[499]["year_built"] = "abc"
    path = tmp_path / "communities.csv"
    path.write_bytes(csv_file(rows))
    err = StringIO()

    with pytest.raises(CommandError, match="1 invalid row"):
        call_command("import_records", "community", str(path), stderr=err, stdout=StringIO())

    assert not Community.objects.exists()
    assert err.getvalue().startswith("row 501: year_built")


def test_the_command_imports_as_a_user_within_their_scope(
    tmp_path, taishan, daiyue, django_user_model
):
    community = make_community(district=daiyue)
    path = tmp_path / "buildings.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["id", "community", "label", "storeys", "households"])
    book.active.append(["", community.pk, "1号楼", 6, 24])
    book.save(path)
    django_user_model.objects.create_user("clerk")
    grant("clerk", Role.DISTRICT_STAFF, "--district", taishan.code)

    with pytest.raises(CommandError):
        call_command("import_records", "building", str(path), "--user", "clerk", stderr=StringIO())
    call_command("import_records", "building", str(path), "--dry-run", stdout=StringIO())
    assert not Building.objects.exists()

    call_command("import_records", "building", str(path), stdout=StringIO())
    assert Building.objects.get().label == "1号楼"
