from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    name = "veerkracht.onboarding"
    verbose_name = _("Onboarding: organisations, invitations, addresses and imports")
