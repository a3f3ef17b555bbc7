"""Checks made before the server starts, each failing with one clear line."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


def check_database() -> None:
    """The database answers and every migration is applied."""
    connection = connections[DEFAULT_DB_ALIAS]
    connection.ensure_connection()
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise ImproperlyConfigured("the database is not up to date: run `veerkracht migrate` first")


def refuse_demo_logins_outside_demo_mode() -> None:
    """Demo accounts share a published password: outside demo mode they must not exist."""
    if settings.DEMO_MODE or settings.DEBUG:
        return
    from veerkracht.core.models import User
    from veerkracht.demo.logins import DEMO_PASSWORD, DEMO_USERNAMES

    for user in User.objects.filter(username__in=DEMO_USERNAMES, is_active=True):
        if user.check_password(DEMO_PASSWORD):
            raise ImproperlyConfigured(
                f"demo login {user.username!r} with the published password exists; "
                "start with DEMO_MODE=1 or disable the demo accounts"
            )
