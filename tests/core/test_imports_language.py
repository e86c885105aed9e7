"""Import and export in the user's language: the fields' names as column headers, choice labels
as values, both read back (in either language, or as the codes of older files); the import
page links its template, the list links its deleted records, and the export page's "Select all"
needs no inline script."""

import csv
import io
from datetime import date
from decimal import Decimal
from io import StringIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from import_export.formats.base_formats import CSV, XLSX

from communities.access.choices import Role
from communities.core.management.commands.import_records import importable
from communities.places.choices import RenovationStatus
from communities.places.models import Community
from communities.places.services import building_appraisal_add
from communities.works.models.items import RenovationKind
from tests.support.construction import make_finding, make_inspection, make_order
from tests.support.factories import (
    make_busy_community,
    make_community,
    make_district,
    make_facility,
    make_funding,
    make_item,
)
from tests.support.returns import make_annual_plan, make_quantity
from tests.support.roles import grant

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:communities_community_changelist")
EXPORT = reverse("admin:communities_community_export")
IMPORT = reverse("admin:communities_community_import")
PROCESS = reverse("admin:communities_community_process_import")
XLSX_FORMAT, CSV_FORMAT = "0", "1"  # IMPORT_EXPORT_FORMATS: xlsx, csv
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def taishan():
    return make_district(code="370902", name="泰山区")


@pytest.fixture
def communities(taishan):
    return [
        make_community(
            district=taishan,
            name="岱宗小区",
            renovation_status=RenovationStatus.COMPLETED,
            is_demonstration=True,
            demonstration_note="样板",
        ),
        make_community(district=taishan, name="红门小区", households=250),
        make_community(
            district=taishan,
            name="普照小区",
            renovation_status=RenovationStatus.PLANNED,
            floor_area_m2=Decimal("12345.67"),
        ),
    ]


def export_xlsx(client: Client) -> bytes:
    form = client.get(EXPORT).context["form"]
    data = {"format": XLSX_FORMAT, "resource": "0"}
    data.update({name: "on" for name in form.fields if name.startswith("communityresource_")})
    response = client.post(EXPORT, data)
    assert response.status_code == 200
    return response.content


def sheet_rows(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def preview(client: Client, content: bytes, name: str, fmt: str):
    upload = SimpleUploadedFile(name, content)
    return client.post(IMPORT, {"import_file": upload, "format": fmt, "resource": "0"})


def confirm(client: Client, previewed):
    form = previewed.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    return client.post(PROCESS, {k: v for k, v in data.items() if v is not None})


def snapshot() -> dict[int, dict]:
    return {
        community.pk: model_to_dict(community) for community in Community.objects.order_by("pk")
    }


def test_an_export_speaks_chinese_and_imports_back_unchanged(staff_client, communities):
    before = snapshot()

    content = export_xlsx(staff_client)

    header, *rows = sheet_rows(content)
    assert header[:4] == ["ID", "名称", "区县", "街道"]
    assert "改造状态" in header and "示范项目" in header
    assert not any("_" in str(name) for name in header)  # no field codes
    status = [row[header.index("改造状态")] for row in rows]
    assert sorted(status) == sorted(["已完工", "未启动", "计划中"])

    previewed = preview(staff_client, content, "communities.xlsx", XLSX_FORMAT)

    result = previewed.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert (result.totals["new"], result.totals["update"]) == (0, 3)
    done = confirm(staff_client, previewed)
    assert done.status_code == 302
    assert snapshot() == before


def test_a_csv_in_english_with_english_labels_imports(staff_client, taishan):
    out = StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["ID", "Name", "District", "Households", "Renovation batch year", "Renovation status"]
    )
    writer.writerow(["", "English Court", "370902", "80", "2025", "Planned"])
    writer.writerow(["", "Second Court", "370902", "90", "", "not started"])
    writer.writerow(["", "Third Court", "370902", "70", "2025", "计划中"])

    previewed = preview(staff_client, out.getvalue().encode(), "c.csv", CSV_FORMAT)

    result = previewed.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    confirm(staff_client, previewed)
    statuses = dict(Community.objects.values_list("name", "renovation_status"))
    assert statuses == {
        "English Court": RenovationStatus.PLANNED,
        "Second Court": RenovationStatus.NOT_STARTED,
        "Third Court": RenovationStatus.PLANNED,
    }


def test_a_value_that_is_no_choice_is_an_error_on_its_row(staff_client, taishan):
    out = StringIO()
    writer = csv.writer(out)
    writer.writerow(["名称", "区县", "改造状态"])
    writer.writerow(["甲小区", "370902", "已完工了"])

    previewed = preview(staff_client, out.getvalue().encode(), "c.csv", CSV_FORMAT)

    [invalid] = previewed.context["result"].invalid_rows
    assert "renovation_status" in invalid.error_dict
    assert not Community.objects.exists()


