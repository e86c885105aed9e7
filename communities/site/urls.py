"""The public site's URLs; models' ``get_absolute_url`` reverse the names here."""

from django.urls import path

from communities.site import views
from communities.site.views import satisfaction

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path("communities/", views.community_list, name="community-list"),
    path("communities/export.csv", views.community_export, name="community-export"),
    path("communities/<int:pk>/", views.community_detail, name="community"),
    path("map/", views.community_map, name="map"),
    path("districts/<str:code>/", views.district_detail, name="district"),
    path("satisfaction/", satisfaction, name="satisfaction"),
]
