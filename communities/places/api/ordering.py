"""``?ordering=`` by the stored sort keys: a name in pinyin order, a number in natural order."""

from communities.core.api.base import StrictOrderingFilter


class SortKeyOrderingFilter(StrictOrderingFilter):
    """``StrictOrderingFilter`` that orders a field by its sort key where the view has one
    (``ordering_sort_keys``: field → key, e.g. ``{"name": "name_sort"}``), the field itself
    breaking ties. The accepted values, and so the schema, stay the view's ordering_fields."""

    def get_ordering(self, request, queryset, view):
        terms = super().get_ordering(request, queryset, view)
        keys = getattr(view, "ordering_sort_keys", {})
        if not terms or not keys:
            return terms
        ordering: list = []
        for term in terms:
            name = term.lstrip("-") if isinstance(term, str) else None
            if name in keys:
                ordering.append(term[: len(term) - len(name)] + keys[name])
            ordering.append(term)
        return ordering
