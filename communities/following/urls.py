"""Feeds and following (included at the site's root by renovation/urls.py)."""

from django.urls import path

from communities.following import views

app_name = "following"

urlpatterns = [
    path("communities/<str:pk>/feed/", views.CommunityFeed(), name="community-feed"),
    path("districts/<str:code>/feed/", views.DistrictFeed(), name="district-feed"),
    path(
        "follow/community/<str:key>/",
        views.subscribe,
        {"kind": "community"},
        name="subscribe-community",
    ),
    path(
        "follow/district/<str:key>/",
        views.subscribe,
        {"kind": "district"},
        name="subscribe-district",
    ),
    path("follow/confirm/<str:token>/", views.confirm, name="confirm"),
    path("follow/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
