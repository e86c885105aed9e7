"""What every admin page of the app shares: the history-keeping base, money display, subquery
annotations for computed columns, and inline selects that query once, not once per row."""

from collections.abc import Callable
from decimal import Decimal
from functools import cache

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets, quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
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
from django.http import Http404, HttpResponse
from django.template import engines
from django.template.loader import select_template
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.resources import modelresource_factory
from simple_history.admin import SimpleHistoryAdmin

from communities import imports, scoping
from communities.api.pagination import EstimatingPaginator
from communities.views import option_tags

MONEY_FIELD = DecimalField(max_digits=16, decimal_places=2)

# The deleted records of a model, each with a link to restore it (BaseAdmin.deleted_view).
DELETED_TEMPLATE = engines["django"].from_string(
    """{% extends "admin/base_site.html" %}{% load i18n admin_urls %}
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
)


class BaseAdmin(ImportExportMixin, SimpleHistoryAdmin):
    """Every model keeps its history (simple_history) and shows it from its change page.

    Staff see and choose only what their scope allows (``communities.scoping``): changelists,
    the options of every select, change, delete and history pages. Another district's record
    is a 404, exactly like a record that does not exist, so its existence does not leak.

    Every list exports what it shows (its filters and the user's scope) to xlsx and CSV; the
    models in ``communities.imports.RESOURCES`` also import, with a preview, row-by-row errors
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
        resource = imports.RESOURCES.get(self.model)
        if resource is None:
            resource = modelresource_factory(self.model, resource_class=imports.ScopedResource)
        return [resource]

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {**super().get_resource_kwargs(request, *args, **kwargs), "user": request.user}

    def has_import_permission(self, request):
        return self.model in imports.RESOURCES and super().has_import_permission(request)

    # Scope

    def get_queryset(self, request) -> QuerySet:
        return scoping.scope_queryset(super().get_queryset(request), request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Django would redirect to the index saying the record does not exist; a 404
            # answers the same for a missing record and for one outside the user's scope.
            raise Http404
        return obj

    def _scoped_choices(self, db_field, request, kwargs) -> None:
        related = db_field.related_model
        related_admin = self.admin_site._registry.get(related)
        follow = getattr(related_admin, "label_select_related", ())
        if "queryset" not in kwargs and (follow or scoping.is_district_scoped(related)):
            queryset = self.get_field_queryset(kwargs.get("using"), db_field, request)
            if queryset is None:
                queryset = related._default_manager.all()
            kwargs["queryset"] = queryset.select_related(*follow) if follow else queryset
        if "queryset" in kwargs:
            kwargs["queryset"] = scoping.scope_queryset(kwargs["queryset"], request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """Only what the user may see is offered (and accepted when posted)."""
        self._scoped_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._scoped_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # History

    def _history_in_scope(self, request, object_id) -> bool:
        """Whether the record, or its last known version if deleted, is in the user's scope."""
        if scoping.scope_for(request.user).condition(self.model) is None:
            return True
        pk_name = self.model._meta.pk.attname
        try:
            if self.get_queryset(request).filter(**{pk_name: object_id}).exists():
                return True
        except (ValueError, TypeError, ValidationError):
            return False
        versions = self.model.history.filter(**{pk_name: object_id})
        return scoping.scope_queryset(versions, request.user).exists()

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
        records = scoping.scope_queryset(
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
        return TemplateResponse(request, DELETED_TEMPLATE, context)

    def history_view(self, request, object_id, extra_context=None):
        if not self._history_in_scope(request, unquote(object_id)):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """An earlier version, to restore (a deleted record too: its last version brings it
        back). The form offers only the user's own districts' choices, so a version that
        belonged elsewhere cannot be restored into another district."""
        if not self._history_in_scope(request, unquote(object_id)):
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

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
            field.queryset = scoping.scope_queryset(
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
    """

    LINKS_UP_TO = 100
    # The related model's field that its __str__ returns (a district's name), if one does.
    label_field = "name"
    select_template = "admin/communities/select_filter.html"

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.as_select = len(self.lookup_choices) > self.LINKS_UP_TO
        if self.as_select:
            self.template = self.select_template

    def field_choices(self, field, request, model_admin):
        """(pk, label) pairs read with ``values_list`` when the related model's ``__str__`` is
        its ``label_field``: no model instance for each of thousands of districts."""
        if not self.label_field:
            return super().field_choices(field, request, model_admin)
        ordering = self.field_admin_ordering(field, request, model_admin)
        related = field.remote_field.model._default_manager.order_by(*ordering)
        return list(related.values_list("pk", self.label_field))

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
        self.options = option_tags(
            ((str(pk), str(label)) for pk, label in self.lookup_choices), chosen
        )
        yield from ()
