"""Signing in with a username and password: Django's own backend, with the user's organisation
fetched alongside the user on every request (the page shell shows its name)."""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from veerkracht.core.compiled import CompiledRead
from veerkracht.core.models import User

# Every request of a signed-in user reads the user: compiled once, as the ORM would write it.
_USER = CompiledRead(lambda user_id: User._default_manager.select_related("organisation").filter(pk=user_id))


class AccountBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            user = _USER.one(user_id=int(user_id))
        except (TypeError, ValueError):
            return None
        return user if user is not None and self.user_can_authenticate(user) else None
