"""Reads that may lag, sent to a streaming replica of PostgreSQL when one is configured.

With ``DATABASE_REPLICA_URL`` set, settings adds the ``replica`` database and this router. Only a
block inside ``lagging_reads()`` reads from it: the dashboards and their exports, figures that may
be a few seconds behind. Everything else (sign-in, sessions, every write and every read that
decides a write) stays on ``default``, so a user never misses what they just saved. Without the
variable the router is not installed and ``lagging_reads()`` does nothing.

Row-level security holds on the replica too (it replays the primary's policies): on entering the
block the replica's connection is told the organisation this request works for. A replica that
does not answer is passed over: the block reads from ``default`` instead of failing the page.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from veerkracht.core.dbroles import SETTING
from veerkracht.core.tenancy import current_scope

REPLICA = "replica"
_lagging: ContextVar[bool] = ContextVar("veerkracht_lagging_reads", default=False)
logger = logging.getLogger(__name__)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """``replica`` for reads inside ``lagging_reads()``; ``default`` for everything else."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        return REPLICA if _lagging.get() and replica_configured() else DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, first: Any, second: Any, **hints: Any) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db != REPLICA  # a standby is read-only: it follows the primary's migrations


def _postgres() -> bool:
    return "postgresql" in str(settings.DATABASES[REPLICA].get("ENGINE", ""))


def _tell_replica_the_organisation() -> bool:
    """Set the request's organisation on the replica's connection; False when the replica does not answer."""
    if not _postgres():
        return True  # no row-level security to tell (SQLite: the tests)
    replica = connections[REPLICA]
    scope = current_scope()
    try:
        with replica.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, false)", [SETTING, str(scope or "")])
    except DatabaseError as error:  # the class only: the message may quote SQL
        logger.warning("replica unavailable (%s): reading from the primary", type(error).__name__)
        replica.close()
        return False
    return True


@contextmanager
def lagging_reads() -> Iterator[None]:
    """Reads in this block may come from the replica (a few seconds behind the primary)."""
    if not replica_configured() or _lagging.get() or not _tell_replica_the_organisation():
        yield
        return
    token = _lagging.set(True)
    try:
        yield
    finally:
        _lagging.reset(token)
        _forget_organisation()


def _forget_organisation() -> None:
    """The connection is reused by the next request, which may be anonymous or another organisation's."""
    if not _postgres():
        return
    replica = connections[REPLICA]
    if replica.connection is None:
        return
    try:
        with replica.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, '', false)", [SETTING])
    except DatabaseError:
        replica.close()
