from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "veerkracht.contacts"
    verbose_name = _("Contacts and concerns")

    def ready(self) -> None:
        from veerkracht.contacts.privacy import PERSONAL_DATA
        from veerkracht.people.registry import register

        register(PERSONAL_DATA)
