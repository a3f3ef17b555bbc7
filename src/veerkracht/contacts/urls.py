from django.urls import path

from veerkracht.contacts import views

app_name = "contacts"

urlpatterns = [
    path("bewoners/<int:resident_id>/contact/", views.contact_create, name="log"),
    path("bewoners/<int:resident_id>/zorgsignaal/", views.concern_create, name="raise"),
    path("bewoners/<int:resident_id>/tijdlijn/", views.resident_timeline_view, name="timeline"),
    path("zorgsignalen/<int:concern_id>/", views.concern_detail, name="concern"),
    path("werklijsten/zorgsignalen/", views.concern_worklist_view, name="concerns"),
    path("werklijsten/opvolgen/", views.follow_up_view, name="follow_ups"),
    path("werklijsten/opvolgen/bellen/<int:task_id>/gedaan/", views.call_task_done_view, name="call_task_done"),
    path("werklijsten/uit-beeld/", views.out_of_sight_view, name="out_of_sight"),
]
