from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from renovation.health import healthz

admin.site.site_header = admin.site.site_title = "老旧小区改造管理系统"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("communities.urls")),
]

if settings.DEBUG:
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))
