"""Typed readers for settings from the environment that fail loudly on a bad value."""

import os
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """The variable's value, or the default when it is not set."""
    return os.environ.get(name, default)


def env_bool(name: str, *, default: bool) -> bool:
    """A yes/no variable; anything other than a clear yes or no is an error."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a yes/no value (use 1/0, true/false, yes/no, on/off)")


def env_int(name: str, *, default: int, minimum: int | None = None) -> int:
    """A whole-number variable, optionally with a lower bound."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} is below the minimum of {minimum}")
    return value


def env_list(name: str, *, default: list[str]) -> list[str]:
    """A comma-separated list variable; blanks are dropped."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, *, choices: tuple[str, ...], default: str) -> str:
    """A variable that must be one of a fixed set of values."""
    value = os.environ.get(name, default).strip()
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} is not one of {', '.join(choices)}")
    return value


SUPPORTED_DATABASES = ("django.db.backends.postgresql", "django.db.backends.sqlite3")


def database_from_url(url: str) -> dict[str, Any]:
    """Django's DATABASES entry for a DATABASE_URL; PostgreSQL and SQLite only."""
    try:
        config: dict[str, Any] = dict(
            dj_database_url.parse(
                url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", default=60, minimum=0), conn_health_checks=True
            )
        )
    except (ValueError, dj_database_url.UnknownSchemeError) as error:
        raise ImproperlyConfigured(f"DATABASE_URL is not usable: {error}") from None
    if config["ENGINE"] not in SUPPORTED_DATABASES:
        raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (postgres://…) or SQLite (sqlite:///…)")
    if config["ENGINE"] == "django.db.backends.postgresql" and env_bool("DATABASE_PREPARED_STATEMENTS", default=True):
        # Parameters bound by the server, and a statement a connection runs again prepared (from its
        # sixth run): PostgreSQL then plans it once per connection instead of on every run; planning
        # a page's statements (their row-level security policies included) cost it more than running
        # them. Off behind a pooler in transaction mode, where prepared statements do not persist.
        # Options from the URL (sslmode, ...) are kept.
        config.setdefault("OPTIONS", {}).update({"server_side_binding": True, "prepare_threshold": 5})
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the server read while the task worker or demo loader writes.
        config.setdefault("OPTIONS", {}).update(
            {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            }
        )
    return config
