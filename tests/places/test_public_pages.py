"""The public pages of meeting places: list with filters and map, one place, no login needed."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from tests.conftest import Cast
from tests.factories import OrganisationFactory
from veerkracht.activities.models import Activity
from veerkracht.core.models import Neighbourhood
from veerkracht.places.models import Place, PlaceKind
from veerkracht.places.presentation import accessibility_features, opening_days, opening_summary

pytestmark = pytest.mark.django_db
ENGLISH = {"django_language": "en"}


def _place(cast: Cast, name: str, **fields) -> Place:
    values = {
        "organisation": cast.organisation,
        "neighbourhood": cast.north,
        "kind": PlaceKind.COMMUNITY_CENTRE,
        "street_address": "Lindelaan 4",
        "postcode": "1234AB",
    }
    return Place.objects.create(name=name, **(values | fields))


def _square(neighbourhood: Neighbourhood, x0: float, y0: float, side: float = 500.0) -> None:
    ring = [[x0, y0], [x0 + side, y0], [x0 + side, y0 + side], [x0, y0 + side], [x0, y0]]
    neighbourhood.boundary = {"type": "Polygon", "coordinates": [ring]}
    neighbourhood.save(update_fields=["boundary"])


def _svg(html: str) -> str:
    match = re.search(r'<figure class="vk-map">.*?</figure>', html, re.DOTALL)
    assert match, "no map on the page"
    return match.group(0)


def test_anyone_sees_the_list_and_a_place_without_signing_in(cast: Cast, client):
    place = _place(cast, "Buurthuis De Linde", step_free=True, contact_person="Anja Visser, 010-1234567")
    listing = client.get(reverse("places:list"))
    assert listing.status_code == 200
    assert "Buurthuis De Linde" in listing.content.decode()
    detail = client.get(reverse("places:detail", kwargs={"place_id": place.pk}))
    assert detail.status_code == 200
    html = detail.content.decode()
    assert "Lindelaan 4" in html
    assert "Anja Visser, 010-1234567" in html
    assert "Noorderhof" in html


def test_an_unknown_place_is_not_found(cast: Cast, client):
    assert client.get("/plekken/999999/").status_code == 404


def test_the_pages_only_answer_reads(cast: Cast, client):
    assert client.post(reverse("places:list")).status_code == 405


def test_the_list_holds_the_places_of_every_organisation_or_of_one(cast: Cast, client):
    _place(cast, "Buurthuis De Linde")
    other = OrganisationFactory.create(name="Welzijn Elders", slug="elders")
    Place.objects.create(organisation=other, name="Bibliotheek Elders", kind=PlaceKind.LIBRARY)
    names = {entry.place.name for entry in client.get(reverse("places:list")).context["entries"]}
    assert names == {"Buurthuis De Linde", "Bibliotheek Elders"}
    response = client.get(reverse("places:list"), {"organisatie": "elders"})
    assert [entry.place.name for entry in response.context["entries"]] == ["Bibliotheek Elders"]


def test_the_step_free_filter_leaves_out_a_place_with_steps(cast: Cast, client):
    _place(cast, "Buurthuis De Linde", step_free=True)
    _place(cast, "Kerkzaal", step_free=False)
    response = client.get(reverse("places:list"), {"access": "step_free"})
    assert [entry.place.name for entry in response.context["entries"]] == ["Buurthuis De Linde"]
    assert "Kerkzaal" not in response.content.decode()


def test_filters_on_kind_setting_and_every_accessibility_feature(cast: Cast, client):
    everything = {"step_free": True, "accessible_toilet": True, "hearing_loop": True, "seating": True}
    _place(cast, "Buurthuis", transit_distance_m=150, **everything)
    _place(cast, "Park", kind=PlaceKind.PARK, indoor=False, seating=True, transit_distance_m=600)
    _place(cast, "Bieb", kind=PlaceKind.LIBRARY, hearing_loop=True)

    def names(**query) -> list[str]:
        return [entry.place.name for entry in client.get(reverse("places:list"), query).context["entries"]]

    assert names(kind="park") == ["Park"]
    assert names(setting="outdoor") == ["Park"]
    assert names(setting="indoor") == ["Bieb", "Buurthuis"]
    assert names(access=["hearing_loop"]) == ["Bieb", "Buurthuis"]
    assert names(access=["seating", "near_transit"]) == ["Buurthuis"]
    assert names(access=["accessible_toilet"]) == ["Buurthuis"]
    assert names(access=["seating"]) == ["Buurthuis", "Park"]


def test_a_distancing_rule_shows_the_safe_capacity(cast: Cast, client):
    place = _place(cast, "Buurthuis De Linde", indoor=True, area_m2=100, normal_capacity=80)
    client.cookies.load(ENGLISH)
    assert "Safe capacity: 80 people" in client.get(reverse("places:list")).content.decode()
    cast.organisation.distancing_rule = True
    cast.organisation.indoor_m2_per_person = 5
    cast.organisation.save()
    assert "Safe capacity: 20 people" in client.get(reverse("places:list")).content.decode()
    html = client.get(reverse("places:detail", kwargs={"place_id": place.pk})).content.decode()
    assert "Safe capacity: 20 people" in html
    assert "distancing rule in force: 5 m² per person" in html
    assert "80 people" in html  # the normal capacity stays on the page


def test_accessibility_and_opening_hours_read_as_text(cast: Cast, client):
    hours = {str(day): [["09:00", "17:00"]] for day in range(5)} | {"5": [["10:00", "12:00"], ["13:00", "16:00"]]}
    place = _place(cast, "Bieb", step_free=True, hearing_loop=True, transit_distance_m=120, opening_hours=hours)
    client.cookies.load(ENGLISH)
    html = client.get(reverse("places:list")).content.decode()
    assert "Step-free access" in html
    assert "Hearing loop" in html
    assert "Public transport at 120 m" in html
    assert "Monday to Friday 09:00–17:00; Saturday 10:00–12:00, 13:00–16:00" in html
    detail = client.get(reverse("places:detail", kwargs={"place_id": place.pk})).content.decode()
    assert re.search(r"Sunday</dt>\s*<dd[^>]*>closed</dd>", detail)


def test_opening_hours_are_dutch_by_default(cast: Cast, client):
    place = _place(cast, "Bieb", opening_hours={"0": [["09:00", "17:00"]]})
    html = client.get(reverse("places:detail", kwargs={"place_id": place.pk})).content.decode()
    assert "Maandag" in html
    assert "Zondag" in html


def test_opening_hours_summaries():
    place = Place(opening_hours={})
    with translation.override("en"):
        assert opening_summary(place) == "Always open"
        assert opening_days(place) == []
        place.opening_hours = {"0": [["09:00", "12:00"]], "2": [["09:00", "12:00"]], "3": [["09:00", "12:00"]]}
        assert opening_summary(place) == "Monday 09:00–12:00; Wednesday to Thursday 09:00–12:00"
        assert opening_days(place)[1] == ("Tuesday", "closed")
        place.opening_hours = {"6": []}
        assert opening_summary(place) == "Closed every day"


def test_accessibility_features_in_words():
    place = Place(accessible_toilet=True, seating=True, transit_distance_m=800)
    with translation.override("en"):
        assert accessibility_features(place) == ["Accessible toilet", "Seating", "Public transport at 800 m"]
        assert accessibility_features(Place()) == []


def test_the_map_marks_every_place_and_outlines_the_neighbourhoods(cast: Cast, client):
    _square(cast.north, 120_000, 480_000)
    _square(cast.south, 120_500, 480_000)
    first = _place(cast, "Buurthuis", x=120_100, y=480_100)
    _place(cast, "Park", x=120_700, y=480_300, neighbourhood=cast.south)
    _place(cast, "Plein", x=120_250, y=480_450)
    _place(cast, "Online spreekuur", kind=PlaceKind.ONLINE)  # no location: listed, not on the map
    html = client.get(reverse("places:list")).content.decode()
    svg = _svg(html)
    assert 'role="img"' in svg
    assert re.search(r'aria-labelledby="map-title map-desc"', svg)
    assert '<title id="map-title">' in svg
    assert svg.count('class="vk-map__marker"') == 3
    assert svg.count('class="vk-map__area"') == 2
    assert f'href="/plekken/{first.pk}/"' in svg
    assert "<title>Buurthuis</title>" in svg
    assert ">Noorderhof</text>" in svg
    assert "Online spreekuur" in html  # still in the list
    assert "tile" not in html.lower()
    assert "<script" not in svg


def test_the_map_follows_the_filters(cast: Cast, client):
    _place(cast, "Buurthuis", x=120_100, y=480_100, step_free=True)
    _place(cast, "Park", x=120_700, y=480_300)
    svg = _svg(client.get(reverse("places:list"), {"access": "step_free"}).content.decode())
    assert svg.count('class="vk-map__marker"') == 1


def test_without_locations_there_is_no_map(cast: Cast, client):
    _place(cast, "Online spreekuur", kind=PlaceKind.ONLINE)
    html = client.get(reverse("places:list")).content.decode()
    assert "<svg" not in html


def test_the_place_page_maps_its_surroundings(cast: Cast, client):
    _square(cast.north, 120_000, 480_000)
    place = _place(cast, "Buurthuis", x=120_100, y=480_100)
    _place(cast, "Plein om de hoek", x=120_150, y=480_200)
    _place(cast, "Ver weg", x=125_000, y=485_000)
    svg = _svg(client.get(reverse("places:detail", kwargs={"place_id": place.pk})).content.decode())
    assert svg.count("vk-map__marker--current") == 1
    assert "<title>Plein om de hoek</title>" in svg
    assert "Ver weg" not in svg
    assert svg.count('class="vk-map__area"') == 1


def test_the_place_page_lists_coming_activities(cast: Cast, client):
    place = _place(cast, "Buurthuis")
    now = timezone.now()

    def activity(title: str, starts_in: timedelta, **fields) -> Activity:
        return Activity.objects.create(
            organisation=cast.organisation,
            title=title,
            kind="coffee_morning",
            place=place,
            starts_at=now + starts_in,
            ends_at=now + starts_in + timedelta(hours=2),
            organiser=cast.professional,
            **fields,
        )

    coming = activity("Koffieochtend", timedelta(days=2))
    activity("Gisteren", timedelta(days=-1))
    activity("Afgelast", timedelta(days=3), cancelled_at=now)
    html = client.get(reverse("places:detail", kwargs={"place_id": place.pk})).content.decode()
    assert f'href="/activiteiten/{coming.pk}/"' in html
    assert "Koffieochtend" in html
    assert "Gisteren" not in html
    assert "Afgelast" not in html


def test_the_list_is_paginated(cast: Cast, client):
    for number in range(30):
        _place(cast, f"Plek {number:02d}", x=120_000 + number * 10, y=480_000)
    response = client.get(reverse("places:list"))
    assert len(response.context["entries"]) == 25
    # The map shows every place found, not only this page.
    assert _svg(response.content.decode()).count('class="vk-map__marker"') == 30
    assert len(client.get(reverse("places:list"), {"page": 2}).context["entries"]) == 5


def test_the_list_page_queries_are_bounded(cast: Cast, client, django_assert_max_num_queries):
    _square(cast.north, 120_000, 480_000)
    _square(cast.south, 120_500, 480_000)
    for number in range(30):
        _place(cast, f"Plek {number:02d}", x=120_000 + number * 10, y=480_000, neighbourhood=cast.south)
    # The languages the organisations offer are one of them; PostgreSQL adds the organisation setting
    # cleared and put back.
    bound = 8 if connection.vendor == "postgresql" else 6
    with django_assert_max_num_queries(bound):
        client.get(reverse("places:list"), {"access": "seating"})
    with django_assert_max_num_queries(bound):
        client.get(reverse("places:list"))


def test_an_unknown_organisation_or_page_is_a_clear_error_not_a_crash(cast: Cast, client):
    _place(cast, "Buurthuis De Linde")
    client.cookies.load(ENGLISH)
    response = client.get(reverse("places:list"), {"organisatie": "bestaat-niet", "page": "abc"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert response.context["form"].errors["organisatie"]
