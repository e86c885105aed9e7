"""Importing and exporting records as spreadsheets (django-import-export).

One resource per importable model. Every row goes through the model's own ``full_clean()``
(the same rules as the admin's forms and the API), and through the importing user's scope: a
row for another district, or naming a record the user may not see, is an error on that row.
An import with any invalid row changes nothing (``IMPORT_EXPORT_USE_TRANSACTIONS`` and the
admin's rollback on validation errors; ``import_file`` does the same).

Related records are named by what people write in a spreadsheet: a district by its six-digit
code, a renovation kind by its code; communities, buildings and items by their id (shown in the
admin and in every export). A row with an empty ``id`` creates a record; a row with an ``id``
changes that record.

Columns are headed by the fields' names in the user's language (建成年份, not ``year_built``) and
a field with choices holds its label (已完工, not ``completed``). An import reads a column under
its name in either language or under its code (``year_built``, the header of files written
before), and a choice by its label in either language or by its code.

Every export writes text as data: a cell that a spreadsheet program would run as a formula
starts with a ``'`` (``communities.core.exports``), in every resource's xlsx and CSV alike.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db.models import Model
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from import_export import resources, widgets
from import_export.forms import SelectableFieldsExportForm

from communities.core import caching, exports
from communities.core.history import EditSource
from communities.core.scoping import district_path, scope_for, scope_queryset


def _district_id(instance: Model) -> int | None:
    """The district an unsaved record would belong to, read through its foreign keys."""
    path = district_path(type(instance))
    if path is None:
        return None
    if path == "":
        return instance.pk
    *hops, last = path.split("__")
    obj = instance
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


def _in_every_language(text) -> set[str]:
    """``text`` (a lazy translation) as each of the site's languages writes it."""
    found = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found.add(force_str(text))
    return found


def _key(text) -> str:
    return " ".join(force_str(text).split()).casefold()


class ChoiceLabelWidget(widgets.Widget):
    """A field with choices, written as its label in the user's language; read back from the
    label in any of the site's languages or from the code."""

    def __init__(self, choices, empty="", **kwargs):
        super().__init__(**kwargs)
        self.choices = [(code, label) for code, label in choices if code not in (None, "")]
        self.empty = empty  # what an empty cell holds: "" for text, None for a nullable number

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else force_str(value).strip()
        if text == "":
            return self.empty
        for code, _label in self.choices:
            if text == force_str(code):
                return code
        key = _key(text)
        for code, label in self.choices:
            if key in {_key(name) for name in _in_every_language(label)}:
                return code
        return text  # not a choice: the model's own check reports it on this row's column

    def render(self, value, obj=None, **kwargs):
        if value in (None, ""):
            return ""
        for code, label in self.choices:
            if force_str(code) == force_str(value):
                return force_str(label)
        return force_str(value)


class LabelledExportForm(SelectableFieldsExportForm):
    """The export's field checkboxes named as the spreadsheet's columns are (the field's name
    in the user's language), not "Floor Area M2"."""

    def _get_field_label(self, resource, field_name: str) -> str:
        field = resource().fields.get(field_name)
        return force_str(field.column_name) if field is not None else field_name


