"""Public pages of meeting places (with the map)."""

from django.urls import URLPattern, path

from veerkracht.places import views

app_name = "places"

urlpatterns: list[URLPattern] = [
    path("", views.place_list, name="list"),
    path("<int:place_id>/", views.place_detail, name="detail"),
]
