"""The monthly return as tables (one per part of the survey), and those tables as an xlsx
workbook (one sheet per table, numbers as numbers, the region and period in each title row)
or as CSV (the same rows, each table after its title)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from communities.reporting.returns import SURVEY_SOURCES, WHAT, WINDOWS
from communities.works.choices import Measure, MeasureUnit

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _num(value):
    """A figure as a number (decimals kept exact, as Decimal: openpyxl writes them as numbers)."""
    if value is None or isinstance(value, int):
        return value
    return Decimal(str(value))


def return_tables(figures: dict) -> list[dict]:
    """The return's tables in the active language: ``title``, ``headers``, ``rows``."""
    what_labels = {
        "communities": _("Communities"),
        "households": _("Households"),
        "buildings": _("Buildings"),
    }
    window_labels = {
        "cumulative": _("cumulative"),
        "year_to_date": _("this year"),
        "month": _("this month"),
    }
    plan = figures["plan"]
    tables = [
        {
            "key": "plan",
            "title": _("Annual plan %(year)s") % {"year": plan["year"]},
            "headers": [_("Indicator"), _("Target")],
            "rows": [
                [what_labels["communities"], _num(plan["communities"])],
                [what_labels["households"], _num(plan["households"])],
                [what_labels["buildings"], _num(plan["buildings"])],
                [_("Investment (yuan)"), _num(plan["investment"])],
            ],
        }
    ]
    progress = figures["progress"]
    headers = [_("Indicator")]
    for label in (_("Started"), _("Completed")):
        headers += [f"{label} ({window_labels[w]})" for w in WINDOWS]
    tables.append(
        {
            "key": "progress",
            "title": _("Progress"),
            "headers": headers,
            "rows": [
                [what_labels[what]]
                + [
                    _num(progress[event][window][what])
                    for event in ("started", "completed")
                    for window in WINDOWS
                ]
                for what in WHAT
            ],
        }
    )
    rates = figures["rates"]
    tables.append(
        {
            "key": "rates",
            "title": _("Start and completion rates against the plan (%)"),
            "headers": [_("Indicator"), _("By communities"), _("By households")],
            "rows": [
                [
                    _("Start rate"),
                    _num(rates["start_rate_communities"]),
                    _num(rates["start_rate_households"]),
                ],
                [
                    _("Completion rate"),
                    _num(rates["completion_rate_communities"]),
                    _num(rates["completion_rate_households"]),
                ],
            ],
        }
    )
    investment = figures["investment"]
    tables.append(
        {
            "key": "investment",
            "title": _("Investment completed by source (yuan)"),
            "headers": [_("Source"), _("Cumulative"), _("This year")],
            "rows": [
                [
                    str(label),
                    _num(investment[key]["cumulative"]),
                    _num(investment[key]["year_to_date"]),
                ]
                for key, _source, label in SURVEY_SOURCES
            ]
            + [
                [
                    _("Total"),
                    _num(investment["total"]["cumulative"]),
                    _num(investment["total"]["year_to_date"]),
                ]
            ],
        }
    )
    quantities = figures["quantities"]
    tables.append(
        {
            "key": "quantities",
            "title": _("Quantities delivered"),
            "headers": [_("Measure"), _("Unit"), _("Cumulative"), _("This year")],
            "rows": [
                [
                    str(Measure(measure).label),
                    str(MeasureUnit(row["unit"]).label),
                    _num(row["cumulative"]),
                    _num(row["year_to_date"]),
                ]
                for measure, row in quantities.items()
            ],
        }
    )
    found = figures.get("variances")
    if found:
        tables.append(
            {
                "key": "variances",
                "title": _("Variances against the return submitted for %(period)s")
                % {"period": found["against"]["period"]},
                "headers": [_("Figure"), _("Submitted"), _("Now"), _("Change")],
                "rows": [
                    [
                        c["figure"],
                        _num(c["submitted"]) if _is_number(c["submitted"]) else c["submitted"],
                        _num(c["now"]) if _is_number(c["now"]) else c["now"],
                        _num(c["change"]),
                    ]
                    for c in found["changes"]
                ]
                + [[_("Record changed"), r["type"], r["name"], r["at"]] for r in found["records"]],
            }
        )
    return tables


def _is_number(value) -> bool:
    try:
        Decimal(str(value))
    except ArithmeticError:
        return False
    return value is not None


def title_row(figures: dict) -> str:
    return _("Old community renovation monthly return: %(region)s %(code)s, %(period)s") % {
        "region": figures["region_name"],
        "code": figures["region"],
        "period": figures["period"],
    }


def xlsx_bytes(figures: dict) -> bytes:
    """The workbook, in Chinese whatever the request's language (the survey's layout)."""
    with translation.override("zh-hans"):
        tables, title = return_tables(figures), title_row(figures)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(table["title"][:31].replace("/", "-"))
        sheet.append([f"{title} · {table['title']}"])
        sheet.append(table["headers"])
        for row in table["rows"]:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(figures: dict) -> str:
    """The same rows as the workbook, each table under its title row (in Chinese)."""
    with translation.override("zh-hans"):
        tables, title = return_tables(figures), title_row(figures)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for table in tables:
        writer.writerow([f"{title} · {table['title']}"])
        writer.writerow(table["headers"])
        writer.writerows(table["rows"])
        writer.writerow([])
    return buffer.getvalue()
