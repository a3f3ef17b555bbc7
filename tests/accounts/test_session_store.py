"""The session store: Django's database sessions, read with one plain SELECT (accounts/sessions.py)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from veerkracht.accounts.sessions import SessionStore


def test_the_project_uses_it():
    assert settings.SESSION_ENGINE == "veerkracht.accounts.sessions"


def test_a_saved_session_reads_back(db):
    session = SessionStore()
    session["answer"] = {"kept": [1, 2]}
    session.save()
    assert SessionStore(session.session_key)["answer"] == {"kept": [1, 2]}


def test_an_expired_or_unknown_session_reads_as_a_new_empty_one(db):
    session = SessionStore()
    session["answer"] = 42
    session.save()
    Session.objects.filter(session_key=session.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    for key in (session.session_key, "no-such-session-key-at-all"):
        again = SessionStore(key)
        assert again.load() == {}
        assert again.session_key is None  # a new key is made when it is saved, as Django does
