"""Which accounts must use a second factor and time out when idle: one place, read by the middleware and views."""

from django.conf import settings

from veerkracht.core.models import User
from veerkracht.core.roles import Role

# The roles that read residents' records or the audit log: their sign-in is worth the most to an attacker.
SECOND_FACTOR_ROLES = frozenset({Role.COORDINATOR, Role.PROFESSIONAL, Role.PRIVACY_OFFICER})
# Professionals leave laptops open in community centres: their sessions end after a quiet spell.
IDLE_TIMEOUT_ROLES = SECOND_FACTOR_ROLES


def second_factor_required(user: User) -> bool:
    """Whether the user must have and use a second factor (a setting, relaxed in the demo and tests).

    A platform administrator (a Django superuser, who has no role) creates organisations and their
    coordinators' links: worth at least as much to an attacker as a coordinator's sign-in.
    """
    return bool(settings.TWO_FACTOR_REQUIRED and (user.role in SECOND_FACTOR_ROLES or user.is_superuser))


def idle_timeout_applies(user: User) -> bool:
    """Whether the user's session ends after ``SESSION_IDLE_TIMEOUT_S`` without a request."""
    return user.role in IDLE_TIMEOUT_ROLES
