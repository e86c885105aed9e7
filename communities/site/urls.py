"""The public site's URLs; models' ``get_absolute_url`` reverse the names here."""

from django.urls import path

from communities.site.objections import (
    elevator_notice,
    elevator_notice_filed,
    plan_notice,
    plan_notice_filed,
)
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
    path("favicon.ico", favicon, name="favicon"),
    # Public notices and residents' objections (communities/site/objections.py).
    path("elevators/<int:pk>/notice/", elevator_notice, name="elevator-notice"),
    path("elevators/<int:pk>/notice/filed/", elevator_notice_filed, name="elevator-notice-filed"),
    path("plans/<int:pk>/notice/", plan_notice, name="plan-notice"),
    path("plans/<int:pk>/notice/filed/", plan_notice_filed, name="plan-notice-filed"),
]