def test_the_command_reads_chinese_headers_and_labels(tmp_path, taishan):
    path = tmp_path / "communities.csv"
    path.write_text(
        "名称,区县,建成年份,住户,改造状态,改造批次年度,开工日期\n"
        "命令小区,370902,1996,60,施工中,2024,2024-04-01\n",
        encoding="utf-8-sig",
    )

    call_command("import_records", "community", str(path), stdout=StringIO())

    community = Community.objects.get(name="命令小区")
    assert community.renovation_status == RenovationStatus.UNDER_CONSTRUCTION
    assert community.started_on == date(2024, 4, 1)


def test_the_template_has_the_headers_an_import_reads_back(staff_client, taishan):
    template = staff_client.get(
        reverse("admin:communities_community_import_template", args=["xlsx"])
    )
    [header] = sheet_rows(template.content)
    workbook = openpyxl.Workbook()
    workbook.active.append(header)
    values = {"名称": "模板小区", "区县": "370902", "改造状态": "未启动"}
    workbook.active.append([values.get(name) for name in header])
    filled = io.BytesIO()
    workbook.save(filled)

    previewed = preview(staff_client, filled.getvalue(), "template.xlsx", XLSX_FORMAT)

    result = previewed.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 1


def test_the_import_page_lists_field_names_and_links_the_template(staff_client):
    page = staff_client.get(IMPORT)

    content = page.content.decode()
    assert reverse("admin:communities_community_import_template", args=["xlsx"]) in content
    assert reverse("admin:communities_community_import_template", args=["csv"]) in content
    [(_resource, fields)] = page.context["fields_list"]
    assert fields[:3] == ["ID", "名称", "区县"]
    assert "floor_area_m2" not in fields


def test_the_export_page_names_fields_and_has_no_inline_script(staff_client):
    page = staff_client.get(EXPORT)

    content = page.content.decode()
    assert "onchange=" not in content and "onclick=" not in content
    assert "communities/export.js" in content
    labels = [str(field.label) for field in page.context["form"].visible_fields()]
    assert "名称" in labels and "Floor Area M2" not in labels


def test_the_list_links_its_deleted_records_for_those_who_may_restore(
    staff_client, django_user_model, taishan
):
    deleted = reverse("admin:communities_community_deleted")
    assert f'href="{deleted}"' in staff_client.get(CHANGELIST).content.decode()

    django_user_model.objects.create_user("viewer")
    grant("viewer", Role.VIEWER)
    viewer = Client()
    viewer.force_login(django_user_model.objects.get(username="viewer"))
    page = viewer.get(CHANGELIST)
    assert page.status_code == 200
    assert deleted not in page.content.decode()


@pytest.mark.parametrize("file_format", [XLSX, CSV], ids=["xlsx", "csv"])
def test_every_importable_model_round_trips_in_chinese(file_format, taishan):
    community = make_busy_community(district=taishan)
    make_funding(item=make_item(community=community))
    make_facility(community=community)
    water = make_item(community=community, kind=RenovationKind.objects.get(code="water-drainage"))
    make_quantity(item=water, measure="drainage_pipe", amount=Decimal("0.80"))
    make_annual_plan(district=taishan, communities=[community])
    building_appraisal_add(  # an appraisal record (issue 15)
        building=community.buildings.first(),
        appraised_on=date(2021, 5, 1),
        grade="B",
        appraiser="泰安市房屋安全鉴定中心",
    )
    make_order(finding=make_finding(inspection=make_inspection(community=community)))
    for model_name, resource_class in importable().items():
        model = resource_class._meta.model
        before = [model_to_dict(row) for row in model._default_manager.order_by("pk")]
        assert before, model_name
        fmt = file_format()
        exported = fmt.export_data(resource_class().export())
        if not fmt.is_binary():
            exported = exported.encode() if isinstance(exported, str) else exported
            dataset = fmt.create_dataset(exported.decode("utf-8-sig"))
        else:
            dataset = fmt.create_dataset(exported)
        assert not any("_" in str(header) for header in dataset.headers), model_name

        result = resource_class().import_data(dataset, dry_run=False, raise_errors=False)

        assert not result.has_errors() and not result.has_validation_errors(), (
            model_name,
            [row.error_dict for row in result.invalid_rows],
            [str(e.error) for _n, errors in result.row_errors() for e in errors],
        )
        after = [model_to_dict(row) for row in model._default_manager.order_by("pk")]
        assert after == before, model_name
