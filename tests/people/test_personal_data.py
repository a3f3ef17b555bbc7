"""The register of personal data: every table about a resident is declared, exported and erased.

A resident is filled with a marker string in every place the product keeps text about them; after
erasure a search of every text column of every table must find none of the markers.
"""

from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from django.utils import timezone

from tests.conftest import Cast
from tests.dbsearch import places_holding
from tests.factories import UserFactory
from veerkracht.activities.models import Activity, Attendance, Registration
from veerkracht.bingo.models import Card, Game, Winner
from veerkracht.contacts.models import ConcernEvent
from veerkracht.contacts.services import concern_raise, contact_log
from veerkracht.core.audit import audit_record
from veerkracht.core.auditchain import audit_seal, audit_verify
from veerkracht.core.models import AuditAction, Notification, OutboundMessage, User
from veerkracht.core.origin import Origin, origin_set
from veerkracht.help.models import CheckIn, HelpGiven, HelpOffer, HelpRequest, Match, MatchStatus, RequestEvent
from veerkracht.messaging.models import Message, Recipient, VideoCall
from veerkracht.outreach.models import DoorFlag, OutreachRound, RoundStop, RoundWalker, Visit
from veerkracht.people.export import resident_export
from veerkracht.people.models import Building, Entrance, Household, Resident
from veerkracht.people.registry import PersonalData, covered_models, register, registered
from veerkracht.people.services import Address, resident_erase, resident_register
from veerkracht.places.models import Place
from veerkracht.team.models import TimeEntry, TimeSheet

# The people app erases these itself (the resident, their address, their account and the IP
# addresses it signed in from); see resident_erase.
ERASED_BY_PEOPLE = {Resident, Household, Building, Entrance}


def _references_resident(model: type[Model], depth: int = 3) -> bool:
    """Whether the model points at a resident, directly or through a chain of relations."""
    if model is Resident:
        return True
    if depth == 0:
        return False
    return any(
        isinstance(field.related_model, type) and _references_resident(field.related_model, depth - 1)
        for field in model._meta.get_fields()
        if field.is_relation and field.concrete and field.related_model is not model
    )


def test_every_model_that_references_a_resident_has_an_erasure_and_an_export_step():
    about_residents = {
        model for model in apps.get_models(include_auto_created=True) if _references_resident(model)
    } - ERASED_BY_PEOPLE
    # Held for a resident although they point elsewhere: the outbox row of a message to them.
    about_residents |= {OutboundMessage}
    missing = sorted(model._meta.label for model in about_residents - covered_models())
    assert missing == [], f"no erasure and export step declared for {missing}"
    for model in (HelpRequest, Match, CheckIn, RoundStop, DoorFlag, Registration, Recipient, VideoCall, Card):
        assert model in about_residents  # the walk itself sees the tables the review named


def test_a_second_declaration_for_a_covered_model_or_name_is_refused():
    taken = registered()[0]
    with pytest.raises(ImproperlyConfigured):
        register(PersonalData("another", "x", (taken.models[0],), taken.export, taken.erase))
    with pytest.raises(ImproperlyConfigured):
        register(PersonalData(taken.name, "x", (), taken.export, taken.erase))


MARKERS = {
    "first_name": "Zwaluwstaart",
    "last_name": "Kwikstaartvanger",
    "phone": "0611223344",
    "email": "markeer-mail@voorbeeld.nl",
    "street": "Markeerlaan",
    "key_figure": "Sleutelfiguur-Markeer",
    "contact_note": "Contactnotitie-markeer",
    "concern": "Zorgbeschrijving-markeer",
    "referral": "Verwijzing-markeer",
    "concern_event": "Zorggebeurtenis-markeer",
    "registration_name": "Aanmeldnaam-markeer",
    "walk_in": "Binnenloper-markeer",
    "help_request": "Hulpvraag-markeer",
    "request_event": "Hulpgebeurtenis-markeer",
    "help_given": "Hulpgegeven-markeer",
    "check_in": "Checkin-markeer",
    "time_entry": "Urenregel-markeer",
    "visit": "Bezoeknotitie-markeer",
    "door_flag": "Deurvlag-markeer",
    "message": "Berichttekst-markeer",
    "ip": "198.51.100.77",  # the resident's own sign-in, in the audit log
}


