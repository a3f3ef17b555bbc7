"""The public poster download and the iCalendar feeds per organisation, neighbourhood and place."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests.conftest import Cast
from tests.factories import NeighbourhoodFactory
from veerkracht.activities.models import Activity, Registration
from veerkracht.core.models import Neighbourhood, Organisation
from veerkracht.places.models import Place

# Upcoming and recent activities: also run at every awkward moment (tests/clock.py).
pytestmark = pytest.mark.clock

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _place(organisation, neighbourhood, name: str, **fields) -> Place:
    return Place.objects.create(
        organisation=organisation,
        neighbourhood=neighbourhood,
        name=name,
        kind="park",
        indoor=False,
        area_m2=400,
        **fields,
    )


def _activity(cast: Cast, title: str, *, starts_at: datetime, **fields) -> Activity:
    defaults = {
        "organisation": cast.organisation,
        "kind": "plantsoenbingo",
        "organiser": cast.professional,
        "max_participants": 30,
    }
    return Activity.objects.create(
        title=title, starts_at=starts_at, ends_at=starts_at + timedelta(hours=2), **{**defaults, **fields}
    )


def _other_organisation(cast: Cast) -> Organisation:
    return Organisation.objects.exclude(pk=cast.organisation.pk).get()


def _next_june() -> datetime:
    """15 June next year, 14:00 in Amsterdam (summer time, so 12:00 UTC)."""
    return datetime(timezone.now().year + 1, 6, 15, 14, 0, tzinfo=AMSTERDAM)


@pytest.fixture
def programme(cast: Cast) -> dict[str, Activity]:
    """A programme in the north and south, online, cancelled, long past, and one of another organisation."""
    now = timezone.now()
    park = _place(cast.organisation, cast.north, "Noorderpark", street_address="Parkweg 1", postcode="1234 AB")
    square = _place(cast.organisation, cast.south, "Zuiderplein")
    other_organisation = _other_organisation(cast)
    outside = Neighbourhood.objects.get(organisation=other_organisation)
    elsewhere = _place(other_organisation, outside, "Elders park")
    activities = {
        "bingo": _activity(cast, "Plantsoenbingo", starts_at=_next_june(), place=park, description="Met prijzen."),
        "walk": _activity(
            cast, "Buurtwandeling", starts_at=now + timedelta(days=3), place=square, registration_required=False
        ),
        "webinar": _activity(
            cast,
            "Webinar veilig thuis",
            kind="webinar",
            starts_at=now + timedelta(days=5),
            online_link="https://meet.example.org/veilig",
        ),
        "recent": _activity(cast, "Koffieochtend vorige week", starts_at=now - timedelta(days=10), place=park),
        "old": _activity(cast, "Koffieochtend lang geleden", starts_at=now - timedelta(days=40), place=park),
        "cancelled": _activity(
            cast, "Afgelaste bingo", starts_at=now + timedelta(days=4), place=park, cancelled_at=now
        ),
        "elsewhere": _activity(
            cast,
            "Bingo elders",
            starts_at=now + timedelta(days=4),
            place=elsewhere,
            organisation=other_organisation,
            organiser=cast.outsider_professional,
        ),
    }
    Registration.objects.create(
        activity=activities["bingo"], name="Truus de Vries", phone="0612345678", status="confirmed"
    )
    return activities


def _feed(client, url: str) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def _uids(calendar: Calendar) -> set[str]:
    return {str(event["UID"]) for event in calendar.walk("VEVENT")}


def _uid(*activities: Activity) -> set[str]:
    return {f"activity-{activity.pk}@veerkracht" for activity in activities}


def test_the_organisation_feed_has_its_upcoming_and_recent_activities(cast: Cast, client, programme):
    calendar = _feed(client, reverse("feeds:organisation", args=[cast.organisation.slug]))
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert str(calendar["X-WR-CALNAME"]) == f"Activiteiten van {cast.organisation.name}"
    assert _uids(calendar) == _uid(programme["bingo"], programme["walk"], programme["webinar"], programme["recent"])


def test_an_event_carries_the_public_fields_in_utc(cast: Cast, client, programme):
    calendar = _feed(client, reverse("feeds:organisation", args=[cast.organisation.slug]))
    bingo = programme["bingo"]
    event = next(event for event in calendar.walk("VEVENT") if event["UID"] == f"activity-{bingo.pk}@veerkracht")
    year = _next_june().year
    assert event.decoded("DTSTART") == datetime(year, 6, 15, 12, 0, tzinfo=UTC)
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert event.decoded("DTEND") == datetime(year, 6, 15, 14, 0, tzinfo=UTC)
    assert str(event["SUMMARY"]) == "Plantsoenbingo"
    assert str(event["LOCATION"]) == "Noorderpark, Parkweg 1, 1234 AB Veerstad"
    url = f"http://testserver/activiteiten/{bingo.pk}/"
    assert str(event["URL"]) == url
    assert str(event["DESCRIPTION"]) == f"Met prijzen.\n\nAanmelden: {url}"
    assert f"DTSTART:{year}0615T120000Z".encode() in calendar.to_ical()


def test_walk_in_and_online_activities_say_so(cast: Cast, client, programme):
    calendar = _feed(client, reverse("feeds:organisation", args=[cast.organisation.slug]))
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    assert str(events["Buurtwandeling"]["DESCRIPTION"]).startswith("Vrije inloop")
    # The link goes only to those registered for it (activities/online.py), never into a public feed.
    assert str(events["Webinar veilig thuis"]["LOCATION"]) == "Online"
    assert "meet.example.org" not in calendar.to_ical().decode().replace("\r\n ", "")


def test_a_feed_never_shows_registrations(cast: Cast, client, programme):
    response = client.get(reverse("feeds:organisation", args=[cast.organisation.slug]))
    assert b"Truus" not in response.content
    assert b"0612345678" not in response.content


def test_the_neighbourhood_feed_has_the_activities_at_its_places(cast: Cast, client, programme):
    calendar = _feed(client, reverse("feeds:neighbourhood", args=[cast.north.code]))
    assert str(calendar["X-WR-CALNAME"]) == f"Activiteiten in {cast.north.name}"
    assert _uids(calendar) == _uid(programme["bingo"], programme["recent"])


def test_a_neighbourhood_code_is_taken_per_organisation_when_asked(cast: Cast, client, programme):
    other_organisation = _other_organisation(cast)
    namesake = NeighbourhoodFactory.create(district__organisation=other_organisation, code=cast.north.code)
    twin = _activity(
        cast,
        "Bingo in de naamgenoot",
        starts_at=timezone.now() + timedelta(days=2),
        place=_place(other_organisation, namesake, "Park elders"),
        organisation=other_organisation,
        organiser=cast.outsider_professional,
    )
    url = reverse("feeds:neighbourhood", args=[cast.north.code])
    assert _uids(_feed(client, url)) == _uid(programme["bingo"], programme["recent"], twin)
    ours = _feed(client, f"{url}?organisatie={cast.organisation.slug}")
    assert _uids(ours) == _uid(programme["bingo"], programme["recent"])
    theirs = _feed(client, f"{url}?organisatie={other_organisation.slug}")
    assert _uids(theirs) == _uid(twin)


def test_the_place_feed_has_the_activities_at_that_place(cast: Cast, client, programme):
    square = programme["walk"].place
    calendar = _feed(client, reverse("feeds:place", args=[square.pk]))
    assert str(calendar["X-WR-CALNAME"]) == "Activiteiten bij Zuiderplein"
    assert _uids(calendar) == _uid(programme["walk"])


def test_a_feed_of_nothing_planned_is_an_empty_calendar(cast: Cast, client):
    calendar = _feed(client, reverse("feeds:organisation", args=[cast.organisation.slug]))
    assert _uids(calendar) == set()


@pytest.mark.parametrize(
    "url",
    [
        "/agenda/bestaat-niet.ics",
        "/agenda/buurt/BU99999999.ics",
        "/agenda/plek/999999.ics",
        "/activiteiten/999999/poster.pdf",
    ],
)
def test_unknown_things_are_404(cast: Cast, client, url):
    assert client.get(url).status_code == 404


def test_a_known_code_in_the_wrong_organisation_is_404(cast: Cast, client):
    other = _other_organisation(cast)
    url = reverse("feeds:neighbourhood", args=[cast.north.code])
    assert client.get(f"{url}?organisatie={other.slug}").status_code == 404


def test_anyone_may_download_the_poster(cast: Cast, client, programme):
    bingo = programme["bingo"]
    response = client.get(reverse("feeds:poster", args=[bingo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="poster-{bingo.pk}.pdf"'
    assert response.content.startswith(b"%PDF")


def test_a_cancelled_activity_has_no_poster(cast: Cast, client, programme):
    assert client.get(reverse("feeds:poster", args=[programme["cancelled"].pk])).status_code == 404


def test_the_poster_links_to_the_public_page_of_the_activity(cast: Cast, client, programme, monkeypatch):
    seen = {}

    def fake_poster(activity, registration_url, language="nl"):
        seen["url"] = registration_url
        return b"%PDF-fake"

    monkeypatch.setattr("veerkracht.activities.feeds.activity_poster", fake_poster)
    bingo = programme["bingo"]
    client.get(reverse("feeds:poster", args=[bingo.pk]), HTTP_HOST="127.0.0.1")
    assert seen["url"] == f"http://127.0.0.1/activiteiten/{bingo.pk}/"
