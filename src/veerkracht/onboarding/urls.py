from django.urls import path

from veerkracht.onboarding import views

app_name = "onboarding"

urlpatterns = [
    path("uitnodiging/<str:token>/", views.accept, name="accept"),
    path("gebruikers/uitnodigen/", views.invite, name="invite"),
    path("gebruikers/uitnodigingen/<int:invitation_id>/intrekken/", views.revoke, name="revoke"),
    path("gebruikers/<int:user_id>/wijzigen/", views.member, name="member"),
    path("gebruikers/<int:user_id>/beeindigen/", views.member_end, name="member_end"),
]
