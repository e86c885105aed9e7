"""The range every date, whole number and id from outside must lie in, written once.

A date near year 1 or 9999 overflows as soon as the code adds a day or makes it aware; a
20-digit id overflows the database's bigint (PostgreSQL answers DataError, SQLite
OverflowError); a NUL byte is refused by PostgreSQL in any text. Each of those would be a 500.
Here they are refused where they come in, with a 400 naming the parameter, or a 404 for a
path segment that cannot name anything:

- ``DateField`` / ``IntegerField``: form fields (django-filter filters use them, see
  ``communities.core.filters``);
- ``bound_serializer_field``: the same bounds on a DRF field (``QuerySerializer`` applies it
  to every query parameter);
- ``bounded_moment`` / ``parse_id`` / ``is_path_text``: for plain views (Open311, the public
  site);
- ``fits_key``: a related record's key posted to the admin (its autocomplete widgets and
  many-to-many fields look keys up with ``__in``, which SQLite refuses beyond 64 bits).
"""

from datetime import date, datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Every date the application deals with (a building's construction, a contract's end, a
# query's window) lies well inside these; a margin of centuries stays far from Python's and
# the databases' limits whatever is added to it.
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2200, 12, 31)
# A signed 64-bit integer: PostgreSQL's bigint, SQLite's INTEGER, every id column.
INT_MIN = -(2**63)
INT_MAX = 2**63 - 1

DATE_RANGE_MESSAGE = _("Enter a date between %(min)s and %(max)s.")


def date_range_message() -> str:
    return DATE_RANGE_MESSAGE % {"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()}


def date_in_range(value: date | datetime) -> bool:
    day = value.date() if isinstance(value, datetime) else value
    return DATE_MIN <= day <= DATE_MAX


@deconstructible
class DateRangeValidator:
    """A date or date-time between ``DATE_MIN`` and ``DATE_MAX``."""

    code = "date_out_of_range"

    def __call__(self, value) -> None:
        if value is not None and not date_in_range(value):
            raise ValidationError(date_range_message(), code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, DateRangeValidator)


validate_date_range = DateRangeValidator()


def int_validators() -> list:
    return [MinValueValidator(INT_MIN), MaxValueValidator(INT_MAX)]


# --- Form fields (django-filter, the public site's forms) -------------------------------------


class DateField(forms.DateField):
    """A ``YYYY-MM-DD`` date inside ``DATE_MIN``..``DATE_MAX``."""

    default_validators = [validate_date_range]


class IntegerField(forms.IntegerField):
    """A whole number that fits a 64-bit column (unless narrower bounds are given)."""

    def __init__(self, *, min_value=None, max_value=None, **kwargs):
        super().__init__(
            min_value=INT_MIN if min_value is None else min_value,
            max_value=INT_MAX if max_value is None else max_value,
            **kwargs,
        )


# --- DRF fields --------------------------------------------------------------------------------


def bound_serializer_field(field) -> None:
    """Add the bounds to a DRF field that has none: dates and date-times inside the date range,
    whole numbers inside 64 bits. Other fields are left as they are (a related field looks its
    value up by primary key, which Django already answers "not found" past the column's range).
    """
    from rest_framework import serializers

    if isinstance(field, serializers.DateField | serializers.DateTimeField):
        if not any(isinstance(v, DateRangeValidator) for v in field.validators):
            field.validators = [*field.validators, validate_date_range]
    elif isinstance(field, serializers.IntegerField):
        if field.max_value is None:
            field.max_value = INT_MAX
            field.validators = [*field.validators, MaxValueValidator(INT_MAX)]
        if field.min_value is None:
            field.min_value = INT_MIN
            field.validators = [*field.validators, MinValueValidator(INT_MIN)]


# --- Plain views -------------------------------------------------------------------------------


def bounded_moment(value: datetime | date, *, end: bool = False) -> datetime:
    """An aware date-time of ``value`` (a date is its day's start, or its end when ``end``),
    refused with ``ValidationError`` outside the range: only then is it safe to make aware and
    to add a window to."""
    if not date_in_range(value):
        raise ValidationError(date_range_message(), code=DateRangeValidator.code)
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.max if end else time.min)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def parse_id(value: str) -> int | None:
    """The id a path or parameter names: ``None`` unless it is ASCII digits that fit the
    column (an id that cannot exist is simply not found)."""
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if number <= INT_MAX else None


def fits_key(field, value) -> bool:
    """Whether ``value`` can be looked up as ``field`` (a record's key): of its type, and a whole
    number within ``INT_MIN``..``INT_MAX`` (an id that cannot exist is simply not found)."""
    try:
        key = field.to_python(value)
    except ValidationError:
        return False
    return not isinstance(key, int) or INT_MIN <= key <= INT_MAX


def is_path_text(value: str) -> bool:
    """Whether a path segment can name a stored record: never with a NUL byte, which
    PostgreSQL refuses in any text (the lookup would be a 500, not a "not found")."""
    return "\x00" not in value


# The bodies a form view reads; anything else posted to one is refused by name.
FORM_CONTENT_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


# --- Model fields -----------------------------------------------------------------------------


class BoundedDateField(models.DateField):
    """A model date inside ``DATE_MIN``..``DATE_MAX`` on every surface: the model's own
    validation (imports, services' ``full_clean()``), the admin's form field (the value never
    reaches ``clean()``, whose date arithmetic would overflow) and the API's serializer field
    (DRF copies the model field's validators). The column is a plain ``DateField``: migrations
    see one, so nothing in the database changes."""

    default_validators = [validate_date_range]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": DateField, **kwargs})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateField", args, kwargs
