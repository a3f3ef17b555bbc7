"""Public pages of meeting places (with the map)."""

from django.urls import URLPattern

app_name = "places"

urlpatterns: list[URLPattern] = []
