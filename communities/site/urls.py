"""The public site's URLs; models' ``get_absolute_url`` reverse the names here."""

from django.urls import path

from communities.site import posters, report
from communities.site.objections import (
    elevator_notice,
    elevator_notice_filed,
    plan_notice,
    plan_notice_filed,
)
from communities.site.regions import region_detail, region_index
from communities.site.reports import region_report
from communities.site.views import (
    community_detail,
    community_export,
    community_list,
    community_map,
    district_detail,
    favicon,
    home,
    satisfaction,
)

app_name = "site"

urlpatterns = [
    path("", home, name="home"),
    path("communities/", community_list, name="community-list"),
    path("communities/export.csv", community_export, name="community-export"),
    path("communities/<int:pk>/", community_detail, name="community"),
    path("map/", community_map, name="map"),
    path("districts/<str:code>/", district_detail, name="district"),
    path("satisfaction/", satisfaction, name="satisfaction"),
    path("reports/<str:code>/", region_report, name="region-report"),
    path("regions/", region_index, name="regions"),
    path("regions/<str:code>/", region_detail, name="region"),
    path("favicon.ico", favicon, name="favicon"),
    # Residents report a repair and follow it (communities/site/report.py, posters.py).
    path("report/", report.report, name="report"),
    path("report/nearby/", report.report_nearby, name="report-nearby"),
    path("report/me-too/<int:pk>/", report.report_support, name="report-support"),
    path("report/track/<str:token>/", report.report_track, name="report-track"),
    path("report/track/<str:token>/fixed/", report.report_fixed, name="report-fixed"),
    path("report/track/<str:token>/not-fixed/", report.report_not_fixed, name="report-not-fixed"),
    path("communities/<int:pk>/report/", report.report_community, name="report-community"),
    path("communities/<int:pk>/poster.svg", posters.community_poster, name="poster-community"),
    path(
        "communities/<int:pk>/buildings/<int:building>/poster.svg",
        posters.building_poster,
        name="poster-building",
    ),
    # Public notices and residents' objections (communities/site/objections.py).
    path("elevators/<int:pk>/notice/", elevator_notice, name="elevator-notice"),
    path("elevators/<int:pk>/notice/filed/", elevator_notice_filed, name="elevator-notice-filed"),
    path("plans/<int:pk>/notice/", plan_notice, name="plan-notice"),
    path("plans/<int:pk>/notice/filed/", plan_notice_filed, name="plan-notice-filed"),
]
