"""Forms of the bingo kit: make a game, check a card, record a winner."""

from django import forms
from django.utils.translation import gettext_lazy as _

from veerkracht.bingo.models import MAX_CARDS
from veerkracht.core.formstyle import StyledForm

CODE_INPUT = forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"})


class GameForm(StyledForm):
    cards = forms.IntegerField(label=_("Number of cards"), min_value=1, max_value=MAX_CARDS, initial=60)
    per_registration = forms.BooleanField(
        label=_("One card for each registered household"),
        required=False,
        help_text=_("Their resident counts as having taken part when the game is closed."),
    )


class CheckForm(StyledForm):
    card_code = forms.CharField(label=_("Card code"), max_length=20, widget=CODE_INPUT)


class WinnerForm(StyledForm):
    card_code = forms.CharField(max_length=20, widget=forms.HiddenInput)
    prize = forms.CharField(label=_("Prize"), max_length=150, required=False)
