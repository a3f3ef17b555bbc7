from django.urls import path

from veerkracht.team import hours_views, views

app_name = "team"

urlpatterns = [
    path("vrijwilliger-worden/", views.signup_index, name="signup_index"),
    path("vrijwilliger-worden/<slug:org_slug>/", views.signup, name="signup"),
    path("wachtwoord-kiezen/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set_password"),
    path("vrijwilligers/", views.applications, name="applications"),
    path("vrijwilligers/<int:application_id>/", views.application, name="application"),
    path("vrijwilligers/<int:application_id>/activeren/", views.activate, name="activate"),
    path("vrijwilligers/<int:application_id>/afwijzen/", views.decline, name="decline"),
    path("teams/nieuw/", views.team_create, name="team_create"),
    path("teams/<int:team_id>/", views.team, name="team"),
    path("teams/<int:team_id>/buurten/", views.team_neighbourhoods, name="team_neighbourhoods"),
    path("teams/<int:team_id>/e-mail/", views.team_email, name="team_email"),
    path(
        "teams/<int:team_id>/leden/<int:user_id>/blokkeren/",
        views.member_disable_confirm,
        name="member_disable_confirm",
    ),
    path("teams/<int:team_id>/leden/<int:user_id>/blokkeren/ja/", views.member_disable, name="member_disable"),
    path("teams/<int:team_id>/leden/<int:user_id>/deblokkeren/", views.member_enable, name="member_enable"),
    path("gebruikers/", views.accounts, name="accounts"),
    path("gebruikers/<int:user_id>/blokkeren/", views.account_disable_confirm, name="account_disable_confirm"),
    path("gebruikers/<int:user_id>/blokkeren/ja/", views.account_disable, name="account_disable"),
    path("gebruikers/<int:user_id>/deblokkeren/", views.account_enable, name="account_enable"),
    path("afwezig/", views.away_add, name="away_add"),
    path("afwezig/<int:unavailability_id>/verwijderen/", views.away_remove, name="away_remove"),
    path("mijn-werk/", hours_views.my_work, name="my_work"),
    path("mijn-werk/uren/", hours_views.hours_add, name="hours_add"),
    path("mijn-werk/uren/<int:entry_id>/verwijderen/", hours_views.entry_remove, name="entry_remove"),
    path("uren/", hours_views.approvals, name="approvals"),
    path("uren/<int:sheet_id>/beoordelen/", hours_views.review, name="review"),
    path("uren/maand/", hours_views.month, name="month"),
    path("uren/maand.csv", hours_views.month_csv, name="month_csv"),
    path("uren/maand.xlsx", hours_views.month_xlsx, name="month_xlsx"),
    path("uren/contract/<int:user_id>/", hours_views.contract, name="contract"),
]
