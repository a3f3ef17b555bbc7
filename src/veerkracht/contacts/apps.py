from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "veerkracht.contacts"
    verbose_name = _("Contacts and concerns")

    def ready(self) -> None:
        from veerkracht.contacts.privacy import PERSONAL_DATA
        from veerkracht.people.registry import register

        register(PERSONAL_DATA)

        from veerkracht.contacts.followups import start_page_reminder
        from veerkracht.core.startpage import register_reminders

        register_reminders("follow_ups", start_page_reminder)
