from django.urls import path

from veerkracht.messaging import call_views, provider_webhooks, unsubscribe_views, views, webhook

app_name = "messaging"

urlpatterns = [
    path("berichten/", views.message_list, name="list"),
    path("berichten/nieuw/", views.compose, name="compose"),
    path("berichten/taalhint/", views.hint, name="hint"),
    path("berichten/<int:message_id>/", views.detail, name="detail"),
    path("berichten/<int:message_id>/brieven/", views.letters, name="letters"),
    path("berichten/<int:message_id>/brieven.pdf", views.letters_pdf, name="letters_pdf"),
    path("berichten/ontvangers/<int:recipient_id>/beantwoord/", views.answered, name="answered"),
    path("sms/afleverrapport/", webhook.delivery_report, name="delivery_report"),
    path("sms/<str:token>/rapport/", provider_webhooks.provider_report, name="provider_report"),
    path("sms/<str:token>/inkomend/", provider_webhooks.provider_inbound, name="provider_inbound"),
    path("afmelden/e-mail/<str:token>/", unsubscribe_views.email_unsubscribe, name="email_unsubscribe"),
    path("bewoners/<int:resident_id>/beeldbellen/", call_views.plan, name="video_call_plan"),
    path("beeldbellen/<int:call_id>/", call_views.detail, name="video_call"),
    path("beeldbellen/<int:call_id>/starten/", call_views.start, name="video_call_start"),
    path("beeldbellen/<int:call_id>/afronden/", call_views.complete, name="video_call_complete"),
    path("beeldbellen/<int:call_id>/annuleren/", call_views.cancel, name="video_call_cancel"),
]