def _fill(cast: Cast) -> tuple[Resident, Match]:
    pro, now = cast.professional, timezone.now()
    resident = resident_register(
        by=pro,
        neighbourhood=cast.north,
        address=Address(street=MARKERS["street"], house_number=7, postcode="1234 AB", city="Veerstad"),
        attributes={
            "first_name": MARKERS["first_name"],
            "last_name": MARKERS["last_name"],
            "birth_year": 1940,
            "phone": MARKERS["phone"],
            "email": MARKERS["email"],
            "key_figure": MARKERS["key_figure"],
        },
    )
    resident.user = UserFactory.create(
        organisation=cast.organisation, resident=True, username="zwaluw", email=MARKERS["email"]
    )
    resident.save()
    with origin_set(Origin(request_id="req-00000001", client_ip=MARKERS["ip"])):
        audit_record(action=AuditAction.LOGIN, actor=resident.user)
    contact_log(
        by=pro, resident_ids=[resident.pk], channel="phone", duration_minutes=5,
        started_at=now - timedelta(days=1), note=MARKERS["contact_note"],
    )  # fmt: skip
    concern = concern_raise(
        by=pro, resident_id=resident.pk, category="loneliness", severity=2,
        description=MARKERS["concern"], referral_target=MARKERS["referral"],
    )  # fmt: skip
    ConcernEvent.objects.create(concern=concern, status_to=concern.status, by=pro, note=MARKERS["concern_event"])
    place = Place.objects.create(organisation=cast.organisation, name="Buurthuis", kind="community_centre")
    activity = Activity.objects.create(
        organisation=cast.organisation, title="Bingo", kind="coffee_morning", place=place,
        starts_at=now - timedelta(days=3), ends_at=now - timedelta(days=3) + timedelta(hours=1), organiser=pro,
    )  # fmt: skip
    registration = Registration.objects.create(
        activity=activity, resident=resident, name=MARKERS["registration_name"], phone=MARKERS["phone"],
        status="confirmed",
    )  # fmt: skip
    Attendance.objects.create(
        activity=activity, registration=registration, resident=resident,
        walk_in_name=MARKERS["walk_in"], recorded_by=pro,
    )  # fmt: skip
    game = Game.objects.create(organisation=cast.organisation, activity=activity, seed=1, card_count=1, created_by=pro)
    card = Card.objects.create(game=game, index=0, code="AB12", numbers=[[0]], registration=registration)
    Winner.objects.create(game=game, card=card, draw_count=20, lines=["row 1"], recorded_by=pro)
    help_request = HelpRequest.objects.create(
        organisation=cast.organisation, resident=resident, kind="groceries", first_day=now.date(),
        last_day=now.date() + timedelta(days=7), description=MARKERS["help_request"], created_by=pro,
    )  # fmt: skip
    RequestEvent.objects.create(request=help_request, status="open", by=pro, note=MARKERS["request_event"])
    offer = HelpOffer.objects.create(
        organisation=cast.organisation, helper=cast.volunteer, neighbourhood=cast.north, kinds=["groceries"],
        x=0, y=0, radius_m=1000, max_open_tasks=2,
    )  # fmt: skip
    match = Match.objects.create(request=help_request, offer=offer, status=MatchStatus.ACCEPTED, distance_m=100)
    HelpGiven.objects.create(match=match, resident=resident, kind="groceries", note=MARKERS["help_given"])
    CheckIn.objects.create(request=help_request, worker=pro, occasion=1, note=MARKERS["check_in"])
    sheet = TimeSheet.objects.create(organisation=cast.organisation, worker=cast.volunteer, day=now.date())
    TimeEntry.objects.create(sheet=sheet, kind="help_task", match=match, description=MARKERS["time_entry"], minutes=30)
    round_ = OutreachRound.objects.create(
        organisation=cast.organisation, neighbourhood=cast.north, date=now.date() - timedelta(days=2), planned_by=pro
    )
    walker = RoundWalker.objects.create(
        round=round_, worker=pro, starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=2, hours=-2),
        start_label="Buurthuis", x=0, y=0,
    )  # fmt: skip
    stop = RoundStop.objects.create(
        round=round_, walker=walker, resident=resident, position=1, kind="home_visit", priority=10,
        expected_at=now - timedelta(days=2), x=10, y=10,
    )  # fmt: skip
    Visit.objects.create(stop=stop, outcome="talked", channel="home_visit", note=MARKERS["visit"], by=pro)
    DoorFlag.objects.create(
        organisation=cast.organisation, resident=resident, flagged_by=pro, note=MARKERS["door_flag"]
    )
    message = Message.objects.create(
        organisation=cast.organisation, sent_by=pro, text=MARKERS["message"], channels=["sms"]
    )
    outbound = OutboundMessage.objects.create(
        organisation=cast.organisation, channel="sms", to=MARKERS["phone"], text=MARKERS["message"]
    )
    Recipient.objects.create(message=message, resident=resident, channel="sms", outbound=outbound)
    VideoCall.objects.create(
        organisation=cast.organisation, resident=resident, worker=pro, scheduled_at=now, room="kamer-zwaluw-1"
    )
    return resident, match


