"""The demo logins: published on purpose, so they may only exist in a demo or development set-up.

``make run`` prints them and the start-up check refuses to serve outside demo mode while any of
them still opens with the published password.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from veerkracht.core.models import User

DEMO_PASSWORD = "veerkracht-demo"  # noqa: S105 - published on purpose, see above

# Username -> (role, what the login is for), in the order they are shown.
DEMO_LOGINS: dict[str, tuple[str, str]] = {
    "coordinator": ("coordinator", "coördinator: sees the whole organisation"),
    "worker": ("professional", "buurtcoach in the first wijkteam"),
    "basisbaan": ("basisbaan", "basisbaan worker in the first wijkteam"),
    "volunteer": ("volunteer", "volunteer in the first wijkteam"),
    "resident": ("resident", "a resident of the first neighbourhood"),
    "privacy": ("privacy_officer", "privacy officer (FG): reads the audit log"),
    "funder": ("funder", "the municipality as funder: aggregates only"),
}
DEMO_USERNAMES: tuple[str, ...] = tuple(DEMO_LOGINS)


def refuse_demo_logins_outside_demo_mode() -> None:
    """Demo accounts share a published password: outside demo mode they must not exist (a start-up check)."""
    if settings.DEMO_MODE or settings.DEBUG:
        return
    for user in User.objects.filter(username__in=DEMO_USERNAMES, is_active=True):
        if user.check_password(DEMO_PASSWORD):
            raise ImproperlyConfigured(
                f"demo login {user.username!r} with the published password exists; "
                "start with DEMO_MODE=1 or disable the demo accounts"
            )
