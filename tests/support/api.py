"""What the API tests share: clients, users with permissions, checks against the schema.

No tests live here; the API test modules import these helpers.
"""

import functools
import itertools
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from jsonschema import Draft202012Validator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from communities.elevators.choices import ElevatorStage
from tests.support.factories import make_elevator

API = "/api/v1"

_addresses = itertools.count(1)
_usernames = itertools.count(1)


def api_client(user=None) -> APIClient:
    """A client with its own address, authenticated by token when a user is given.

    Each client comes from a fresh address so the anonymous throttle (per address, kept in
    the process-wide cache) never carries over from one test to the next.
    """
    number = next(_addresses)
    client = APIClient(
        REMOTE_ADDR=f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
    )
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def make_user(*permissions: str, is_staff: bool = False, is_superuser: bool = False):
    """A user holding the given ``app_label.codename`` permissions."""
    user = get_user_model().objects.create_user(
        f"api-user-{next(_usernames)}",
        password="pw-api-9x!",
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    for permission in permissions:
        app_label, codename = permission.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


def writer(model: str, *, is_staff: bool = False):
    """A client whose user may add, change, delete and view the given model."""
    actions = ("add", "change", "delete", "view")
    return api_client(
        make_user(*(f"communities.{action}_{model}" for action in actions), is_staff=is_staff)
    )


# --- The schema -------------------------------------------------------------------------------


@functools.cache
def openapi_document() -> dict:
    """The API's OpenAPI document as ``/api/schema/`` serves it (in English)."""
    with translation.override("en"):
        return SchemaGenerator().get_schema(request=None, public=True)


def _as_json_schema(schema: Any) -> Any:
    """An OpenAPI 3.0 schema as JSON Schema 2020-12, strict: undocumented properties fail."""
    if not isinstance(schema, dict):
        return schema
    converted = dict(schema)
    if "properties" in converted:
        converted["properties"] = {
            name: _as_json_schema(value) for name, value in converted["properties"].items()
        }
        converted.setdefault("additionalProperties", False)
    for key in ("items", "additionalProperties", "not"):
        if isinstance(converted.get(key), dict):
            converted[key] = _as_json_schema(converted[key])
    for key in ("allOf", "oneOf", "anyOf"):
        if key in converted:
            converted[key] = [_as_json_schema(item) for item in converted[key]]
    if converted.pop("nullable", False):
        if "type" in converted and "enum" not in converted:
            converted["type"] = [converted["type"], "null"]
        else:
            converted = {"anyOf": [converted, {"type": "null"}]}
    return converted


def response_schema(path: str, method: str = "get", status: int = 200) -> dict:
    document = openapi_document()
    operation = document["paths"][path][method]
    content = operation["responses"][str(status)]["content"]["application/json"]
    return {
        **_as_json_schema(content["schema"]),
        "components": {
            "schemas": {
                name: _as_json_schema(schema)
                for name, schema in document["components"]["schemas"].items()
            }
        },
    }


def assert_matches_schema(data: Any, path: str, method: str = "get", status: int = 200) -> None:
    """The response body is exactly what the schema documents for this operation."""
    validator = Draft202012Validator(
        response_schema(path, method, status), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(data), key=lambda error: list(error.absolute_path))
    assert not errors, "\n".join(
        f"{list(error.absolute_path)}: {error.message}" for error in errors[:10]
    )


# --- Data -------------------------------------------------------------------------------------

_registrations = itertools.count(1)


def in_service_elevator(**fields):
    """An elevator retrofit in service, its stages a month apart (a notice lasts 20 days)."""
    stage_dates = {
        "intention_on": date(2021, 1, 4),
        "consent_on": date(2021, 2, 1),
        "design_on": date(2021, 3, 1),
        "notice_on": date(2021, 4, 1),
        "approved_on": date(2021, 5, 6),
        "construction_on": date(2021, 6, 1),
        "accepted_on": date(2021, 9, 1),
        "in_service_on": date(2021, 10, 8),
    }
    return make_elevator(
        **{
            "stage": ElevatorStage.IN_SERVICE,
            "registration_number": f"TA-2021-{next(_registrations):04d}",
            "total_cost": Decimal("280000.00"),
            "subsidy": Decimal("150000.00"),
            **stage_dates,
            **fields,
        }
    )
