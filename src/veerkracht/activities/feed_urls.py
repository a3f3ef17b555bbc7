"""Posters (PDF) and calendar feeds (iCalendar) of activities."""

from django.urls import URLPattern

app_name = "feeds"

urlpatterns: list[URLPattern] = []
