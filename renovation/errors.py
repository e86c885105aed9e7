"""Error pages: the API answers in JSON even where no API view was reached.

A URL under ``/api/`` that no route matches (``/api/v1/buildings/0.5/``) is resolved by Django,
not DRF, so without this it would get the public site's HTML 404 page, which an API client
cannot read and the OpenAPI schema does not promise.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework.exceptions import NotFound

API_PREFIX = "/api/"


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)