class ScopedResource(resources.ModelResource):
    """A model resource that imports as ``user`` would edit: only inside their scope.

    Without a user (a trusted operator's management command) the whole city is in scope.
    """

    def __init__(self, *, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        # Each column under its field's name in the active language; the codes it also answers
        # to on import (``before_import``).
        self._aliases: dict[str, str] = {}
        for name, field in self.fields.items():
            verbose = self._verbose_name(field)
            aliases = {name, field.attribute or name, force_str(field.column_name)}
            if verbose is not None:
                field.column_name = force_str(capfirst(verbose))
                aliases |= _in_every_language(capfirst(verbose))
            for alias in aliases:
                self._aliases.setdefault(_key(alias), force_str(field.column_name))

    def _verbose_name(self, field):
        """The model field's verbose name behind a resource field (``district`` for
        ``district_id``), or None for a column that is no model field."""
        if not field.attribute:
            return None
        name = field.attribute.split("__")[0]
        for candidate in (name, name.removesuffix("_id")):
            try:
                return self._meta.model._meta.get_field(candidate).verbose_name
            except FieldDoesNotExist:
                continue
        return None

    # A long text is read as a CharField is: an empty cell of one that may be blank is ""
    # (django-import-export reads it as None, which the database refuses).
    WIDGETS_MAP = {**resources.ModelResource.WIDGETS_MAP, "TextField": widgets.CharWidget}

    @classmethod
    def widget_kwargs_for_field(cls, field_name, django_field):
        kwargs = super().widget_kwargs_for_field(field_name, django_field)
        if django_field.get_internal_type() == "TextField" and django_field.blank:
            kwargs.update({"coerce_to_string": True, "allow_blank": True})
        return kwargs

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        """A field with choices reads and writes its labels (``ChoiceLabelWidget``)."""
        field = super().field_from_django_field(field_name, django_field, readonly)
        if getattr(django_field, "choices", None) and not django_field.is_relation:
            text = django_field.get_internal_type() in {"CharField", "TextField"}
            empty = None if django_field.null and not text else ""
            field.widget = ChoiceLabelWidget(django_field.choices, empty=empty)
        return field

    def before_import(self, dataset, **kwargs):
        """Headers in either language, or the field codes of older files, name the columns."""
        super().before_import(dataset, **kwargs)
        if dataset.headers:
            dataset.headers = [
                self._aliases.get(_key(header), header) if header is not None else header
                for header in dataset.headers
            ]

    def get_queryset(self):
        queryset = super().get_queryset()
        return scope_queryset(queryset, self.user) if self.user is not None else queryset

    def import_data(self, *args, **kwargs):
        """The public pages' and statistics' cache tokens are replaced once when the import
        ends, not once for each row it saves (a file of 1,000 rows: 2,000 cache writes)."""
        with caching.tokens_replaced_once():
            return super().import_data(*args, **kwargs)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        """A value the column cannot hold ("abc" for a year, an unknown district code) is an
        error on that column of that row, in words a clerk can act on."""
        try:
            super().import_field(field, instance, row, is_m2m, **kwargs)
        except ObjectDoesNotExist as exc:
            raise ValueError(_("There is no such record.")) from exc
        except (ArithmeticError, TypeError, ValueError) as exc:
            raise ValueError(_("This value is not valid for this column.")) from exc

    def get_instance(self, instance_loader, row):
        instance = super().get_instance(instance_loader, row)
        pk = row.get(force_str(self.fields["id"].column_name)) if "id" in self.fields else None
        if instance is None and pk not in (None, ""):
            # Unknown, or outside the user's scope: the same answer, so nothing leaks; and a
            # new record never takes an id of its own choosing.
            raise ValidationError(
                {"id": _("There is no record with this id that you may change.")},
                code="unknown_id",
            )
        return instance

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        super().validate_instance(instance, import_validation_errors, validate_unique)
        if self.user is None:
            return
        scope = scope_for(self.user)
        if scope.condition(type(instance)) is not None and (
            _district_id(instance) not in scope.district_ids
        ):
            raise ValidationError(
                _("You may only import records of your own districts."), code="out_of_scope"
            )

    def export_field(self, field, instance, **kwargs):
        """Every exported cell, of every resource, as data: text a spreadsheet program would
        run as a formula is written with a leading ``'`` (``communities.core.exports``)."""
        return exports.neutralise(super().export_field(field, instance, **kwargs))

    def save_instance(self, instance, is_create, row, **kwargs):
        if self.user is not None:
            instance._history_user = self.user
        instance._change_reason = EditSource.IMPORT
        super().save_instance(instance, is_create, row, **kwargs)

    class Meta:
        clean_model_instances = True
        skip_unchanged = False
        report_skipped = False
        use_transactions = True
