from django.urls import path

from veerkracht.help import views

app_name = "help"

urlpatterns = [
    path("burenhulp/", views.board, name="board"),
    path("burenhulp/koppelen/", views.match, name="match"),
    path("burenhulp/koppelen/<str:run_id>/", views.run_status, name="run"),
    path("burenhulp/hulpvragen/nieuw/", views.request_create, name="request_create"),
    path("burenhulp/hulpvragen/<int:request_id>/", views.request_detail, name="request"),
    path("burenhulp/hulpvragen/<int:request_id>/voorstellen/", views.propose, name="propose"),
    path("burenhulp/hulpvragen/<int:request_id>/annuleren/", views.cancel, name="cancel"),
    path("burenhulp/checkins/<int:check_in_id>/", views.check_in_done, name="check_in_done"),
    path("mijn-hulpvragen/", views.own_requests, name="own_requests"),
    path("mijn-hulp/", views.my_tasks, name="my_tasks"),
    path("mijn-hulp/aanbod/", views.offer, name="offer"),
    path("mijn-hulp/<int:match_id>/", views.task, name="task"),
    path("mijn-hulp/<int:match_id>/accepteren/", views.accept, name="accept"),
    path("mijn-hulp/<int:match_id>/afwijzen/", views.decline, name="decline"),
    path("mijn-hulp/<int:match_id>/gedaan/", views.done, name="done"),
]
