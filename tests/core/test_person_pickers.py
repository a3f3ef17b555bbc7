"""The two pickers that still showed bare names show "Name · Team" like every other (issue 23)."""

from typing import Any

from tests.conftest import Cast
from tests.factories import UserFactory
from veerkracht.core.models import User
from veerkracht.help.forms import ProposeForm
from veerkracht.help.models import HelpOffer
from veerkracht.team.forms import MemberAwayForm


def _offer(cast: Cast, helper: User) -> HelpOffer:
    return HelpOffer.objects.create(
        organisation=cast.organisation, helper=helper, neighbourhood=cast.north, kinds=["groceries"],
        x=0, y=0, radius_m=1000, max_open_tasks=2,
    )  # fmt: skip


def test_ask_another_helper_names_the_helpers_team(cast: Cast, django_assert_max_num_queries):
    twin = UserFactory.create(
        volunteer=True, organisation=cast.organisation, first_name=cast.volunteer.first_name,
        last_name=cast.volunteer.last_name,
    )  # fmt: skip
    cast.team_north.members.add(cast.volunteer)
    cast.team_south.members.add(twin)
    _offer(cast, cast.volunteer)
    _offer(cast, twin)
    form = ProposeForm(offers=HelpOffer.objects.all())
    with django_assert_max_num_queries(2):  # the offers with their helpers, then every team at once
        labels = _labels(form.fields["offer"])
    assert sorted(labels) == sorted(
        [f"{cast.volunteer.display_name} · {cast.team_north.name}", f"{twin.display_name} · {cast.team_south.name}"]
    )


def test_who_is_away_names_the_members_team(cast: Cast):
    form = MemberAwayForm(members=User.objects.filter(pk=cast.professional.pk))
    labels = _labels(form.fields["user"])
    assert labels == [f"{cast.professional.display_name} · {cast.team_north.name}"]


def _labels(field: Any) -> list[str]:
    return [str(label) for _value, label in field.choices][1:]  # past the empty choice
