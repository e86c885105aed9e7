"""What every admin page of the app shares: the history-keeping base, money display, subquery
annotations for computed columns, and inline selects that query once, not once per row."""

from collections.abc import Callable
from decimal import Decimal
from functools import cache

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.db.models import (
    Avg,
    Count,
    DecimalField,
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
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

MONEY_FIELD = DecimalField(max_digits=16, decimal_places=2)


class BaseAdmin(SimpleHistoryAdmin):
    """Every model keeps its history (simple_history) and shows it from its change page.

    Changelists are built for tens of thousands of rows: computed columns come from
    ``get_queryset`` annotations and foreign keys from ``list_select_related``, so a page costs
    the same number of queries whatever its length; with a filter applied the unfiltered total
    is not counted a second time.
    """

    list_per_page = 50
    list_max_show_all = 500
    show_full_result_count = False
    # What str() of this model reads beyond its own row (a building names its community): other
    # admins' selects of this model fetch it in the same query as the options.
    label_select_related: tuple[str, ...] = ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related_admin = self.admin_site._registry.get(db_field.related_model)
        follow = getattr(related_admin, "label_select_related", ())
        if follow and "queryset" not in kwargs:
            queryset = self.get_field_queryset(kwargs.get("using"), db_field, request)
            if queryset is None:
                queryset = db_field.related_model._default_manager.all()
            kwargs["queryset"] = queryset.select_related(*follow)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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
            field.queryset = self.scope_choices(name, field.queryset, obj)
            label = self.choice_label(name)
            if label is not None:
                field.label_from_instance = label
            iterator = field.iterator(field)
            # A callable's result is re-read on every render; the cache makes it once. (iter()
            # first: list() would ask the iterator's len(), which counts in another query.)
            field.choices = cache(lambda iterator=iterator: list(iter(iterator)))
        return formset
