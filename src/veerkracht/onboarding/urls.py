from django.urls import path

from veerkracht.onboarding import platform_views, settings_views, views

app_name = "onboarding"

urlpatterns = [
    path("uitnodiging/<str:token>/", views.accept, name="accept"),
    path("gebruikers/uitnodigen/", views.invite, name="invite"),
    path("gebruikers/uitnodigingen/<int:invitation_id>/intrekken/", views.revoke, name="revoke"),
    path("gebruikers/<int:user_id>/wijzigen/", views.member, name="member"),
    path("gebruikers/<int:user_id>/beeindigen/", views.member_end, name="member_end"),
    path("organisatie/instellingen/", settings_views.organisation_settings, name="settings"),
    path("organisatie/buurten/", settings_views.geography_upload, name="geography_upload"),
    path("beheer/organisaties/", platform_views.organisations, name="platform"),
]
