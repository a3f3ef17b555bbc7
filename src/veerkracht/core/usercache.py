"""The signed-in user and their organisation, kept in the shared cache between requests (ADR 27);
an organisation alone too, for the public pages that show one (an activity's page, registering).

Every page needs the user (with their organisation: the shell shows its name, the tenancy sets
its id) before anything else, and building that query through the ORM on every request costs
more than the rest of a small page. The entry is kept in Django's ``default`` cache: Redis in
production, the database's cache table without it, shared by every server process, so that a
change made by one process is seen by all at once.

Invalidation is at the writes, never by waiting: a save or delete of the user or their
organisation (``core/signals.py``) and every ``update()`` of users (``core.models.UserQuerySet``)
call ``forget_users``. Deleting the entry would not be enough: a request that read the old row
just before the change committed could put it back afterwards. So the entry is replaced by a
mark. *Changing* (set at once when the change is made inside a transaction): readers go to the
database and store nothing, since what they read may be the row from before. *Changed* (set when
the transaction commits, or at once outside one): a reader that sees it read after the commit, so
it may replace the mark with what it read; a reader that saw nothing before its read stores with
``cache.add``, which never overwrites a mark. What remains is a second change of the same user
committed during one reader's read of the row (about a millisecond): that reader's copy may predate
the second change and overwrite its mark. So a copy read over a *changed* mark is kept for
``CHANGED_READ_SECONDS`` only: a deactivation is missed for at most that long, never for the
``USER_CACHE_SECONDS`` of an ordinary entry (the next reader after it stores for the full term again).

This module knows only keys and the cache; the caller passes the loader (``accounts/backends.py``).
"""

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

from veerkracht.version import installed_version

T = TypeVar("T")

# What an entry holds changes with the code (the model's fields): each release has its own keys.
_SCHEMA = 1
# A change inside a transaction longer than this (or rolled back) leaves the mark to expire: readers
# then store again, and the commit's own mark replaces whatever they stored.
CHANGING_SECONDS = 30
# How long a copy read over a *changed* mark is kept: the bound on the one race left (see above).
CHANGED_READ_SECONDS = 30
_CHANGING, _CHANGED = "changing", "changed"


def user_key(user_id: int) -> str:
    return f"veerkracht:user:{_SCHEMA}:{installed_version()}:{user_id}"


def organisation_key(organisation_id: int) -> str:
    return f"veerkracht:organisation:{_SCHEMA}:{installed_version()}:{organisation_id}"


def remembered_user(user_id: int, load: Callable[[int], T | None]) -> T | None:
    """The cached entry of ``user_id``, else ``load(user_id)`` (stored unless the entry was just changed)."""
    return _remembered(user_key(user_id), lambda: load(user_id))


def remembered_organisation(organisation_id: int, load: Callable[[int], T | None]) -> T | None:
    """The cached organisation, else ``load(organisation_id)``, kept and forgotten as a user is."""
    return _remembered(organisation_key(organisation_id), lambda: load(organisation_id))


def _remembered(key: str, load: Callable[[], T | None]) -> T | None:
    cache = caches["default"]
    kept = cache.get(key)
    if kept is not None and kept not in (_CHANGING, _CHANGED):
        return kept  # type: ignore[no-any-return]  # only loaded rows and marks are stored under these keys
    loaded = load()
    if loaded is None or kept == _CHANGING:
        return loaded
    if kept == _CHANGED:
        cache.set(key, loaded, CHANGED_READ_SECONDS)  # read after the change committed: briefly (see above)
    else:
        cache.add(key, loaded, settings.USER_CACHE_SECONDS)  # never over a mark set since our read
    return loaded


def forget_users(user_ids: Iterable[int]) -> None:
    """The users' entries are stale: marked *changing* now, *changed* once the transaction commits."""
    _forget([user_key(user_id) for user_id in set(user_ids)])


def forget_organisation(organisation_id: int) -> None:
    """The organisation's own entry is stale (its users' entries are forgotten by ``forget_users``)."""
    _forget([organisation_key(organisation_id)])


def _forget(keys: list[str]) -> None:
    if not keys:
        return
    cache = caches["default"]
    if not transaction.get_autocommit():  # inside a transaction: nothing may be stored until it commits
        cache.set_many(dict.fromkeys(keys, _CHANGING), CHANGING_SECONDS)
    transaction.on_commit(lambda: cache.set_many(dict.fromkeys(keys, _CHANGED), settings.USER_CACHE_SECONDS))
