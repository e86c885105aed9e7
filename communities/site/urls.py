"""The public site's URLs; models' ``get_absolute_url`` reverse the names here."""

from django.urls import path

from communities.site.regions import region_detail, region_index
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
    path("regions/", region_index, name="regions"),
    path("regions/<str:code>/", region_detail, name="region"),
    path("favicon.ico", favicon, name="favicon"),
]
