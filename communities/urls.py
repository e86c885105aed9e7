from django.urls import path

from communities import views

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path("communities/", views.community_list, name="community-list"),
    path("communities/<int:pk>/", views.community_detail, name="community"),
    path("districts/<str:code>/", views.district_detail, name="district"),
]
