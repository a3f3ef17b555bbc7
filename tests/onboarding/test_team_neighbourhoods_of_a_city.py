"""The team page offers a city's 500+ neighbourhoods per wijk, with whole wijken, and works without JavaScript."""

import re
import time

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from tests.factories import DistrictFactory, NeighbourhoodFactory
from veerkracht.core.models import District, Neighbourhood

pytestmark = pytest.mark.django_db

DISTRICTS, PER_DISTRICT = 40, 13  # 520 neighbourhoods, as in a city the size of Utrecht or Den Haag


@pytest.fixture
def city(cast: Cast) -> list[District]:
    districts = [
        DistrictFactory.create(organisation=cast.organisation, code=f"WK0344{n:02d}", name=f"Wijk {n:02d}")
        for n in range(DISTRICTS)
    ]
    Neighbourhood.objects.bulk_create(
        NeighbourhoodFactory.build(
            district=district,
            organisation=cast.organisation,
            code=f"BU0344{d:02d}{n:02d}",
            name=f"Buurt {d:02d}-{n:02d}",
        )
        for d, district in enumerate(districts)
        for n in range(PER_DISTRICT)
    )
    return districts


def _page(client: Client, cast: Cast) -> str:
    return client.get(reverse("team:team", args=[cast.team_south.pk])).content.decode()


def test_the_neighbourhoods_are_grouped_per_wijk_with_every_checkbox_in_the_page(cast: Cast, city, client: Client):
    client.force_login(cast.coordinator)
    _page(client, cast)  # the templates compiled once
    started = time.perf_counter()
    html = _page(client, cast)
    elapsed = time.perf_counter() - started
    total = Neighbourhood.objects.filter(organisation=cast.organisation).count()
    assert total >= DISTRICTS * PER_DISTRICT
    assert html.count('name="neighbourhoods"') == total  # nothing hidden from a browser without scripts
    groups = re.findall(r"<details class=\"vk-details vk-coverage__district\"[^>]*>", html)
    assert len(groups) == District.objects.filter(organisation=cast.organisation).count()
    # Only the wijk holding the team's own neighbourhood is open; the rest stays folded.
    assert sum(1 for group in groups if " open" in group) == 1
    assert "Wijk 07" in html
    assert "0 van 13 gekozen" in html
    assert 'id="coverage-filter"' in html  # the filter box, shown by coverage.js
    assert "veerkracht/coverage.js" in html
    assert elapsed < 2, f"the team page took {elapsed:.2f} s with {total} neighbourhoods"


def test_a_whole_wijk_and_single_neighbourhoods_are_saved_together(cast: Cast, city, client: Client):
    client.force_login(cast.coordinator)
    single = Neighbourhood.objects.get(code="BU03440305")
    url = reverse("team:team_neighbourhoods", args=[cast.team_south.pk])
    client.post(url, {"districts": [city[7].pk], "neighbourhoods": [single.pk]})
    chosen = set(cast.team_south.neighbourhoods.values_list("code", flat=True))
    assert chosen == {f"BU034407{n:02d}" for n in range(PER_DISTRICT)} | {"BU03440305"}
    assert "13 van 13 gekozen" in _page(client, cast)


def test_another_organisation_s_wijk_cannot_be_chosen(cast: Cast, city, client: Client):
    client.force_login(cast.coordinator)
    outside = District.objects.exclude(organisation=cast.organisation).first()
    assert outside is not None
    url = reverse("team:team_neighbourhoods", args=[cast.team_south.pk])
    response = client.post(url, {"districts": [outside.pk]}, follow=True)
    assert "Kies buurten van uw eigen organisatie." in response.content.decode()
    assert list(cast.team_south.neighbourhoods.all()) == [cast.south]
