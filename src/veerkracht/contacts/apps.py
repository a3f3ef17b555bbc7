from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "veerkracht.contacts"
    verbose_name = _("Contacts and concerns")

    def ready(self) -> None:
        from veerkracht.contacts import retention, views
        from veerkracht.contacts.followups import start_page_reminder
        from veerkracht.contacts.privacy import PERSONAL_DATA
        from veerkracht.core.startpage import register_reminders
        from veerkracht.people.panels import ResidentPanel, resident_panels
        from veerkracht.people.registry import register
        from veerkracht.people.retention import kinds, resident_holds

        register(PERSONAL_DATA)
        resident_holds.register("contacts: concerns", retention.resident_held_by_a_concern)
        resident_panels.register(
            "contacts: contact log", ResidentPanel("contacts/contact_panel.html", views.resident_panel_context)
        )
        kinds.register("contacts: contact notes", retention.CONTACT_NOTES)
        kinds.register("contacts: concerns", retention.CONCERNS)
        kinds.register("contacts: phone calls to make", retention.CALL_TASKS)
        register_reminders("contacts: follow-ups", start_page_reminder)
