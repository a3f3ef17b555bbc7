"""The NL Design System form base: widget classes and model choice lists."""

from django import forms

from tests.conftest import Cast
from veerkracht.core.formstyle import StyledForm
from veerkracht.core.models import Neighbourhood


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
