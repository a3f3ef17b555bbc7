"""core/db.py, the one module that writes SQL by hand: its answers match the ORM's."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import DataError, OperationalError, connection, transaction
from django.db.models import Model
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from tests.conftest import Cast
from tests.factories import NeighbourhoodFactory, ResidentFactory, TeamFactory, UserFactory
from veerkracht.activities.models import Activity, Registration
from veerkracht.core.db import (
    insert_copies_without_returning,
    insert_without_returning,
    row_with_parents,
    rows_with_parents,
)
from veerkracht.core.exceptions import NotFound
from veerkracht.core.models import AuditAction, AuditEvent, AuditResult, User
from veerkracht.core.rows import unique_or_none
from veerkracht.people.models import Resident
from veerkracht.people.selectors import RESIDENT_PARENTS, resident_for, residents_in_scope, residents_visible_to
from veerkracht.places.models import Place


def test_an_insert_without_returning_stores_what_the_orm_would(cast: Cast):
    at = timezone.now().replace(microsecond=0)
    before = AuditEvent.objects.count()
    made = [
        AuditEvent(
            at=at,
            organisation_id=cast.organisation.pk,
            actor_id=cast.professional.pk,
            action=AuditAction.VIEW,
            object_type="people.resident",
            object_id=str(n),
            fields=["email", "phone"],
            result=AuditResult.SUCCESS,
        )
        for n in range(3)
    ]
    insert_without_returning(made)
    insert_without_returning([])  # nothing to insert is not an error
    stored = list(AuditEvent.objects.order_by("pk")[before:])
    assert [
        (e.at, e.organisation_id, e.actor_id, e.action, e.object_id, e.fields, e.ip, e.ip_digest) for e in stored
    ] == [
        (at, cast.organisation.pk, cast.professional.pk, "view", str(n), ["email", "phone"], None, "") for n in range(3)
    ]
    assert all(e.pk is None for e in made)  # nothing was asked back


def test_copies_differ_only_in_the_one_column(cast: Cast):
    before = AuditEvent.objects.count()
    template = AuditEvent(
        organisation_id=cast.organisation.pk, action=AuditAction.LIST, result=AuditResult.SUCCESS, fields=["x"]
    )
    insert_copies_without_returning(template, "object_id", ["7", "8"])
    insert_copies_without_returning(template, "object_id", [])
    stored = list(AuditEvent.objects.order_by("pk")[before:].values_list("object_id", "action", "fields", "at"))
    assert [row[:3] for row in stored] == [("7", "list", ["x"]), ("8", "list", ["x"])]
    assert stored[0][3] == stored[1][3] is not None  # the model's default time, once for both


def test_copies_store_every_column_as_the_orm_would(cast: Cast):
    at = timezone.now().replace(microsecond=0)
    template = AuditEvent(
        at=at,
        organisation_id=cast.organisation.pk,
        actor_id=cast.professional.pk,
        action=AuditAction.LIST,
        object_type="people.resident",
        fields=["email"],
        result=AuditResult.SUCCESS,
        ip="192.0.2.7",
        ip_digest="abc",
    )
    insert_copies_without_returning(template, "object_id", ["12"])
    stored = AuditEvent.objects.get(object_id="12")
    assert (stored.at, stored.actor_id, stored.object_type, stored.fields, stored.ip, stored.ip_digest) == (
        at,
        cast.professional.pk,
        "people.resident",
        ["email"],
        "192.0.2.7",
        "abc",
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite does not hold text to a column's length")
def test_a_copy_too_long_for_its_column_is_refused_not_cut(cast: Cast):
    template = AuditEvent(organisation_id=cast.organisation.pk, action=AuditAction.LIST, result=AuditResult.SUCCESS)
    with pytest.raises(DataError), transaction.atomic():
        insert_copies_without_returning(template, "object_id", ["9" * 41])  # the column holds 40
    assert not AuditEvent.objects.filter(object_id__startswith="9999").exists()


def _resident_read(user: User, resident_id: int) -> Resident | None:
    try:
        return resident_for(user, resident_id, action=AuditAction.VIEW)
    except NotFound:
        return None


def _columns(instance: Model | None) -> list[object] | None:
    if instance is None:
        return None
    return [getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields]


def test_a_residents_read_by_hand_answers_as_the_orm_for_every_resident_and_role(cast: Cast):
    """``resident_for`` reads with core/db.py's statement; ``residents_visible_to`` is the scope's definition."""
    both = UserFactory.create(professional=True, username="pro_both", organisation=cast.organisation)
    cast.team_north.members.add(both)
    cast.team_south.members.add(both)
    no_team = UserFactory.create(professional=True, username="pro_none", organisation=cast.organisation)
    third = NeighbourhoodFactory.create(district=cast.north.district, name="Derde wijk")
    TeamFactory.create(organisation=cast.organisation, neighbourhoods=[third], members=[cast.other_professional])
    erased = ResidentFactory.create(household__building__neighbourhood=cast.north)
    Resident.objects.filter(pk=erased.pk).update(erased_at=timezone.now(), household=None)
    elsewhere = ResidentFactory.create(household__building__neighbourhood=third)
    residents = [cast.resident_north, cast.resident_south, cast.resident_outside, erased, elsewhere]
    keys = [resident.pk for resident in residents] + [0, -1, max(r.pk for r in residents) + 1000, 2**63, 2**70]
    users = [*cast.everyone().values(), both, no_team]

    for user in users:
        for key in keys:
            by_hand = _resident_read(user, key)
            by_orm = unique_or_none(residents_visible_to(user).select_related(*RESIDENT_PARENTS).filter(pk=key))
            assert _columns(by_hand) == _columns(by_orm), (user.username, key)
            if by_orm is not None:
                assert by_hand is not None
                assert _columns(by_hand.household) == _columns(by_orm.household)
                assert _columns(by_hand.neighbourhood) == _columns(by_orm.neighbourhood)
                assert _columns(by_hand.neighbourhood.district) == _columns(by_orm.neighbourhood.district)
        in_range = [key for key in keys if abs(key) < 2**31]
        by_orm_list = residents_visible_to(user).filter(pk__in=in_range).values_list("pk", flat=True)
        assert sorted(r.pk for r in residents_in_scope(user, keys)) == sorted(by_orm_list), user.username
    assert _resident_read(both, elsewhere.pk) is None  # the third neighbourhood is another team's
    assert _resident_read(cast.other_professional, elsewhere.pk) == elsewhere
    assert _resident_read(cast.coordinator, erased.pk) is None


def test_a_resident_read_by_hand_carries_its_parents(cast: Cast, django_assert_num_queries: Any):
    resident = _resident_read(cast.professional, cast.resident_north.pk)
    assert resident is not None
    assert resident.household is not None
    assert cast.resident_north.household is not None
    with django_assert_num_queries(0):
        names = (resident.household.street, resident.neighbourhood.name, resident.neighbourhood.district.name)
    assert names == (
        cast.resident_north.household.street,
        cast.north.name,
        cast.north.district.name,
    )
    assert resident.household.neighbourhood_id == cast.north.pk  # a parent's own keys are there, unread


def _activity(cast: Cast, place: Place | None, **fields: Any) -> Activity:
    starts_at = timezone.now() + timedelta(days=3)
    return Activity.objects.create(
        organisation=cast.organisation,
        title="Koffieochtend",
        kind="walk",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        organiser=cast.professional,
        max_participants=20,
        target_groups=["seniors"],
        place=place,
        **fields,
    )


def test_a_row_read_by_hand_answers_as_the_orm_with_its_parents(cast: Cast):
    place = Place.objects.create(
        organisation=cast.organisation, neighbourhood=cast.north, name="Buurthuis", kind="community_centre"
    )
    held, online = _activity(cast, place), _activity(cast, None, online_link="https://meet.example.org/koffie")
    cancelled = _activity(cast, place, cancelled_at=timezone.now())
    keys = [held.pk, online.pk, cancelled.pk, 0, cancelled.pk + 1000, 2**63, 2**70]
    for key in keys:
        by_hand = row_with_parents(Activity, parents=("place",), pk=key, cancelled_at=None)
        by_orm = unique_or_none(Activity.objects.select_related("place").filter(pk=key, cancelled_at=None))
        assert _columns(by_hand) == _columns(by_orm), key
        assert _columns(by_hand and by_hand.place) == _columns(by_orm and by_orm.place), key
    registrations = [
        Registration.objects.create(activity=activity, name="Fatma", phone="0612345678", status="confirmed")
        for activity in (held, online)
    ]
    for token in [r.cancel_token for r in registrations] + ["", "x" * 40, "geen-token"]:
        parents = ("activity", "activity__place")
        by_hand_registration = row_with_parents(Registration, parents=parents, cancel_token=token)
        by_orm_registration = unique_or_none(Registration.objects.select_related(*parents).filter(cancel_token=token))
        assert _columns(by_hand_registration) == _columns(by_orm_registration), token
        if by_orm_registration is not None:
            assert by_hand_registration is not None
            assert _columns(by_hand_registration.activity) == _columns(by_orm_registration.activity)
            assert _columns(by_hand_registration.activity.place) == _columns(by_orm_registration.activity.place)
    wanted = [held.pk, cancelled.pk, 2**70]
    by_hand_list = sorted(rows_with_parents(Activity, parents=("place",), pk=wanted), key=lambda a: a.pk)
    by_orm_list = list(Activity.objects.select_related("place").filter(pk__in=wanted[:2]).order_by("pk"))
    assert [_columns(a) for a in by_hand_list] == [_columns(a) for a in by_orm_list]
    assert [_columns(a.place) for a in by_hand_list] == [_columns(a.place) for a in by_orm_list]
    assert rows_with_parents(Activity, pk=[]) == rows_with_parents(Activity, pk=[2**70]) == []
    assert row_with_parents(Activity, pk=online.pk) == online
    assert row_with_parents(Activity, organiser=cast.professional.pk, pk=online.pk) == online  # a key's column
    assert row_with_parents(Activity, organiser=2**70) is None
    assert row_with_parents(Activity, parents=("place",), pk=online.pk).place is None  # type: ignore[union-attr]


@pytest.mark.django_db(transaction=True)
def test_a_locking_read_by_hand_refuses_to_run_outside_a_transaction(cast: Cast):
    place = Place.objects.create(
        organisation=cast.organisation, neighbourhood=cast.north, name="Buurthuis", kind="community_centre"
    )
    activity = _activity(cast, place)
    with pytest.raises(TransactionManagementError):
        row_with_parents(Activity, lock=True, pk=activity.pk)
    with transaction.atomic():
        assert row_with_parents(Activity, parents=("place",), lock=True, pk=activity.pk) == activity


@pytest.mark.django_db(transaction=True)
def test_a_locking_read_by_hand_holds_the_row_until_the_transaction_ends(cast: Cast):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite locks the whole database, not rows")
    place = Place.objects.create(
        organisation=cast.organisation, neighbourhood=cast.north, name="Buurthuis", kind="community_centre"
    )
    activity = _activity(cast, place)
    table = connection.ops.quote_name(Activity._meta.db_table)
    other = connection.copy()
    try:
        with transaction.atomic():
            row_with_parents(Activity, parents=("place",), lock=True, pk=activity.pk)
            with other.cursor() as cursor:
                cursor.execute("SELECT set_config('veerkracht.organisation', %s, false)", [str(cast.organisation.pk)])
                with pytest.raises(OperationalError):  # NOWAIT: the row is locked by the first connection
                    cursor.execute(f"SELECT id FROM {table} WHERE id = %s FOR UPDATE NOWAIT", [activity.pk])  # noqa: S608
    finally:
        other.close()
