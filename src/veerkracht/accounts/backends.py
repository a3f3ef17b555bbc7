"""Signing in with a username and password: Django's own backend, with the user's organisation
fetched alongside the user on every request (the page shell shows its name)."""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from veerkracht.core.models import User


class AccountBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User._default_manager.select_related("organisation").filter(pk=int(user_id)).first()
        except (TypeError, ValueError):
            return None
        return user if user is not None and self.user_can_authenticate(user) else None
