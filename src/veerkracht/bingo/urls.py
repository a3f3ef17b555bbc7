from django.urls import path

from veerkracht.bingo import views

app_name = "bingo"

urlpatterns = [
    path("activiteiten/<int:activity_id>/bingo/", views.games, name="games"),
    path("bingo/<int:game_id>/", views.caller, name="caller"),
    path("bingo/<int:game_id>/stand/", views.board, name="board"),
    path("bingo/<int:game_id>/trekken/", views.draw, name="draw"),
    path("bingo/<int:game_id>/kaarten.pdf", views.cards_pdf, name="cards_pdf"),
    path("bingo/<int:game_id>/controleren/", views.check, name="check"),
    path("bingo/<int:game_id>/afsluiten/", views.close, name="close"),
]
