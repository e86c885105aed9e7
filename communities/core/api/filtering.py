"""The API's filter backend (its own module: REST framework's settings name it, and reading
them while ``core.api.base`` is imported would be an import cycle)."""

from django_filters import rest_framework as django_filters_drf


class DjangoFilterBackend(django_filters_drf.DjangoFilterBackend):
    """django-filter's backend, which builds no FilterSet for a request without query
    parameters: each of its filters would leave the queryset as it is for an empty value, and
    building the FilterSet's form (its fields made, then deep-copied) cost about 0.5 ms of
    every detail read and unfiltered list (tests/core/test_filterset_copy.py proves every
    FilterSet of the API leaves the queryset unchanged without parameters)."""

    def filter_queryset(self, request, queryset, view):
        if not request.query_params:
            return queryset
        return super().filter_queryset(request, queryset, view)
