"""Posters (PDF) and calendar feeds (iCalendar) of activities."""

from django.urls import URLPattern, path

from veerkracht.activities import feeds

app_name = "feeds"

urlpatterns: list[URLPattern] = [
    path("activiteiten/<int:activity_id>/poster.pdf", feeds.poster_pdf, name="poster"),
    path("agenda/<slug:org_slug>.ics", feeds.organisation_feed, name="organisation"),
    path("agenda/buurt/<str:neighbourhood_code>.ics", feeds.neighbourhood_feed, name="neighbourhood"),
    path("agenda/plek/<int:place_id>.ics", feeds.place_feed, name="place"),
]