@pytest.fixture
def filled(cast: Cast) -> tuple[Resident, Match]:
    return _fill(cast)


def test_before_erasure_the_search_finds_every_marker(filled: tuple[Resident, Match]):
    assert sorted(places_holding(list(MARKERS.values()))) == sorted(MARKERS.values())


def test_after_erasure_no_marker_survives_anywhere(cast: Cast, filled: tuple[Resident, Match]):
    resident, _match = filled
    assert audit_seal(timezone.now() + timedelta(minutes=5))
    resident_erase(by=cast.coordinator, resident=resident)
    assert audit_verify() == []  # the sealed events stay whole without the address
    surviving = places_holding(list(MARKERS.values()))
    for marker, places in surviving.items():
        print(f"survives: {marker} in {', '.join(places)}")
    assert surviving == {}


def test_erasure_withdraws_open_help_requests_and_tells_the_helper(
    cast: Cast, filled: tuple[Resident, Match], mailoutbox: list[object], django_capture_on_commit_callbacks
):
    resident, match = filled
    User.objects.filter(pk=cast.volunteer.pk).update(email="helper@voorbeeld.nl")
    with django_capture_on_commit_callbacks(execute=True):
        resident_erase(by=cast.coordinator, resident=resident)
    match.refresh_from_db()
    assert match.status == MatchStatus.CANCELLED
    assert HelpRequest.objects.get(pk=match.request_id).status == "cancelled"
    told: User = cast.volunteer
    notification = Notification.objects.get(user=told)
    assert "withdrawn" in notification.text or "ingetrokken" in notification.text
    assert len(mailoutbox) == 1
    assert MARKERS["first_name"] not in str(mailoutbox[0].body)  # type: ignore[attr-defined]
    assert not OutboundMessage.objects.filter(status="queued", recipient__resident=resident).exists()
    assert not RoundStop.objects.filter(resident=resident, x=10).exists()
    assert not DoorFlag.objects.filter(resident=resident).exists()


def test_erasure_ends_the_resident_s_own_account_with_nothing_of_them_left(cast: Cast, filled: tuple[Resident, Match]):
    resident, _match = filled
    account = resident.user
    assert account is not None
    User.objects.filter(pk=account.pk).update(language="tr", first_name="Zwaluw", last_name="Vlieger")
    resident_erase(by=cast.coordinator, resident=resident)
    account.refresh_from_db()
    assert (account.username, account.first_name, account.last_name, account.email, account.language) == (
        f"gewist-{account.pk}",
        "",
        "",
        "",
        "",
    )
    assert not account.is_active
    assert not account.has_usable_password()


def test_the_export_holds_every_section_with_dutch_headings(cast: Cast, filled: tuple[Resident, Match]):
    resident, _match = filled
    from django.utils import translation

    with translation.override("nl"):
        document = resident_export(by=cast.coordinator, resident_id=resident.pk)
    sections = {section["name"]: section for section in document["sections"]}
    assert set(sections) >= {"contact_log", "activities", "help", "bingo", "outreach", "messages"}
    tables = {title: rows for section in document["sections"] for title, rows in section["tables"].items()}
    assert {"Contactmomenten", "Zorgsignalen", "Hulpvragen", "Deurbezoeken", "Berichten", "Aanmeldingen"} <= set(tables)
    flat = repr(document)
    for marker in ("help_request", "visit", "door_flag", "registration_name", "message", "check_in"):
        assert MARKERS[marker] in flat, marker
    # Codes are shown as words: no raw choice values in the readable parts.
    readable = repr(document["register"]) + repr(document["sections"])
    for code in ("'groceries'", "'home_visit'", "'loneliness'", "'talked'", "'confirmed'", "'phone'"):
        assert code not in readable, code
