"""A compiled read answers what Django's own queryset answers, with the same SQL."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Count, F
from django.test.utils import CaptureQueriesContext

from tests.factories import OrganisationFactory, UserFactory
from veerkracht.core.compiled import MAX_IDS, CompiledRead
from veerkracht.core.models import Organisation, User

pytestmark = pytest.mark.django_db


def _fields(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def _user_with_organisation(user_id: int):
    return User.objects.select_related("organisation").filter(pk=user_id)


def test_instances_and_their_related_objects_are_django_own():
    users = [UserFactory.create(coordinator=True), UserFactory.create(organisation=None, is_superuser=True)]
    read = CompiledRead(_user_with_organisation)
    for user in users:
        (expected,) = _user_with_organisation(user.pk)
        (found,) = read(user_id=user.pk)
        assert type(found) is User
        assert _fields(found) == _fields(expected)
        assert found._state.adding is False
        assert found._state.db == "default"
        if expected.organisation is None:
            assert found.organisation is None
        else:
            assert _fields(found.organisation) == _fields(expected.organisation)
    assert read(user_id=users[0].pk + 1000) == []
    assert read.one(user_id=users[0].pk + 1000) is None
    one = read.one(user_id=users[0].pk)
    assert one is not None
    assert one.pk == users[0].pk


def test_values_lists_come_as_django_converts_them():
    """Dates, booleans and strings read back as Python values on SQLite as on PostgreSQL."""
    user = UserFactory.create()

    def joined(user_id: int):
        return User.objects.filter(pk=user_id).values_list("pk", "date_joined", "is_active", "username")

    assert CompiledRead(joined)(user_id=user.pk) == list(joined(user.pk))


def test_the_sql_is_django_own_and_is_compiled_once_per_connection():
    organisation = OrganisationFactory.create()
    built = []

    def named(organisation_id: int):
        built.append(organisation_id)
        return Organisation.objects.filter(pk=organisation_id).only("name")

    read = CompiledRead(named)
    with CaptureQueriesContext(connection) as by_django:
        list(named(organisation.pk))
    with CaptureQueriesContext(connection) as compiled:
        assert [o.name for o in read(organisation_id=organisation.pk)] == [organisation.name]
        assert read(organisation_id=organisation.pk + 1) == []
    assert [query["sql"] for query in compiled.captured_queries[:1]] == [by_django.captured_queries[0]["sql"]]
    assert len(built) == 2  # once by Django above, once compiled with a stand-in id


def test_every_id_must_reach_the_sql():
    """An id the SQL does not hold would be ignored: refused when the read is first compiled."""
    read = CompiledRead(lambda user_id, organisation_id: User.objects.filter(pk=user_id))
    with pytest.raises(ImproperlyConfigured, match="organisation_id"):
        read(user_id=1, organisation_id=2)


def test_the_call_names_exactly_the_ids_of_the_read():
    read = CompiledRead(_user_with_organisation)
    with pytest.raises(TypeError):
        read(pk=1)
    with pytest.raises(TypeError):
        read(user_id=1, extra=2)


def test_annotated_instances_are_refused():
    read = CompiledRead(lambda user_id: User.objects.filter(pk=user_id).annotate(twice=F("pk") * 2))
    with pytest.raises(ImproperlyConfigured):
        read(user_id=1)


def test_a_list_of_ids_is_compiled_once_per_length():
    users = UserFactory.create_batch(3)
    ids = [user.pk for user in users]

    def by_ids(ids: list[int]):
        return User.objects.filter(pk__in=ids).order_by("pk")

    read = CompiledRead(by_ids)
    for asked in (ids, ids[:2], [ids[2], ids[0]], [ids[1], ids[1] + 1000], []):
        assert read(ids=asked) == list(by_ids(asked))
    with CaptureQueriesContext(connection) as captured:
        assert read(ids=[]) == []
    assert captured.captured_queries == []  # as Django: nothing can match, so nothing is asked


def test_an_id_used_in_several_places_is_filled_in_everywhere():
    mine, other = UserFactory.create(), UserFactory.create()

    def either(user_id: int):
        named = User.objects.filter(pk=user_id).values_list("pk", "username")
        return named.union(User.objects.filter(pk=user_id).values_list("pk", "username"), all=True)

    assert CompiledRead(either)(user_id=mine.pk) == [(mine.pk, mine.username)] * 2
    assert CompiledRead(either)(user_id=other.pk) == [(other.pk, other.username)] * 2


def test_an_id_no_column_can_hold_is_left_to_django():
    """SQLite refuses such a number as a parameter; Django finds nothing without sending it."""
    read = CompiledRead(_user_with_organisation)
    assert read(user_id=2**64) == []
    assert read(user_id=-(2**70)) == []


def test_a_text_key_reaches_the_sql_unchanged_or_is_refused():
    user = UserFactory.create()
    by_name = CompiledRead(lambda username: User.objects.filter(username=username).values_list("pk"))
    assert by_name(username=user.username) == [(user.pk,)]
    assert by_name(username="nobody") == []
    # icontains sends '%name%': the stand-in never reaches the SQL as it was given.
    with pytest.raises(ImproperlyConfigured, match="username"):
        CompiledRead(lambda username: User.objects.filter(username__icontains=username))(username="x")


def test_grouped_counts_come_as_django_orders_them():
    organisation = OrganisationFactory.create()
    UserFactory.create_batch(2, organisation=organisation, coordinator=True)
    UserFactory.create(organisation=organisation, professional=True)

    def roles(organisation_id: int):
        users = User.objects.filter(organisation_id=organisation_id).values_list("role", "is_active")
        return users.annotate(Count("id")).order_by("role")

    assert CompiledRead(roles)(organisation_id=organisation.pk) == list(roles(organisation.pk))


def test_a_long_list_of_ids_is_left_to_django_and_not_kept():
    """Every length compiled would be kept: lengths without end would fill the memory."""
    users = UserFactory.create_batch(2)
    read = CompiledRead(lambda ids: User.objects.filter(pk__in=ids).order_by("pk").values_list("pk"))
    many = [users[0].pk, users[1].pk, *range(10**9, 10**9 + MAX_IDS)]
    assert read(ids=many) == [(users[0].pk,), (users[1].pk,)]
    assert len(read._compiled) == 0  # nothing compiled, nothing kept
