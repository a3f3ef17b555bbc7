from django.urls import path

from veerkracht.outreach import views

app_name = "outreach"

urlpatterns = [
    path("rondes/", views.rounds, name="rounds"),
    path("rondes/nieuw/", views.plan, name="plan"),
    path("rondes/kandidaten/", views.candidate_list, name="candidates"),
    path("rondes/prioriteiten/", views.priorities, name="priorities"),
    path("rondes/deur-markeren/<int:resident_id>/", views.flag, name="flag"),
    path("rondes/<int:round_id>/", views.round_detail, name="round"),
    path("rondes/<int:round_id>/voortgang/", views.progress, name="progress"),
    path("rondes/<int:round_id>/afdrukken/", views.print_list, name="print"),
    path("rondes/<int:round_id>/mijn-lijst/", views.walk, name="walk"),
    path("rondes/<int:round_id>/deuren/<int:stop_id>/", views.door, name="door"),
]
