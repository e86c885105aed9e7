from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=`` and ``?page_size=`` (at most 200), in the shape every list answers with.

    A page size above the cap is served at the cap; a malformed page or page size is a 400
    (DRF would silently fall back to the default size, or answer 404 for ``?page=abc``). A
    page past the last is a 404.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        self._check_positive(request, self.page_query_param, allow=set(self.last_page_strings))
        self._check_positive(request, self.page_size_query_param)
        return super().paginate_queryset(queryset, request, view)

    @staticmethod
    def _check_positive(request, name: str, allow: set[str] = frozenset()) -> None:
        value = request.query_params.get(name)
        if value is None or value in allow:
            return
        if not value.isascii() or not value.isdigit() or int(value) < 1:
            raise exceptions.ValidationError({name: [_("Enter a whole number of 1 or more.")]})

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = str(
                    _(
                        "Number of results per page (default %(default)s; a larger size is "
                        "served as %(max)s)."
                    )
                    % {"default": self.page_size, "max": self.max_page_size}
                )
        return parameters
