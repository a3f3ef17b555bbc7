from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    name = "veerkracht.onboarding"
    verbose_name = _("Onboarding: organisations, invitations, addresses and imports")

    def ready(self) -> None:
        from veerkracht.onboarding import tasks  # noqa: F401 - registers the import's background work
        from veerkracht.onboarding.privacy import PERSONAL_DATA
        from veerkracht.onboarding.resident_views import resident_panel_context
        from veerkracht.onboarding.retention import IMPORT_UPLOADS, RESIDENT_INVITATIONS
        from veerkracht.people.panels import ResidentPanel, resident_panels
        from veerkracht.people.registry import register
        from veerkracht.people.retention import kinds

        register(PERSONAL_DATA)
        kinds.register("onboarding: files uploaded for an import", IMPORT_UPLOADS)
        kinds.register("onboarding: invitations of residents", RESIDENT_INVITATIONS)
        resident_panels.register(
            "onboarding: the resident's own account",
            ResidentPanel("onboarding/_resident_account_panel.html", resident_panel_context),
        )
