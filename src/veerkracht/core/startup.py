"""Checks made before the server starts, each failing with one clear line."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from veerkracht.core.registry import Registry

Migration = tuple[str, str]  # (app label, migration name)

# Checks of the apps above core (the demo's published logins), added from their AppConfig.ready;
# each raises ImproperlyConfigured with one clear line when the server must not start.
startup_checks: Registry[Callable[[], None]] = Registry("start-up check")


@dataclass(frozen=True)
class MigrationState:
    unapplied: list[Migration]  # known to the code, not yet in the database: run `veerkracht prepare`
    unknown: list[Migration]  # in the database, unknown to the code: a newer release migrated it


def migration_state(alias: str = DEFAULT_DB_ALIAS) -> MigrationState:
    """Compare the migrations the code has with those the database records as applied."""
    executor = MigrationExecutor(connections[alias])
    loader = executor.loader
    unapplied = [(m.app_label, m.name) for m, _ in executor.migration_plan(loader.graph.leaf_nodes())]
    # Only the apps this code has: a table of an app that was removed on purpose is not a newer release.
    unknown = sorted(
        key for key in loader.applied_migrations if key[0] in loader.migrated_apps and key not in loader.graph.nodes
    )
    return MigrationState(unapplied=unapplied, unknown=unknown)


def refuse_database_newer_than_code(state: MigrationState) -> None:
    if state.unknown:
        shown = ", ".join(f"{app}.{name}" for app, name in state.unknown[:3])
        more = f" and {len(state.unknown) - 3} more" if len(state.unknown) > 3 else ""
        raise ImproperlyConfigured(
            f"the database is newer than this release of Veerkracht: migrations {shown}{more} are applied but "
            "unknown to this code. Install the release that migrated it (see CHANGELOG.md), or restore a backup "
            "made before the upgrade"
        )


def check_database() -> None:
    """The database answers, every migration is applied, and none that this code does not know."""
    connection = connections[DEFAULT_DB_ALIAS]
    connection.ensure_connection()
    state = migration_state()
    refuse_database_newer_than_code(state)
    if state.unapplied:
        raise ImproperlyConfigured("the database is not up to date: run `veerkracht prepare` first")


def startup_checks_run() -> None:
    """Every app's own check (``startup_checks``); the first that fails stops the start with its message."""
    for check in startup_checks.values():
        check()
