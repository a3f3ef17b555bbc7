"""Signing in with a username and password: Django's own backend, with the user's organisation
fetched alongside the user, and both kept in the shared cache between requests (core/usercache.py,
docs/adr/0027). ``get_user`` is the seam Django's authentication offers a backend: Django still
checks the session's hash against the user it returns, so a changed password or ended sessions
take effect as soon as the cached copy is forgotten, which every change of a user does."""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from veerkracht.core.models import User
from veerkracht.core.usercache import remembered_user


def _user_with_organisation(user_id: int) -> User | None:
    user: User | None = User._default_manager.select_related("organisation").filter(pk=user_id).first()
    return user


class AccountBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        user = remembered_user(user_id, _user_with_organisation)
        return user if user is not None and self.user_can_authenticate(user) else None
