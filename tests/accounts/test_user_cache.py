"""The signed-in user and their organisation come from the shared cache, and every change to them
takes effect on the next request (core/usercache.py, docs/adr/0027).

Each test runs inside a transaction that never commits, so a change's *changed* mark (set on
commit) is given by ``django_capture_on_commit_callbacks(execute=True)`` where a change commits.
"""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import Cast
from veerkracht.accounts.backends import AccountBackend
from veerkracht.accounts.services import sign_out_everywhere, user_disable
from veerkracht.core.models import Organisation, User
from veerkracht.core.roles import Role
from veerkracht.core.usercache import CHANGED_READ_SECONDS, forget_users, remembered_user

WORKLIST = "/werklijsten/uit-beeld/"


def _user_reads(client: Client, path: str = "/") -> tuple[int, int]:
    """The answer's status and how many queries read the users' table."""
    with CaptureQueriesContext(connection) as captured:
        status = client.get(path).status_code
    return status, sum('FROM "core_user"' in query["sql"] for query in captured.captured_queries)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the block's on-commit callbacks at its end, as a committed transaction would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _warm(client: Client, user: User, committed, path: str = "/") -> None:
    """Signed in, with the user in the cache: the second request reads no user from the database."""
    with committed():
        client.force_login(user)
    assert client.get(path).status_code == 200
    assert _user_reads(client, path) == (200, 0)


def test_the_signed_in_user_is_read_once_then_from_the_cache(cast: Cast, client, committed):
    with committed():
        client.force_login(cast.professional)
    assert _user_reads(client) == (200, 1)  # signing in changed the user (last_login): read afresh
    assert _user_reads(client) == (200, 0)
    assert _user_reads(client) == (200, 0)


def test_the_cached_user_carries_the_organisation(cast: Cast, client, committed):
    _warm(client, cast.professional, committed)
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/").content.decode()
    assert cast.organisation.name in page
    assert not [query for query in captured.captured_queries if 'FROM "core_organisation"' in query["sql"]]


def test_a_disabled_account_is_signed_out_at_once(cast: Cast, client, committed):
    _warm(client, cast.professional, committed)
    user_disable(user=cast.professional, by=cast.coordinator)
    assert client.get("/").status_code == 302


def test_a_role_change_takes_effect_at_once(cast: Cast, client, committed):
    _warm(client, cast.professional, committed, WORKLIST)
    cast.professional.role, cast.professional.job_title = Role.VOLUNTEER, ""
    cast.professional.save()
    assert client.get(WORKLIST).status_code in (403, 404)


def test_a_password_change_ends_the_other_sessions_at_once(cast: Cast, client, committed):
    _warm(client, cast.coordinator, committed)
    cast.coordinator.set_password("een ander lang wachtwoord voor de test")
    cast.coordinator.save()
    assert client.get("/").status_code == 302


def test_ending_every_session_takes_effect_at_once(cast: Cast, committed):
    """Signing out everywhere raises the session epoch with an update(), past post_save."""
    laptop = Client()
    _warm(laptop, cast.coordinator, committed)
    sign_out_everywhere(user=cast.coordinator)
    assert laptop.get("/").status_code == 302


def test_an_update_of_users_is_seen_at_once(cast: Cast, client, committed):
    _warm(client, cast.volunteer, committed)
    User.objects.filter(pk=cast.volunteer.pk).update(first_name="Zeynep")
    assert "Zeynep" in client.get("/").content.decode()


def test_a_deleted_account_is_no_longer_found(cast: Cast, django_user_model):
    """Accounts that signed in stay (the audit log names them); one that never did may be deleted."""
    backend = AccountBackend()
    account = django_user_model.objects.create_user("nooit", organisation=cast.organisation, role=Role.VOLUNTEER)
    caches["default"].clear()  # as if created long ago
    assert backend.get_user(account.pk) is not None
    account.delete()
    assert backend.get_user(account.pk) is None


def test_an_organisation_change_reaches_its_users_at_once(cast: Cast, client, committed):
    _warm(client, cast.professional, committed)
    organisation = Organisation.objects.get(pk=cast.organisation.pk)
    organisation.name = "Welzijn Nieuwe Naam"
    organisation.save()
    assert "Welzijn Nieuwe Naam" in client.get("/").content.decode()


def test_a_read_from_before_a_committed_change_is_not_kept(cast: Cast, committed):
    """A request read the old row, then the change committed: what it read must not be stored."""
    stale = User.objects.get(pk=cast.professional.pk)

    def load_then_changed(user_id: int) -> User:
        with committed():
            forget_users([user_id])  # committed while this reader was reading
        return stale

    assert remembered_user(cast.professional.pk, load_then_changed) is stale
    fresh = User.objects.get(pk=cast.professional.pk)
    assert remembered_user(cast.professional.pk, lambda _id: fresh) is fresh  # the database again, kept
    assert remembered_user(cast.professional.pk, lambda _id: None) == fresh  # then from the cache


