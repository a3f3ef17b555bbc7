from django.urls import path

from veerkracht.onboarding import import_views, platform_views, resident_views, settings_views, views

app_name = "onboarding"

urlpatterns = [
    path("uitnodiging/<str:token>/", views.accept, name="accept"),
    path("eigen-account/<str:token>/", resident_views.accept, name="resident_accept"),
    path("bewoners/<int:resident_id>/eigen-account/", resident_views.invite, name="resident_invite"),
    path("bewoners/<int:resident_id>/eigen-account/intrekken/", resident_views.withdraw, name="resident_withdraw"),
    path("gebruikers/uitnodigen/", views.invite, name="invite"),
    path("gebruikers/uitnodigingen/<int:invitation_id>/intrekken/", views.revoke, name="revoke"),
    path("gebruikers/<int:user_id>/wijzigen/", views.member, name="member"),
    path("gebruikers/<int:user_id>/beeindigen/", views.member_end, name="member_end"),
    path("beheer/import/", import_views.start, name="import_start"),
    path("beheer/import/<int:upload_id>/kolommen/", import_views.columns, name="import_columns"),
    path("beheer/import/<int:upload_id>/", import_views.status, name="import_status"),
    path("beheer/import/<int:upload_id>/voortgang/", import_views.progress, name="import_progress"),
    path("beheer/import/<int:upload_id>/importeren/", import_views.run, name="import_run"),
    path("organisatie/instellingen/", settings_views.organisation_settings, name="settings"),
    path("organisatie/buurten/", settings_views.geography_upload, name="geography_upload"),
    path("beheer/organisaties/", platform_views.organisations, name="platform"),
]
