"""Schema classes for views whose query parameters a serializer validates, or whose ``list``
answers one summary object."""

from rest_framework import serializers

from communities.core.api.base import ApiAutoSchema


class QueryParametersSchema(ApiAutoSchema):
    """Also documents the 400 of a GET whose query parameters a serializer validates when the
    serializer is declared through ``extend_schema(parameters=[...])``."""

    def _error_codes(self) -> list[tuple[str, object]]:
        codes = super()._error_codes()
        validated = any(
            isinstance(parameter, serializers.BaseSerializer)
            or (isinstance(parameter, type) and issubclass(parameter, serializers.BaseSerializer))
            for parameter in self.get_override_parameters()
        )
        if self.method == "GET" and validated and all(code != "400" for code, _ in codes):
            codes.insert(0, ("400", "validation"))
        return codes


class SummarySchema(QueryParametersSchema):
    """The schema of a viewset whose ``list`` answers one summary object, not an array
    (drf-spectacular takes every ``list`` action for a list)."""

    def _is_list_view(self, serializer=None) -> bool:
        return False