def test_a_copy_read_over_a_change_mark_is_kept_briefly_at_most(cast: Cast, committed):
    """The race left: a second change commits while a reader that saw the first one's mark reads. Its
    copy (from before the second change) may overwrite the mark, but lives CHANGED_READ_SECONDS only."""
    pk = cast.professional.pk
    stale = User.objects.get(pk=pk)
    stale.first_name = "Voor"  # the row as it was before the second change
    with committed():
        forget_users([pk])  # the first change, committed: its mark is in the cache

    def load_during_a_second_change(user_id: int) -> User:
        with committed():
            forget_users([user_id])  # the second change commits while this reader reads
        return stale

    fresh = User.objects.get(pk=pk)
    fresh.first_name = "Na"

    def name(user: User | None) -> str:
        assert user is not None
        return user.first_name

    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert name(remembered_user(pk, load_during_a_second_change)) == "Voor"
        clock.shift(CHANGED_READ_SECONDS - 1)
        assert name(remembered_user(pk, lambda _id: fresh)) == "Voor"  # the documented window
        clock.shift(2)
        assert name(remembered_user(pk, lambda _id: fresh)) == "Na"  # gone after the bound, not after 600 s
        clock.shift(settings.USER_CACHE_SECONDS - 1)
        assert name(remembered_user(pk, lambda _id: None)) == "Na"  # an ordinary read is kept the full term


def test_nothing_is_kept_while_a_change_is_uncommitted(cast: Cast, committed):
    loads = []

    def load(user_id: int) -> User:
        loads.append(user_id)
        return User.objects.get(pk=user_id)

    with committed():
        forget_users([cast.professional.pk])
        remembered_user(cast.professional.pk, load)
        remembered_user(cast.professional.pk, load)
        assert len(loads) == 2  # not committed yet: every read goes to the database
    remembered_user(cast.professional.pk, load)  # committed: read once more and kept
    remembered_user(cast.professional.pk, load)
    assert len(loads) == 3


def test_the_backend_refuses_a_disabled_user_even_from_the_cache(cast: Cast):
    backend = AccountBackend()
    caches["default"].clear()  # the cast was made long ago
    assert backend.get_user(cast.volunteer.pk) is not None  # read and kept
    with CaptureQueriesContext(connection) as captured:
        assert backend.get_user(cast.volunteer.pk) is not None
    assert not captured.captured_queries  # from the cache
    User.objects.filter(pk=cast.volunteer.pk).update(is_active=False)
    assert backend.get_user(cast.volunteer.pk) is None
    assert backend.get_user("not a number") is None


def _organisation_reads(read) -> int:
    with CaptureQueriesContext(connection) as captured:
        read()
    return sum('FROM "core_organisation"' in query["sql"] for query in captured.captured_queries)


def test_an_organisation_is_read_once_then_from_the_cache_until_it_changes(cast: Cast, committed):
    from veerkracht.core.selectors import organisation_remembered

    organisation = cast.organisation
    assert _organisation_reads(lambda: organisation_remembered(organisation.pk)) == 1
    assert _organisation_reads(lambda: organisation_remembered(organisation.pk)) == 0
    with committed():
        organisation.distancing_rule = not organisation.distancing_rule
        organisation.save()
    assert _organisation_reads(lambda: organisation_remembered(organisation.pk)) == 1  # forgotten by the save
    assert organisation_remembered(organisation.pk).distancing_rule == organisation.distancing_rule


def test_an_activitys_public_page_shows_its_organisations_change_at_once(cast: Cast, client, committed):
    from veerkracht.activities.models import Activity
    from veerkracht.activities.selectors import public_activity
    from veerkracht.places.models import Place

    place = Place.objects.create(
        organisation=cast.organisation, neighbourhood=cast.north, name="Noorderpark", kind="park", indoor=False,
        area_m2=400,
    )  # fmt: skip
    starts_at = timezone.now() + timedelta(days=7)
    activity = Activity.objects.create(
        organisation=cast.organisation, kind="plantsoenbingo", organiser=cast.professional, max_participants=30,
        title="Bingo", place=place, starts_at=starts_at, ends_at=starts_at + timedelta(hours=2),
    )  # fmt: skip
    assert public_activity(activity.pk).organisation.name == cast.organisation.name
    with committed():
        cast.organisation.name = "Welzijn Nieuwe Naam"
        cast.organisation.save()
    shown = public_activity(activity.pk)
    assert shown.place is not None
    assert shown.organisation.name == shown.place.organisation.name == "Welzijn Nieuwe Naam"
