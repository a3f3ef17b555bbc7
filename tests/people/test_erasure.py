"""Erasure on request: afterwards no table holds the resident's name, phone, e-mail or address."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Cast
from tests.factories import PASSWORD, UserFactory
from veerkracht.activities.models import Activity, Registration
from veerkracht.activities.services import registration_create
from veerkracht.contacts.models import Concern, Contact
from veerkracht.contacts.services import concern_raise, contact_log
from veerkracht.core.models import AuditAction, AuditEvent
from veerkracht.people.models import Building, Household, Resident
from veerkracht.people.services import Address, resident_register
from veerkracht.places.models import Place

SECRETS = {
    "first_name": "Wilhelmina",
    "last_name": "Zonnebloemstraatje",
    "phone": "0612398765",
    "email": "wilhelmina@voorbeeld.nl",
    "street": "Klaprooshof",
    "postcode": "9876 ZX",
}


def _text_columns() -> list[tuple[str, str]]:
    """Every text-like column of every table the project and Django create."""
    text = models.CharField | models.TextField | models.JSONField
    return [
        (model._meta.db_table, field.column)
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.concrete_fields
        if isinstance(field, text)
    ]


def _tables_holding(value: str) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for table, column in _text_columns():
            quoted_table, quoted_column = connection.ops.quote_name(table), connection.ops.quote_name(column)
            # Table and column names come from the models, quoted by the database backend.
            sql = f"SELECT 1 FROM {quoted_table} WHERE CAST({quoted_column} AS TEXT) LIKE %s LIMIT 1"  # noqa: S608
            cursor.execute(sql, [f"%{value}%"])
            if cursor.fetchone():
                found.append(f"{table}.{column}")
    return found


@pytest.fixture
def wilhelmina(cast: Cast) -> Resident:
    """A resident with an account, contacts with notes, a concern, and her own house."""
    resident = resident_register(
        by=cast.professional,
        neighbourhood=cast.north,
        address=Address(street=SECRETS["street"], house_number=3, postcode=SECRETS["postcode"], city="Veerstad"),
        attributes={
            "first_name": SECRETS["first_name"],
            "last_name": SECRETS["last_name"],
            "birth_year": 1941,
            "phone": SECRETS["phone"],
            "email": SECRETS["email"],
            "lives_alone": True,
            "key_figure": "Mevrouw Bakker",
        },
    )
    account = UserFactory.create(
        organisation=cast.organisation,
        resident=True,
        username="wilhelmina",
        first_name=SECRETS["first_name"],
        last_name=SECRETS["last_name"],
        email=SECRETS["email"],
    )
    resident.user = account
    resident.save()
    contact_log(
        by=cast.professional,
        resident_ids=[resident.pk],
        channel="home_visit",
        duration_minutes=40,
        started_at=timezone.now() - timedelta(days=2),
        note=f"{SECRETS['first_name']} zat alleen thuis",
    )
    place = Place.objects.create(organisation=cast.organisation, name="Buurthuis", kind="community_centre")
    starts = timezone.now() + timedelta(days=2)
    activity = Activity.objects.create(
        organisation=cast.organisation,
        title="Koffieochtend",
        kind="coffee_morning",
        place=place,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        organiser=cast.professional,
    )
    registration_create(activity_id=activity.pk, by=cast.professional, resident_id=resident.pk)
    concern_raise(
        by=cast.professional,
        resident_id=resident.pk,
        category="loneliness",
        severity=2,
        description=f"{SECRETS['first_name']} mist haar buren",
        referral_target="Huisarts Klaprooshof",
    )
    return resident


def test_before_erasure_the_search_finds_the_data(wilhelmina: Resident):
    assert _tables_holding(SECRETS["last_name"])
    assert _tables_holding(SECRETS["street"])


def test_erasure_leaves_no_name_phone_email_or_address_anywhere(cast: Cast, client, wilhelmina: Resident):
    client.force_login(cast.coordinator)
    response = client.post(reverse("people:erase", args=[wilhelmina.pk]), {"confirm": "yes"})
    assert response.status_code == 302
    for label, value in SECRETS.items():
        assert _tables_holding(value) == [], label
    assert _tables_holding("Mevrouw Bakker") == []


def test_erasure_keeps_anonymous_counts(cast: Cast, client, wilhelmina: Resident):
    client.force_login(cast.coordinator)
    client.post(reverse("people:erase", args=[wilhelmina.pk]), {"confirm": "yes"})
    erased = Resident.objects.get(pk=wilhelmina.pk)
    assert erased.erased_at is not None
    assert (erased.birth_year, erased.neighbourhood, erased.lives_alone) == (1941, cast.north, True)
    assert Contact.objects.filter(participants__resident=erased, channel="home_visit").count() == 1
    assert Concern.objects.filter(resident=erased, category="loneliness").count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.ERASE, object_id=str(erased.pk)).exists()
    assert Registration.objects.filter(resident=erased, status="confirmed").count() == 1


def test_an_erased_resident_is_gone_from_the_register_and_their_account_closed(cast: Cast, client, wilhelmina):
    client.force_login(cast.coordinator)
    client.post(reverse("people:erase", args=[wilhelmina.pk]), {"confirm": "yes"})
    assert client.get(reverse("people:detail", args=[wilhelmina.pk])).status_code == 404
    assert not Household.objects.filter(street=SECRETS["street"]).exists()
    assert not Building.objects.filter(street=SECRETS["street"]).exists()
    client.logout()
    assert not client.login(username="wilhelmina", password=PASSWORD)


def test_a_shared_household_keeps_its_address_for_the_others(cast: Cast, client):
    partner = cast.resident_north
    erased = Resident.objects.create(
        organisation=cast.organisation,
        neighbourhood=cast.north,
        household=partner.household,
        first_name="Piet",
        last_name="Weg",
        birth_year=1950,
    )
    client.force_login(cast.coordinator)
    client.post(reverse("people:erase", args=[erased.pk]), {"confirm": "yes"})
    partner.refresh_from_db()
    assert partner.household is not None
    assert Resident.objects.get(pk=erased.pk).household is None


def test_without_confirmation_nothing_is_erased(cast: Cast, client, wilhelmina: Resident):
    client.force_login(cast.coordinator)
    client.post(reverse("people:erase", args=[wilhelmina.pk]), {})
    assert Resident.objects.get(pk=wilhelmina.pk).erased_at is None
