from django.urls import path

from veerkracht.core import views

app_name = "core"

urlpatterns = [
    path("teams/", views.teams, name="teams"),
    path("audit/", views.audit_log, name="audit_log"),
    path("meldingen/gelezen/", views.notifications_read, name="notifications_read"),
]
