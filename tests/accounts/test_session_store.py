"""Sessions are Django's own ``cached_db`` sessions: in the database, read through the cache."""

from datetime import timedelta

from django.contrib.sessions.backends.cached_db import SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.utils import timezone

from tests.conftest import Cast
from tests.factories import PASSWORD


def test_a_signed_in_session_survives_losing_the_cache(cast: Cast, client):
    """The database holds the session: a restarted or emptied cache does not sign anyone out."""
    client.post("/inloggen/", {"username": "pro", "password": PASSWORD})
    assert client.get("/").status_code == 200
    assert Session.objects.filter(session_key=client.session.session_key).exists()
    caches["default"].clear()
    assert client.get("/").status_code == 200


def test_an_expired_or_unknown_session_reads_as_a_new_empty_one(db):
    session = SessionStore()
    session["answer"] = 42
    session.save()
    Session.objects.filter(session_key=session.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    caches["default"].clear()
    for key in (session.session_key, "no-such-session-key-at-all"):
        again = SessionStore(key)
        assert again.load() == {}
        assert again.session_key is None  # a new key is made when it is saved, as Django does
