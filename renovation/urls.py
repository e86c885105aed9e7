import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from communities.core import media
from renovation.health import healthz
from renovation.metrics import metrics

handler404 = "renovation.errors.page_not_found"
# A database outage met outside a view answers 503, anything else Django's 500 page.
handler500 = "renovation.resilience.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    path("admin/", admin.site.urls),
    # Choosing the display language needs no CSRF token: it changes nothing but the visitor's
    # own pages, and pages without a token are the same for everybody (cacheable).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("open311/v2/", include("communities.repairs.open311.urls")),
    path("api/v1/", include("renovation.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("", include("communities.following.urls")),
    path("", include("communities.site.urls")),
]

if settings.MEDIA_URL.startswith("/"):
    # Answered while settings.MEDIA_SERVE is on (communities.core.media), with nosniff and, for
    # documents, as an attachment; else 404, a server in front serving MEDIA_URL itself.
    urlpatterns.append(
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.+)$",
            media.serve_media,
            name="media",
        )
    )
