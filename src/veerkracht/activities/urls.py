from django.urls import path

from veerkracht.activities import change_views, views

app_name = "activities"

urlpatterns = [
    path("activiteiten/", views.public_list, name="public_list"),
    path("activiteiten/<int:activity_id>/", views.public_detail, name="public_detail"),
    path("aanmelding/<str:token>/", views.public_registration, name="public_registration"),
    path("activiteiten/beheer/", views.manage_list, name="manage_list"),
    path("activiteiten/nieuw/", views.plan, name="plan"),
    path("activiteiten/<int:activity_id>/beheer/", views.manage, name="manage"),
    path("activiteiten/<int:activity_id>/wijzigen/", change_views.edit, name="edit"),
    path("activiteiten/<int:activity_id>/afzeggen/", change_views.cancel, name="cancel"),
    path("activiteiten/aanmelden-bewoner/", views.register_resident, name="register_resident"),
    path("activiteiten/<int:activity_id>/aanwezigheid/", views.attendance, name="attendance"),
    path("aanmeldingen/<int:registration_id>/annuleren/", views.cancel_registration, name="cancel_registration"),
    path("mijn-aanmeldingen/", views.own_registration_list, name="own_registrations"),
    path("mijn-aanmeldingen/<int:registration_id>/annuleren/", views.own_registration_cancel, name="own_cancel"),
    path("organisatie/afstandsregel/", views.capacity_rule, name="capacity_rule"),
]
