from django.urls import path

from veerkracht.insights import views

app_name = "insights"

urlpatterns = [
    path("inzicht/", views.dashboard, name="dashboard"),
    path("inzicht/export/<slug:name>.<str:fmt>", views.export, name="export"),
    path("inzicht/kwartaalrapportage.pdf", views.quarterly, name="quarterly"),
    path("inzicht/puls/", views.pulse, name="pulse"),
    path("inzicht/peilingen/", views.surveys, name="surveys"),
    path("inzicht/peilingen/<int:survey_id>/papier/", views.survey_paper, name="survey_paper"),
    path("peiling/<uuid:token>/", views.survey_public, name="survey_public"),
]
