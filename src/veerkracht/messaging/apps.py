from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "veerkracht.messaging"
    verbose_name = _("Messages and video calls")

    def ready(self) -> None:
        from veerkracht.core.daily import register_daily_job
        from veerkracht.core.jinja import template_filters
        from veerkracht.messaging import bounces, delivery, videocalls  # delivery registers the delivery run
        from veerkracht.messaging.privacy import PERSONAL_DATA
        from veerkracht.people.registry import register

        register(PERSONAL_DATA)
        register_daily_job("messaging: SMS held without a provider", delivery.held_sms_job)
        register_daily_job("messaging: e-mail bounces", bounces.bounces_job)
        register_daily_job("messaging: video call reminders", videocalls.reminders_job)
        template_filters.register("bounce_explained", bounces.bounce_explained)
