"""The team page: members, their roles, load and who is away."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import Cast
from veerkracht.contacts.services import concern_raise
from veerkracht.team.selectors import team_members_load
from veerkracht.team.services import unavailability_add


def test_the_team_page_shows_load_and_who_is_away(cast: Cast, client):
    cast.team_north.members.add(cast.coordinator, cast.volunteer)
    concern_raise(by=cast.professional, resident_id=cast.resident_north.pk, category="health", severity=2)
    today = timezone.localdate()
    unavailability_add(by=cast.volunteer, user_id=cast.volunteer.pk, starts_on=today, ends_on=today + timedelta(days=3))
    rows = {row.member.username: row for row in team_members_load(cast.team_north)}
    assert rows["pro"].concerns_to_follow == 1
    assert rows["vol"].away is not None
    assert rows["pro"].away is None
    client.force_login(cast.professional)
    page = client.get(f"/teams/{cast.team_north.pk}/").content.decode()
    assert "Afwezig tot" in page
    assert "Coördinator" in page
    assert client.get(f"/teams/{cast.team_south.pk}/").status_code == 404


def test_only_coordinators_enter_absence_for_someone_else(cast: Cast):
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        unavailability_add(by=cast.volunteer, user_id=cast.basisbaan.pk, starts_on=today, ends_on=today)
    made = unavailability_add(by=cast.coordinator, user_id=cast.basisbaan.pk, starts_on=today, ends_on=today)
    assert made.user == cast.basisbaan
