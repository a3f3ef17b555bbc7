from django.urls import path

from veerkracht.people import views

app_name = "people"

urlpatterns = [
    path("", views.resident_list, name="list"),
    path("nieuw/", views.resident_create, name="create"),
    path("mijn-gegevens/", views.own_data, name="own_data"),
    path("adres-niet-gevonden/", views.address_not_found, name="address_not_found"),
    path("<int:resident_id>/", views.resident_detail, name="detail"),
    path("<int:resident_id>/wijzigen/", views.resident_edit, name="edit"),
    path("<int:resident_id>/inzage/", views.resident_export_view, name="export"),
    path("<int:resident_id>/wissen/", views.resident_erase_view, name="erase"),
]
