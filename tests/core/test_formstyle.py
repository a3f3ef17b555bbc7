"""The NL Design System form base: widget classes and model choice lists."""

from datetime import date, time

from django import forms
from django.utils import translation

from tests.conftest import Cast
from veerkracht.core.formstyle import PeopleChoiceField, PersonChoiceField, StyledForm
from veerkracht.core.models import Neighbourhood, User


class _NeighbourhoodForm(StyledForm):
    neighbourhood = forms.ModelChoiceField(queryset=Neighbourhood.objects.order_by("name"), required=False)


def test_a_model_choice_list_is_read_once_per_form(cast: Cast, django_assert_num_queries):
    form = _NeighbourhoodForm()
    with django_assert_num_queries(1):
        first, second = str(form["neighbourhood"]), str(form["neighbourhood"])
    assert first == second
    assert f'<option value="{cast.north.pk}">{cast.north.name}</option>' in first
    assert 'class="utrecht-select utrecht-select--html-select"' in first


def test_a_bound_form_still_checks_the_choice_against_the_database(cast: Cast):
    chosen = _NeighbourhoodForm({"neighbourhood": str(cast.north.pk)})
    assert chosen.is_valid()
    assert chosen.cleaned_data["neighbourhood"] == cast.north
    unknown = _NeighbourhoodForm({"neighbourhood": "999999"})
    assert not unknown.is_valid()
    assert "neighbourhood" in unknown.errors


def test_each_form_reads_the_choices_afresh(cast: Cast):
    before = str(_NeighbourhoodForm()["neighbourhood"])
    Neighbourhood.objects.filter(pk=cast.north.pk).update(name="Noordkwartier")
    after = str(_NeighbourhoodForm()["neighbourhood"])
    assert "Noordkwartier" in after
    assert "Noordkwartier" not in before


class _DueForm(StyledForm):
    due_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.TimeField(required=False, widget=forms.TimeInput(attrs={"type": "time"}))


def test_a_prefilled_date_box_holds_the_iso_date_the_browser_reads_in_dutch_too():
    with translation.override("nl"):
        html = str(_DueForm(initial={"due_on": date(2026, 12, 31), "at": time(9, 5)})["due_on"])
        assert 'value="2026-12-31"' in html  # not 31-12-2026, which the browser throws away
        assert 'value="09:05"' in str(_DueForm(initial={"at": time(9, 5)})["at"])


class _FollowUpForm(StyledForm):
    worker = PersonChoiceField(queryset=User.objects.none(), required=False)
    helpers = PeopleChoiceField(queryset=User.objects.none(), required=False)


def test_people_are_picked_by_name_and_team_in_two_queries(cast: Cast, django_assert_num_queries):
    form = _FollowUpForm()
    workers = User.objects.filter(organisation=cast.organisation).order_by("username")
    form.fields["worker"].queryset = workers  # type: ignore[attr-defined]
    with django_assert_num_queries(2):  # the people, then their teams: not a query per option
        html = str(form["worker"])
    assert f"{cast.professional.display_name} · {cast.team_north.name}</option>" in html
    assert f"{cast.coordinator.display_name} · Coördinator</option>" in html  # no team: the role
    assert f">{cast.professional.username}<" not in html
