from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "veerkracht.contacts"
    verbose_name = _("Contacts and concerns")

    def ready(self) -> None:
        from veerkracht.contacts.privacy import contacts_erase, contacts_export
        from veerkracht.people.registry import register_erasure_step, register_export_section

        register_export_section("contact_log", contacts_export)
        register_erasure_step("contact_log", contacts_erase)
