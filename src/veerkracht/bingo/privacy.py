"""Bingo's part in a resident's export and erasure: the cards handed to them and what they won."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from veerkracht.bingo.models import Card, Winner
from veerkracht.people.models import Resident
from veerkracht.people.registry import PersonalData, shown


def bingo_export(resident: Resident) -> dict[str, list[dict[str, Any]]]:
    cards = (
        Card.objects.filter(registration__resident=resident)
        .select_related("game__activity")
        .prefetch_related("wins")
        .order_by("game_id", "index")
    )
    return {
        _("Bingo cards"): [
            {
                _("Activity"): card.game.activity.title,
                _("Card"): card.code,
                _("Prizes won"): ", ".join(win.prize or _("yes") for win in card.wins.all()) or "—",
                _("Won on"): shown(min((win.recorded_at for win in card.wins.all()), default=None)),
            }
            for card in cards
        ]
    }


def bingo_erase(resident: Resident) -> None:
    """Cut the cards loose from the resident; the game, its draws and its winners' cards stay whole."""
    Card.objects.filter(registration__resident=resident).update(registration=None)


PERSONAL_DATA = PersonalData(
    name="bingo",
    heading=gettext_lazy("Bingo"),
    models=(Card, Winner),
    export=bingo_export,
    erase=bingo_erase,
)
