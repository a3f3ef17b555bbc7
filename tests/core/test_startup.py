"""Start-up checks: demo logins outside demo mode, and the demo logins printout."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from tests.factories import UserFactory
from veerkracht.core.startup import check_database, startup_checks, startup_checks_run
from veerkracht.demo.logins import DEMO_PASSWORD, refuse_demo_logins_outside_demo_mode


def test_a_demo_login_with_the_published_password_stops_production(db, settings):
    settings.DEMO_MODE = settings.DEBUG = False
    UserFactory.create(username="coordinator", coordinator=True, password=DEMO_PASSWORD)
    with pytest.raises(ImproperlyConfigured, match="demo login 'coordinator'"):
        refuse_demo_logins_outside_demo_mode()


def test_the_start_up_checks_include_the_demo_logins_registered_by_the_demo_app(db, settings):
    settings.DEMO_MODE = settings.DEBUG = False
    UserFactory.create(username="worker", professional=True, password=DEMO_PASSWORD)
    with pytest.raises(ImproperlyConfigured, match="demo login 'worker'"):
        startup_checks_run()


def test_a_second_start_up_check_under_a_taken_name_is_refused():
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        startup_checks.register("demo: published logins", lambda: None)


def test_demo_mode_allows_the_demo_logins(db, settings):
    settings.DEMO_MODE = True
    UserFactory.create(username="coordinator", coordinator=True, password=DEMO_PASSWORD)
    refuse_demo_logins_outside_demo_mode()


def test_a_real_user_named_like_a_demo_login_with_its_own_password_is_fine(db, settings):
    settings.DEMO_MODE = settings.DEBUG = False
    UserFactory.create(username="coordinator", coordinator=True, password="a-real-and-long-secret")
    refuse_demo_logins_outside_demo_mode()


def test_a_migrated_database_passes_the_check(db):
    check_database()


def test_the_demo_logins_are_printed(db, capsys):
    UserFactory.create(username="worker", professional=True, password=DEMO_PASSWORD)
    call_command("demo_logins")
    out = capsys.readouterr().out
    assert "veerkracht-demo" in out
    assert "worker" in out
    assert "coordinator" not in out
