"""What every admin page of the app shares: the history-keeping base, money display, subquery
annotations for computed columns, and inline selects that query once, not once per row."""

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from urllib.parse import parse_qsl

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import (
    NotRelationField,
    flatten_fieldsets,
    get_fields_from_path,
    quote,
    unquote,
)
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db import transaction
from django.db.models import (
    Avg,
    Count,
    DecimalField,
    Exists,
    F,
    FloatField,
    IntegerField,
    Model,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.forms.models import model_to_dict
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template import engines
from django.template.loader import select_template
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.resources import modelresource_factory
from simple_history.admin import SimpleHistoryAdmin

from communities.core import caching
from communities.core.api.pagination import EstimatingPaginator
from communities.core.bounds import fits_key
from communities.core.filters import option_tags
from communities.core.imports import LabelledExportForm, ScopedResource
from communities.core.scoping import district_path, is_district_scoped, scope_for, scope_queryset

MONEY_FIELD = DecimalField(max_digits=16, decimal_places=2)

# The deleted records of a model, each with a link to restore it (BaseAdmin.deleted_view).
# Compiled on first use (``deleted_template``): compiling it here, while the admin modules are
# imported, would load every template tag library, and one that imports an admin module would
# find it half-initialised.
DELETED_TEMPLATE_SOURCE = """{% extends "admin/base_site.html" %}{% load i18n admin_urls %}
{% block breadcrumbs %}<div class="breadcrumbs">
<a href="{% url 'admin:index' %}">{% translate 'Home' %}</a> &rsaquo;
<a href="{% url opts|admin_urlname:'changelist' %}">{{ opts.verbose_name_plural|capfirst }}</a>
&rsaquo; {{ title }}</div>{% endblock %}
{% block content %}<div id="content-main">
{% if rows %}<table id="deleted-records"><thead><tr><th scope="col">{{ labels.record }}</th>
<th scope="col">{{ labels.when }}</th><th scope="col">{{ labels.by }}</th>
<th scope="col"></th></tr></thead><tbody>
{% for row in rows %}<tr><td>{{ row.label }}</td><td>{{ row.when }}</td>
<td>{{ row.by|default:"—" }}</td><td><a href="{{ row.url }}">{{ labels.restore }}</a></td></tr>
{% endfor %}</tbody></table>
{% else %}<p>{{ labels.none }}</p>{% endif %}
</div>{% endblock %}"""


@cache
def deleted_template():
    return engines["django"].from_string(DELETED_TEMPLATE_SOURCE)


class WholeRecordChecks:
    """A change form (or an inline's) that checks every constraint of the model on the record
    as it would be saved, and shows every refusal of the model's rules. Django's form skips a
    constraint naming a field the form does not show (a read-only stage, a field another role
    may not change), so the database would refuse the save with an error page; and a rule of
    ``clean()`` about a field the form does not show would be an error page too (Django cannot
    put the message next to a field it does not have): both become messages on the form."""

    def _update_errors(self, errors):
        if hasattr(errors, "error_dict"):
            placed: dict[str, list] = {}
            for name, error_list in errors.error_dict.items():
                key = name if name in self.fields else NON_FIELD_ERRORS
                placed.setdefault(key, []).extend(error_list)
            errors = ValidationError(placed)
        super()._update_errors(errors)

    def _post_clean(self):
        super()._post_clean()
        try:
            self.instance.validate_constraints(exclude=set(self.errors))
        except ValidationError as error:
            found = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
            for name, messages_ in found.items():
                field = name if name in self.fields else None
                shown = self.errors.get(field or "__all__", [])
                new = [message for message in messages_ if message not in shown]
                if new:
                    self.add_error(field, new)


class _KnownKeysOnly:
    """An autocomplete widget drawing only the chosen keys its lookup can take (``fits_key``)."""

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        fitting = [key for key in value if fits_key(target, key)]
        return super().optgroups(name, fitting, attr)


class KeyCheckedAutocompleteSelect(_KnownKeysOnly, AutocompleteSelect):
    pass


class KeyCheckedAutocompleteSelectMultiple(_KnownKeysOnly, AutocompleteSelectMultiple):
    pass


class KeyCheckedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing a key that cannot be looked up (``fits_key``) as it refuses a key of
    the wrong type, before it looks the keys up with ``__in``."""

    def _check_values(self, value):
        opts = self.queryset.model._meta
        field = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
        for pk in value:
            if not fits_key(field, pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class ScopedChoicesMixin:
    """Every select of a form (the admin's own and its inlines') offers only the records the
    user may see, and accepts only those when posted (``communities.core.scoping``)."""

    def _scoped_choices(self, db_field, request, kwargs) -> None:
        related = db_field.related_model
        related_admin = self.admin_site._registry.get(related)
        follow = getattr(related_admin, "label_select_related", ())
        if "queryset" not in kwargs and (follow or is_district_scoped(related)):
            queryset = self.get_field_queryset(kwargs.get("using"), db_field, request)
            if queryset is None:
                queryset = related._default_manager.all()
            kwargs["queryset"] = queryset.select_related(*follow) if follow else queryset
        if "queryset" in kwargs:
            kwargs["queryset"] = scope_queryset(kwargs["queryset"], request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """Only what the user may see is offered (and accepted when posted)."""
        self._scoped_choices(db_field, request, kwargs)
        self._autocomplete(db_field, request, kwargs, KeyCheckedAutocompleteSelect)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._scoped_choices(db_field, request, kwargs)
        self._autocomplete(db_field, request, kwargs, KeyCheckedAutocompleteSelectMultiple)
        kwargs.setdefault("form_class", KeyCheckedModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _autocomplete(self, db_field, request, kwargs, widget) -> None:
        """Django's autocomplete widget for the fields that have one, drawing only keys it can
        look up: a posted key of 20 digits is refused by the form, not by the database."""
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = widget(db_field, self.admin_site, using=kwargs.get("using"))


class BaseAdmin(ScopedChoicesMixin, ImportExportMixin, SimpleHistoryAdmin):
    """Every model keeps its history (simple_history) and shows it from its change page.

    Staff see and choose only what their scope allows (``communities.core.scoping``): changelists,
    the options of every select, change, delete and history pages. Another district's record
    is a 404, exactly like a record that does not exist, so its existence does not leak.

    Every list exports what it shows (its filters and the user's scope) to xlsx and CSV; the
    models whose admin names its ``resource_classes`` also import, with a preview, row-by-row errors
    and all-or-nothing saving. Deleted records are listed under ``deleted/`` to restore.

    Changelists are built for tens of thousands of rows: computed columns come from
    ``get_queryset`` annotations and foreign keys from ``list_select_related``, so a page costs
    the same number of queries whatever its length; with a filter applied the unfiltered total
    is not counted a second time, and without one a table of national size (100,000 rows or
    more on PostgreSQL) is counted by the planner's estimate, not by reading it all.
    """

    paginator = EstimatingPaginator
    list_per_page = 50
    list_max_show_all = 500
    show_full_result_count = False
    # What str() of this model reads beyond its own row (a building names its community): other
    # admins' selects of this model fetch it in the same query as the options.
    label_select_related: tuple[str, ...] = ()

    def get_changelist(self, request, **kwargs):
        base = super().get_changelist(request, **kwargs)

        class RowLinksChangeList(base):
            """Row links carry the list's filters as Django's do, without resolving each.

            Django passes every row's link through ``add_preserved_filters``, which resolves
            the link against the whole URL configuration to learn whether it is the list's own
            (a change page never is): about 40 patterns tried per row, 10 ms of a filtered
            50-row page. The rows' links are given their filters here, the same query Django
            appends, and the filters Django would pass on are left empty for them (only
            ``items_for_result`` reads ``preserved_filters`` of a changelist).
            """

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.row_link_query = urlencode(dict(parse_qsl(self.preserved_filters)))
                self.preserved_filters = ""

            def url_for_result(self, result):
                url = super().url_for_result(result)
                return f"{url}?{self.row_link_query}" if self.row_link_query else url

        return RowLinksChangeList

    def delete_model(self, request, obj):
        """A deletion replaces the public pages' cache tokens once, not once a row cascaded."""
        with caching.tokens_replaced_once():
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with caching.tokens_replaced_once():
            super().delete_queryset(request, queryset)

    def action_checkbox(self, obj):
        """Django's checkbox for the actions, written out: rendering the widget's template for
        each row took about a fifth of a 50-row changelist's time."""
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )

    # Columns that tell districts apart: left out of the list for a user who sees one district.
    district_columns: tuple[str, ...] = ("district",)

    def get_list_display(self, request):
        shown = list(super().get_list_display(request))
        scope = scope_for(request.user)
        if not scope.everything and not scope.company and len(scope.district_ids) == 1:
            shown = [name for name in shown if name not in self.district_columns]
        return shown

    # Import and export

    def init_change_list_template(self):
        """Keep a model's own ``admin/<app>/<model>/change_list.html`` under the import and
        export buttons (django-import-export would fall back to the generic list)."""
        super().init_change_list_template()
        if self.ie_base_change_list_template == "admin/change_list.html":
            opts = self.model._meta
            found = select_template(
                [
                    f"admin/{opts.app_label}/{opts.model_name}/change_list.html",
                    f"admin/{opts.app_label}/change_list.html",
                    "admin/change_list.html",
                ]
            )
            self.ie_base_change_list_template = found.template.name

    def get_resource_classes(self, request):
        """The admin's own ``resource_classes`` (the models staff import), else an export of
        every field, in the user's scope."""
        if self.resource_classes:
            return list(self.resource_classes)
        return [modelresource_factory(self.model, resource_class=ScopedResource)]

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {**super().get_resource_kwargs(request, *args, **kwargs), "user": request.user}

    def has_import_permission(self, request):
        return bool(self.resource_classes) and super().has_import_permission(request)

    # The export's field checkboxes named as the columns are, in the user's language.
    export_form_class = LabelledExportForm

    def changelist_view(self, request, extra_context=None):
        """The list links its deleted records (``deleted_view``) for those who may restore
        them (admin/change_list_object_tools.html)."""
        if self.has_change_permission(request):
            info = self.opts.app_label, self.opts.model_name
            url = reverse("admin:{}_{}_deleted".format(*info), current_app=self.admin_site.name)
            extra_context = {**(extra_context or {}), "deleted_url": url}
        return super().changelist_view(request, extra_context)

    @property
    def media(self):
        """Django's, with what the list filters draw (select2 for a ``SelectRelatedFilter``
        drawn as an autocomplete): the changelist takes its page's media from here."""
        media = super().media
        for spec in self.list_filter:
            if (
                isinstance(spec, list | tuple)
                and isinstance(spec[-1], type)
                and issubclass(spec[-1], SelectRelatedFilter)
            ):
                media += spec[-1].media_for(self, spec[0])
        return media

    # Scope

    def get_queryset(self, request) -> QuerySet:
        return scope_queryset(super().get_queryset(request), request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Django would redirect to the index saying the record does not exist; a 404
            # answers the same for a missing record and for one outside the user's scope.
            raise Http404
        return obj

    def get_list_filter(self, request):
        """Every related filter offers only the records in the user's scope
        (``ScopedRelatedChoices``); a relation to a city-wide model is offered whole."""
        return [self._scoped_list_filter(spec) for spec in super().get_list_filter(request)]

    def _scoped_list_filter(self, spec):
        if isinstance(spec, str):
            path, filter_class = spec, None
        elif isinstance(spec, list | tuple) and len(spec) == 2 and isinstance(spec[1], type):
            path, filter_class = spec
        else:
            return spec  # a SimpleListFilter, or (path, title) forms Django rejects anyway
        try:
            field = get_fields_from_path(self.model, path)[-1]
        except (FieldDoesNotExist, NotRelationField):
            return spec
        # Forward relations only: the filter's values are the related model's keys.
        if not (field.is_relation and field.concrete and field.related_model):
            return spec
        if filter_class is None:
            filter_class = admin.RelatedFieldListFilter
        if not issubclass(filter_class, admin.RelatedFieldListFilter) or issubclass(
            filter_class, admin.RelatedOnlyFieldListFilter
        ):
            return spec  # values of the list's own (scoped) rows, or not a choice of records
        return (path, scoped_filter_class(filter_class))

    # History

    # What a service moves (a stage, a status, a decision and what it records with it):
    # restoring an earlier version never brings these back, and the version's page says so,
    # naming ``service_state_moves`` and linking to ``service_state_url``.
    service_state_fields: tuple[str, ...] = ()
    service_state_moves = _("the actions of the list")

    def service_state_url(self, obj: Model) -> str:
        """Where the record's moves are: by default the list narrowed to the record, whose
        actions move it."""
        info = self.opts.app_label, self.opts.model_name
        url = reverse("admin:{}_{}_changelist".format(*info), current_app=self.admin_site.name)
        return f"{url}?{urlencode({f'{self.opts.pk.name}__exact': obj.pk})}"

    def _history_subject(self, request, object_id) -> tuple[Model, bool]:
        """The record whose history is asked for and whether it is deleted: the live record as
        the user's queryset reads it, or a deleted record's last version. The live record's
        current district decides whether the user may see its history, a deleted record's last
        version's: a record moved to another district takes all its history with it. Http404
        when there is no such record or it is outside the user's scope."""
        pk_name = self.model._meta.pk.attname
        try:
            if self.model._default_manager.filter(**{pk_name: object_id}).exists():
                current = self.get_queryset(request).filter(**{pk_name: object_id}).first()
                if current is None:
                    raise Http404
                return current, False
            last = (
                self.model.history.filter(**{pk_name: object_id})
                .order_by("-history_date", "-history_id")
                .first()
            )
        except (ValueError, TypeError, ValidationError):
            raise Http404 from None
        if last is None or not self._version_in_scope(request, last):
            raise Http404
        current = last.instance
        current._state.adding = False
        return current, True

    def _version_in_scope(self, request, version) -> bool:
        scope = scope_for(request.user)
        if scope.condition(self.model) is None:
            return True
        if district_path(self.model) == "":
            # The district itself: its id, not the version's (a historical row's pk).
            return getattr(version, self.model._meta.pk.attname) in scope.district_ids
        versions = self.model.history.filter(history_id=version.history_id)
        return scope_queryset(versions, request.user).exists()

    def _history_in_scope(self, request, object_id) -> bool:
        """Whether the user may see the record's history (``_history_subject``)."""
        try:
            self._history_subject(request, object_id)
        except Http404:
            return False
        return True

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        deleted = path(
            "deleted/",
            self.admin_site.admin_view(self.deleted_view),
            name="{}_{}_deleted".format(*info),
        )
        template = path(
            "import-template.<str:fmt>",
            self.admin_site.admin_view(self.import_template_view),
            name="{}_{}_import_template".format(*info),
        )
        return [deleted, template, *super().get_urls()]

    def import_template_view(self, request, fmt: str):
        """An empty spreadsheet with the import's columns (xlsx or csv), to fill in."""
        formats = {"xlsx": XLSX, "csv": CSV}
        if fmt not in formats or not self.has_import_permission(request):
            raise Http404
        [resource_class] = self.get_resource_classes(request)
        resource = resource_class(**self.get_resource_kwargs(request))
        file_format = formats[fmt]()
        data = file_format.export_data(resource.export(queryset=self.model._default_manager.none()))
        response = HttpResponse(data, content_type=file_format.get_content_type())
        filename = f"{self.opts.model_name}-template.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def deleted_view(self, request):
        """The deleted records of this model the user may restore, newest deletion first; each
        links to its last version, whose "Revert" brings the record back."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        pk_name = self.opts.pk.attname
        live = self.model._default_manager.filter(pk=OuterRef(pk_name))
        records = scope_queryset(
            self.model.history.filter(history_type="-").exclude(Exists(live)), request.user
        ).select_related("history_user")[: self.list_max_show_all]
        rows = [
            {
                "label": str(record.instance),
                "when": record.history_date,
                "by": record.history_user,
                "url": reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_simple_history",
                    args=[quote(getattr(record, pk_name)), record.history_id],
                    current_app=self.admin_site.name,
                ),
            }
            for record in records
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Deleted %(name)s") % {"name": self.opts.verbose_name_plural},
            "rows": rows,
            # Here rather than in the template string, where makemessages would not find them.
            "labels": {
                "record": _("Record"),
                "when": _("Deleted at"),
                "by": _("Deleted by"),
                "restore": _("Restore"),
                "none": _("No deleted records."),
            },
        }
        return TemplateResponse(request, deleted_template(), context)

    def history_view(self, request, object_id, extra_context=None):
        if not self._history_in_scope(request, unquote(object_id)):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """An earlier version, to restore: an edit of the record as it is now that proposes the
        version's values, checked and saved as the change page's edit is (the same form with
        the same read-only fields, the model's checks and constraints, ``save_model`` and so
        the services). What that form cannot change stays as it is now; so do the fields a
        service moves (``service_state_fields``), and the page says how they move instead.

        A deleted record comes back as its last version left it (state included), with the
        chosen version's values in the form, after the same checks.

        (simple_history's own view saved the version's whole row: read-only fields and the
        stage or status with it, unchecked, and let a user who may only view post a revert.)
        The form offers only the user's own districts' choices, so a version that belonged
        elsewhere cannot be restored into another district.
        """
        request.current_app = self.admin_site.name
        object_id = unquote(object_id)
        current, deleted = self._history_subject(request, object_id)
        pk_name = self.model._meta.pk.attname
        try:
            version = self.model.history.get(**{pk_name: object_id, "history_id": version_id})
        except (self.model.history.model.DoesNotExist, ValueError, TypeError, ValidationError):
            raise Http404 from None
        if not self.has_view_history_or_change_history_permission(request, current):
            raise PermissionDenied
        revert_disabled = self.revert_disabled(request, current)
        if request.method == "POST" and revert_disabled:
            raise PermissionDenied

        proposed = version.instance
        state = self._state_fields()
        fieldsets = self.get_fieldsets(request, current)
        editable = [name for name in flatten_fieldsets(fieldsets) if name not in state]
        form_class = self.get_form(request, current, change=True, fields=editable)
        readonly = [*self.get_readonly_fields(request, current), *state]
        kept = self._kept_state(proposed, current)
        if revert_disabled:  # the version as it was, every field read-only
            form = form_class(instance=proposed)
            readonly = flatten_fieldsets(fieldsets)
        elif request.method == "POST":
            form = form_class(request.POST, request.FILES, instance=current)
            saved = self._save_revert(request, form, deleted)
            if saved is not None:
                self._warn_kept_state(request, saved, kept)
                return self.response_change(request, saved)
        else:
            initial = self.revert_initial(request, proposed, current, list(form_class.base_fields))
            form = form_class(instance=current, initial=initial)
        if not revert_disabled:
            self._warn_kept_state(request, current, kept)

        admin_form = helpers.AdminForm(
            form, fieldsets, self.prepopulated_fields, readonly, model_admin=self
        )
        opts = self.model._meta

        def url(name: str, *args) -> str:
            return reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}", args=args)

        context = {
            **self.admin_site.each_context(request),
            "title": self.history_form_view_title(request, current),
            "adminform": admin_form,
            "object_id": object_id,
            "original": current,
            "is_popup": False,
            "media": mark_safe(self.media + admin_form.media),
            "errors": helpers.AdminErrorList(form, []),
            "inline_admin_formsets": [],  # a version is the record's own fields
            "app_label": opts.app_label,
            "original_opts": opts,
            "changelist_url": url("changelist"),
            "change_url": url("change", quote(current.pk)),
            "history_url": url("history", quote(current.pk)),
            "change_history": False,
            "revert_disabled": revert_disabled,
            "add": False,
            "change": True,
            "has_add_permission": self.has_add_permission(request),
            "has_view_permission": self.has_view_history_permission(request, current),
            "has_change_permission": self.has_change_history_permission(request, current),
            "has_delete_permission": self.has_delete_permission(request, current),
            "has_file_field": True,
            "has_absolute_url": False,
            "form_url": "",
            "opts": self.model.history.model._meta,
            "content_type_id": self.content_type_model_cls.objects.get_for_model(self.model).id,
            "save_as": self.save_as,
            "save_on_top": self.save_on_top,
            "root_path": getattr(self.admin_site, "root_path", None),
            **(extra_context or {}),
        }
        return self.render_history_view(request, self.object_history_form_template, context)

    def revert_initial(self, request, proposed: Model, current: Model, names: list[str]) -> dict:
        """What the revert form proposes: the version's values of the form's fields."""
        return model_to_dict(proposed, fields=names)

    def _state_fields(self) -> list[str]:
        """``service_state_fields`` that are the model's fields (not computed columns)."""
        names = []
        for name in self.service_state_fields:
            try:
                self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            names.append(name)
        return names

    def _kept_state(self, proposed: Model, current: Model) -> list[str]:
        """The service-moved fields whose version's value is not the current one."""
        kept = []
        for name in self._state_fields():
            field = self.model._meta.get_field(name)
            if field.value_from_object(proposed) != field.value_from_object(current):
                kept.append(name)
        return kept

    def _warn_kept_state(self, request, obj: Model, kept: list[str]) -> None:
        if not kept:
            return
        names = ", ".join(
            str(capfirst(self.model._meta.get_field(name).verbose_name)) for name in kept
        )
        moves = self.service_state_moves
        text = gettext(
            "%(fields)s: not restored, kept as it is now; it changes only through %(moves)s."
        ) % {"fields": names, "moves": moves}
        link = gettext("Use %(moves)s") % {"moves": moves}
        message = format_html('{} <a href="{}">{}</a>', text, self.service_state_url(obj), link)
        self.message_user(request, message, messages.WARNING)

    def _save_revert(self, request, form, deleted: bool) -> Model | None:
        """Save a valid revert form as the change page saves an edit, all or nothing; None
        (with the errors on the form) when the form, a constraint or a service refuses it.

        Beyond the form's checks, every constraint is checked on the whole record (the form
        skips those naming a field it does not show), so the database never refuses it. A
        deleted record is saved back as a row: the admin's ``save_model`` may call services
        that change an existing record."""
        if not form.is_valid():
            return None
        try:
            form.instance.validate_constraints()
            with transaction.atomic():
                obj = self.save_form(request, form, change=True)
                if deleted:
                    obj._history_user = request.user
                    obj.save()
                else:
                    self.save_model(request, obj, form, change=True)
                self.save_related(request, form, [], change=True)
                self.log_change(request, obj, self.construct_change_message(request, form, []))
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                form.add_error(None, error)
                return None
            for name, field_messages in error.message_dict.items():
                form.add_error(name if name in form.fields else None, field_messages)
            return None
        return obj

    # Checks

    def get_inline_instances(self, request, obj=None):
        """Inline forms get the same whole-record checks as the page's own form."""
        inlines = super().get_inline_instances(request, obj)
        for inline in inlines:
            if not issubclass(inline.form, WholeRecordChecks):
                inline.form = type(inline.form.__name__, (WholeRecordChecks, inline.form), {})
        return inlines

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if issubclass(form, WholeRecordChecks):
            return form
        return type(form.__name__, (WholeRecordChecks, form), {})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A rule a service enforces when it saves (a stage condition, a subsidy rule) refuses
        the save with its message on the page; the whole save is rolled back."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def get_fieldsets(self, request, obj=None):
        """The declared sections, then any field they do not name under "More", so a field
        added to a model later is never silently left out of its admin page."""
        fieldsets = super().get_fieldsets(request, obj)
        if not self.fieldsets:
            return fieldsets
        named = set(flatten_fieldsets(fieldsets))
        rest = [name for name in self.get_fields(request, obj) if name not in named]
        if rest:
            fieldsets = [*fieldsets, (_("More"), {"fields": rest})]
        return fieldsets


def day(value: date | datetime | None) -> str:
    """2024-03-01: a date (or a time's local date) in a list column as narrow as it gets."""
    if value is None:
        return admin.site.empty_value_display
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


def moment(value: datetime | None) -> str:
    """2024-03-01 14:30, local time: a time in a list column, narrow."""
    if value is None:
        return admin.site.empty_value_display
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def period(start: date | None, end: date | None) -> str:
    """2024-03-01 – 2024-09-30 in one column; an open end shows as the empty value."""
    if start is None and end is None:
        return admin.site.empty_value_display
    return f"{day(start)} – {day(end)}"


def warning(shown: bool, text) -> str:
    """A mark for something wrong ("⚠ overdue"), in words and colour (admin.css); nothing when
    all is well. Never a green tick for a bad thing."""
    if not shown:
        return ""
    return format_html('<span class="admin-warning">⚠ {}</span>', text)


def yuan(amount: Decimal | None) -> str:
    """¥1,234,567.00; the admin's empty value for no amount."""
    if amount is None:
        return admin.site.empty_value_display
    return f"¥{amount:,.2f}"


def _children(model: type[Model], fk: str, filters: dict | None, exclude: dict | None) -> QuerySet:
    rows = model._default_manager.filter(**{fk: OuterRef("pk")}, **(filters or {}))
    if exclude:
        rows = rows.exclude(**exclude)
    return rows.order_by().values(fk)


def child_count(
    model: type[Model], fk: str, *, filters: dict | None = None, exclude: dict | None = None
) -> Coalesce:
    """How many rows of ``model`` point at the outer row through ``fk`` (a correlated subquery).

    Subqueries rather than ``Count()`` over joins: several of them on one row never multiply
    each other, the changelist's ``count()`` can drop them, and the database computes them only
    for the rows on the page.
    """
    rows = _children(model, fk, filters, exclude).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def child_sum(model: type[Model], fk: str, field: str, *, exclude: dict | None = None) -> Coalesce:
    """The sum of ``field`` over the rows of ``model`` pointing at the outer row (0 if none)."""
    rows = _children(model, fk, None, exclude).annotate(total=Sum(field)).values("total")
    return Coalesce(
        Subquery(rows, output_field=MONEY_FIELD), Value(Decimal("0")), output_field=MONEY_FIELD
    )


def child_average(
    model: type[Model], fk: str, field: str, *, exclude: dict | None = None
) -> Subquery:
    """The average of ``field`` over the rows pointing at the outer row (NULL if none)."""
    rows = (
        _children(model, fk, None, exclude)
        .annotate(average=Avg(F(field), output_field=FloatField()))
        .values("average")
    )
    return Subquery(rows, output_field=FloatField())


class SharedChoicesInline:
    """Inline rows share one evaluation of each select's choices.

    A plain ``ModelChoiceField`` queries its choices every time it renders, so an inline of
    thirty rows would run thirty queries per select (and autocomplete or raw-id widgets one per
    row to label the current value). Here each field in ``shared_choice_fields`` evaluates its
    choices once per page and every row, plus the empty template row, reuses them.
    ``scope_choices`` narrows a field to what fits the parent (a community's own buildings);
    the narrowed queryset also validates what is posted.
    """

    shared_choice_fields: tuple[str, ...] = ()

    def scope_choices(self, name: str, queryset: QuerySet, parent: Model | None) -> QuerySet:
        return queryset

    def choice_label(self, name: str) -> Callable[[Model], str] | None:
        """A label for the options of ``name``, when ``str()`` would say too much or query."""
        return None

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        for name in self.shared_choice_fields:
            field = formset.form.base_fields.get(name)
            if not isinstance(field, forms.ModelChoiceField):
                continue  # left out of the form, or read-only for this user
            field.queryset = scope_queryset(
                self.scope_choices(name, field.queryset, obj), request.user
            )
            label = self.choice_label(name)
            if label is not None:
                field.label_from_instance = label
            iterator = field.iterator(field)
            # A callable's result is re-read on every render; the cache makes it once. (iter()
            # first: list() would ask the iterator's len(), which counts in another query.)
            field.choices = cache(lambda iterator=iterator: list(iter(iterator)))
        return formset


class SelectRelatedFilter(admin.RelatedFieldListFilter):
    """A related-record filter (``list_filter = [("district", SelectRelatedFilter)]``) drawn
    as Django's list of links up to ``LINKS_UP_TO`` choices and past that as one select in a
    form that keeps the other filters: a province's or the country's thousands of districts
    would be thousands of links, each with its own query string, on every changelist page.

    The select is the admin's own autocomplete (``AutocompleteSelect``, select2 asking
    ``/admin/autocomplete/``) when the related admin can answer it for this user (it has
    search fields and the user may view its records): the page then reads only the chosen
    record, where a select of every choice read and wrote the country's 2,800 districts on
    every changelist (108 kB of the page). Otherwise it is a plain
    select of every choice in the user's scope.
    """

    LINKS_UP_TO = 100
    # The related model's field that its __str__ returns (a district's name), if one does.
    label_field = "name"
    select_template = "admin/communities/select_filter.html"

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.autocomplete = None  # the form field whose widget draws the select, if any
        self.select = ""  # the autocomplete select drawn, for the template
        super().__init__(field, request, params, model, model_admin, field_path)
        if self.as_select:
            self.template = self.select_template

    def field_choices(self, field, request, model_admin):
        """(pk, label) pairs read with ``values_list`` when the related model's ``__str__`` is
        its ``label_field``: no model instance for each of thousands of districts. Past
        ``LINKS_UP_TO`` of them, with an autocomplete to choose from, none: the autocomplete
        widget reads the chosen one itself."""
        ordering = self.field_admin_ordering(field, request, model_admin)
        related = field.remote_field.model._default_manager.order_by(*ordering)
        related = scope_queryset(related.complex_filter(field.get_limit_choices_to()), request.user)
        autocomplete = self._autocomplete_answers(field, request, model_admin)
        if not self.label_field:
            choices = super().field_choices(field, request, model_admin)
        else:
            rows = related.values_list("pk", self.label_field)
            choices = list(rows[: self.LINKS_UP_TO + 1] if autocomplete else rows)
        self.as_select = len(choices) > self.LINKS_UP_TO
        if self.as_select and autocomplete:
            self.autocomplete = forms.ModelChoiceField(
                related,
                required=False,
                widget=KeyCheckedAutocompleteSelect(field, model_admin.admin_site),
            )
            return []  # the widget reads the chosen one
        return choices

    @staticmethod
    def _autocomplete_answers(field, request, model_admin) -> bool:
        """Whether ``/admin/autocomplete/`` answers this user for this field (Django's
        ``AutocompleteJsonView`` asks the related admin for search fields and view permission)."""
        related_admin = model_admin.admin_site._registry.get(field.remote_field.model)
        return bool(
            related_admin is not None
            and related_admin.get_search_fields(request)
            and related_admin.has_view_permission(request)
        )

    def has_output(self):
        return self.as_select or super().has_output()

    def choices(self, changelist):
        if not self.as_select:
            yield from super().choices(changelist)
            return
        keep = [self.lookup_kwarg, self.lookup_kwarg_isnull]
        self.hidden_params = [
            (name, value)
            for name, values in changelist.filter_params.items()
            if name not in keep
            for value in values
        ]
        chosen = (self.lookup_val or [""])[-1]
        if self.autocomplete is not None:
            self.select = self.autocomplete.widget.render(
                self.lookup_kwarg, chosen, attrs={"aria-label": self.title}
            )
        else:
            self.options = option_tags(
                ((str(pk), str(label)) for pk, label in self.lookup_choices), chosen
            )
        yield from ()

    @classmethod
    def media_for(cls, model_admin, field_path: str) -> forms.Media:
        """What the autocomplete select needs on the page (select2 and Django's script)."""
        field = get_fields_from_path(model_admin.model, field_path)[-1]
        return AutocompleteSelect(field, model_admin.admin_site).media


class ScopedRelatedChoices:
    """A related-record list filter offering only the records in the user's scope (a clerk
    of one district is offered that district, not every district to find "0 results" in).
    ``BaseAdmin.get_list_filter`` puts it under every related filter of every admin."""

    def field_choices(self, field, request, model_admin):
        related = field.related_model
        if scope_for(request.user).condition(related) is None:
            return super().field_choices(field, request, model_admin)
        ordering = self.field_admin_ordering(field, request, model_admin)
        rows = scope_queryset(
            related._default_manager.complex_filter(field.get_limit_choices_to()),
            request.user,
        )
        related_admin = model_admin.admin_site._registry.get(related)
        follow = getattr(related_admin, "label_select_related", ())
        if follow:
            rows = rows.select_related(*follow)
        value = field.target_field.attname
        return [(getattr(row, value), str(row)) for row in rows.order_by(*ordering)]


@cache
def scoped_filter_class(filter_class: type) -> type:
    """``filter_class`` choosing only in the user's scope (the same class for every admin)."""
    if issubclass(filter_class, ScopedRelatedChoices | SelectRelatedFilter):
        return filter_class  # SelectRelatedFilter narrows its own choices
    return type(f"Scoped{filter_class.__name__}", (ScopedRelatedChoices, filter_class), {})


# --- Shared -----------------------------------------------------------------------------------


def apply_to_selected(modeladmin, request, queryset, apply, done_message: str, **params) -> None:
    """Run ``apply(record)`` on each selected record (each service is its own transaction);
    report what was done (``done_message`` with ``count`` and ``params``) and, record by
    record, what was refused and why."""
    done, refused = 0, []
    for record in queryset.order_by("pk"):
        try:
            apply(record)
        except ValidationError as exc:  # WrongState included
            refused.append(f"{record}: {' '.join(exc.messages)}")
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message % {"count": done, **params}, messages.SUCCESS)
    if refused:
        modeladmin.message_user(
            request,
            gettext("Not changed: %(list)s") % {"list": "; ".join(refused)},
            messages.WARNING,
        )
