"""Django's database sessions, read with one plain SELECT.

Every request reads its session. Through the ORM that read cost about 900 Python calls:
building, compiling and running the query for one column of one row, about an eighth of a
cached page's work (docs/adr/0015-load-budget-and-page-caching.md). Writing, expiry and
everything else are Django's own.
"""

from typing import Any

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def load(self) -> dict[str, Any]:
        connection = connections[router.db_for_read(self.model)]
        table = connection.ops.quote_name(self.model._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",  # noqa: S608 - the model's own table
                [self.session_key, now],
            )
            row = cursor.fetchone()
        if row is None:  # unknown or expired: as Django's, a new session with a new key
            self._session_key = None
            return {}
        return self.decode(row[0])
