from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from renovation.health import healthz

admin.site.site_header = admin.site.site_title = "老旧小区改造管理系统"

handler404 = "renovation.errors.page_not_found"
# A database outage met outside a view answers 503, anything else Django's 500 page.
handler500 = "renovation.resilience.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # Choosing the display language needs no CSRF token: it changes nothing but the visitor's
    # own pages, and pages without a token are the same for everybody (cacheable).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("open311/v2/", include("communities.open311_urls")),
    path("api/v1/", include("communities.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("", include("communities.urls")),
]

if settings.DEBUG:
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))
