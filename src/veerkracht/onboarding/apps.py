from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    name = "veerkracht.onboarding"
    verbose_name = _("Onboarding: organisations, invitations, addresses and imports")

    def ready(self) -> None:
        from veerkracht.onboarding import tasks  # noqa: F401 - registers the import's background work
        from veerkracht.onboarding.retention import IMPORT_UPLOADS
        from veerkracht.people.retention import kinds

        kinds.register("onboarding: files uploaded for an import", IMPORT_UPLOADS)
