from django.urls import path

from veerkracht.accounts import reset, views

app_name = "accounts"

urlpatterns = [
    path("inloggen/code/", views.verify, name="verify"),
    path("account/", views.security, name="security"),
    path("account/bevestigen/", views.reauthenticate, name="reauthenticate"),
    path("account/tweestapsverificatie/", views.enrol, name="enrol"),
    path("account/tweestapsverificatie/uitzetten/", views.second_factor_remove, name="second_factor_remove"),
    path("account/herstelcodes/", views.recovery_codes, name="recovery_codes"),
    path("account/herstelcodes/nieuw/", views.recovery_codes_renew, name="recovery_codes_renew"),
    path("account/e-mail/", views.email, name="email"),
    path("account/wachtwoord/", views.password, name="password"),
    path("account/overal-uitloggen/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("wachtwoord-vergeten/", reset.ResetRequestView.as_view(), name="password_reset"),
    path("wachtwoord-vergeten/verstuurd/", reset.ResetDoneView.as_view(), name="password_reset_done"),
    path("wachtwoord-herstellen/<uidb64>/<token>/", reset.ResetConfirmView.as_view(), name="password_reset_confirm"),
]
