from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "veerkracht.messaging"
    verbose_name = _("Messages and video calls")

    def ready(self) -> None:
        from veerkracht.messaging import delivery  # noqa: F401 - registers the delivery run
        from veerkracht.messaging.privacy import PERSONAL_DATA
        from veerkracht.people.registry import register

        register(PERSONAL_DATA)
