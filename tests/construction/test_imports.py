"""Inspections and orders from spreadsheets: every row checked like a form, all or nothing."""

from datetime import timedelta
from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from communities.construction.models import Inspection, RectificationOrder
from communities.core import clock
from tests.support.construction import make_finding, make_party
from tests.support.factories import make_item

pytestmark = pytest.mark.django_db


def _book(path, header, rows):
    book = openpyxl.Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_inspections_import_from_xlsx(tmp_path):
    item = make_item()
    path = _book(
        tmp_path / "inspections.xlsx",
        ["id", "community", "item", "visited_on", "inspector", "kind", "note"],
        [["", item.community_id, item.pk, "2024-05-10", "市住建局 张工", "safety", "脚手架"]],
    )

    call_command("import_records", "inspection", str(path), stdout=StringIO())

    assert Inspection.objects.get().inspector == "市住建局 张工"


def test_one_bad_row_refuses_the_whole_file_and_says_which(tmp_path):
    finding = make_finding()
    other = make_finding(inspection=finding.inspection)
    party = make_party()
    today = clock.today()
    path = _book(
        tmp_path / "orders.xlsx",
        ["id", "finding", "contractor", "issued_on", "deadline"],
        [
            ["", finding.pk, party.credit_code, today.isoformat(), today.isoformat()],
            [
                "",
                other.pk,
                party.credit_code,
                today.isoformat(),
                (today - timedelta(days=1)).isoformat(),
            ],
        ],
    )
    err = StringIO()

    with pytest.raises(CommandError, match="1 invalid row"):
        call_command(
            "import_records", "rectificationorder", str(path), stderr=err, stdout=StringIO()
        )

    assert not RectificationOrder.objects.exists()
    assert err.getvalue().startswith("row 3")
