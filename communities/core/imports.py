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

Every export writes text as data: a cell that a spreadsheet program would run as a formula
starts with a ``'`` (``communities.core.exports``), in every resource's xlsx and CSV alike.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from import_export import resources

from communities.core import exports
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


class ScopedResource(resources.ModelResource):
    """A model resource that imports as ``user`` would edit: only inside their scope.

    Without a user (a trusted operator's management command) the whole city is in scope.
    """

    def __init__(self, *, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    def get_queryset(self):
        queryset = super().get_queryset()
        return scope_queryset(queryset, self.user) if self.user is not None else queryset

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
        pk = row.get("id")
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
