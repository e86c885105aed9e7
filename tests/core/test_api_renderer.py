"""The API's JSON renderer (communities.core.api.renderers) writes DRF's own bytes."""

import json
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from communities.core.api.renderers import JSONRenderer
from tests.support.api import API, api_client
from tests.support.factories import make_community

SHANGHAI = ZoneInfo("Asia/Shanghai")

AWKWARD = {
    "text": '泰山区 «quotes» "and" \\ back\nslash\ttab \x00 nul \U0001f3e0',
    "separators": "line\u2028paragraph\u2029end",
    "numbers": [0, -1, 2**63 - 1, 1.5, 0.1, 1e16, 1.25e-4, -0.0, True, False, None],
    "decimals": [Decimal("12345.67"), Decimal("0.10"), Decimal("-3")],
    "dates": [date(2026, 12, 6), date(9999, 12, 31), date(1, 1, 1)],
    "datetimes": [
        datetime(2026, 12, 6, 8, 30, tzinfo=UTC),
        datetime(2026, 12, 6, 8, 30, 15, 123456, tzinfo=UTC),
        datetime(2026, 12, 6, 16, 30, tzinfo=SHANGHAI),
        datetime(2026, 12, 6, 16, 30),
    ],
    "times": [time(8, 30), time(23, 59, 59, 999999)],
    "durations": [timedelta(days=1, seconds=3)],
    "lazy": gettext_lazy("District"),
    "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "tuple": (1, "two"),
    "set": {3},
    "bytes": b"raw",
    "nested": OrderedDict(
        a=ReturnDict({"b": ReturnList([{"c": [[[]]]}], serializer=None)}, serializer=None)
    ),
    "empty": {},
}


def _both(data, media_type=None, context=None) -> tuple[bytes, bytes]:
    return (
        JSONRenderer().render(data, media_type, context),
        renderers.JSONRenderer().render(data, media_type, context),
    )


def test_awkward_values_are_written_byte_for_byte_as_drf_writes_them():
    ours, drf = _both(AWKWARD)
    assert ours == drf
    assert b"\\u2028" in ours and b"\\u2029" in ours  # escaped, as DRF does for JavaScript


@pytest.mark.parametrize(
    "data",
    [
        {1: "an integer key"},  # orjson refuses keys that are not strings; json writes "1"
        {"id": 10**20},  # beyond 64 bits: orjson refuses, json writes it
    ],
    ids=["integer key", "20-digit integer"],
)
def test_what_orjson_refuses_is_written_by_drf_as_before(data):
    ours, drf = _both(data)
    assert ours == drf


def test_a_float_below_1e_minus_4_has_the_same_value_with_a_shorter_exponent():
    ours, drf = _both({"rate": 1e-7})
    assert (ours, drf) == (b'{"rate":1e-7}', b'{"rate":1e-07}')
    assert json.loads(ours) == json.loads(drf)


def test_indented_json_is_drfs_own():
    ours, drf = _both(AWKWARD, "application/json; indent=4")
    assert ours == drf and b'\n    "text"' in ours


def test_what_drf_refuses_is_still_refused():
    @dataclass
    class Point:
        x: int

    with pytest.raises(TypeError):
        JSONRenderer().render({"point": Point(1)})


def test_a_float_that_is_not_a_number_is_null_instead_of_a_server_error():
    with pytest.raises(ValueError):
        renderers.JSONRenderer().render({"rate": float("nan")})
    assert JSONRenderer().render({"rate": float("nan"), "top": float("inf")}) == (
        b'{"rate":null,"top":null}'
    )


def test_nothing_renders_as_nothing():
    assert _both(None) == (b"", b"")


@pytest.mark.django_db
def test_api_answers_are_written_by_it_with_drfs_bytes():
    community = make_community(name="岱庙东苑\u2028")
    response = api_client().get(f"{API}/communities/{community.pk}/")
    assert response.status_code == 200
    assert isinstance(response.accepted_renderer, JSONRenderer)
    data = response.data
    assert response.content == renderers.JSONRenderer().render(data)
