"""Reads of bingo, scoped to the user: the games of activities they organise or help at."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from veerkracht.activities.models import Activity
from veerkracht.activities.selectors import activities_managed_by
from veerkracht.bingo.codes import normalised_code
from veerkracht.bingo.models import BALLS, Card, Game
from veerkracht.core.exceptions import NotFound
from veerkracht.core.models import User
from veerkracht.engines.bingo import winning_lines

LETTERS = "BINGO"
PER_LETTER = BALLS // len(LETTERS)


class UnknownCardError(ValidationError):
    """The code is not a card of this game; the message says whether it is from another game."""


def games_managed_by(user: User) -> QuerySet[Game]:
    """The games of the activities the user may manage (organiser, helper, or a worker of the organisation)."""
    return Game.objects.filter(activity__in=activities_managed_by(user)).select_related("activity")


def game_managed(user: User, game_id: int) -> Game:
    """One game the user may run; 404 otherwise."""
    game = games_managed_by(user).select_related("activity__organisation").filter(pk=game_id).first()
    if game is None:
        raise NotFound
    return game


def games_of_activity(user: User, activity: Activity) -> QuerySet[Game]:
    return games_managed_by(user).filter(activity=activity).order_by("-created_at", "-id")


def drawn_numbers(game: Game) -> list[int]:
    """The numbers called so far, in the order they were drawn."""
    return list(game.draws.order_by("position").values_list("number", flat=True))


def letter_of(number: int) -> str:
    """The column a number belongs to: B 1-15, I 16-30, N 31-45, G 46-60, O 61-75."""
    return LETTERS[(number - 1) // PER_LETTER]


@dataclass(frozen=True)
class BoardCell:
    number: int
    drawn: bool


@dataclass(frozen=True)
class GameState:
    """What a caller's screen shows: the last number, how many are left, and the board."""

    drawn: list[int]

    @property
    def last(self) -> int | None:
        return self.drawn[-1] if self.drawn else None

    @property
    def last_letter(self) -> str:
        return letter_of(self.last) if self.last else ""

    @property
    def remaining(self) -> int:
        return BALLS - len(self.drawn)

    def board(self) -> list[tuple[str, list[BoardCell]]]:
        """Rows B, I, N, G, O of fifteen numbers each, the drawn ones marked."""
        called = set(self.drawn)
        return [
            (letter, [BoardCell(n, n in called) for n in range(row * PER_LETTER + 1, (row + 1) * PER_LETTER + 1)])
            for row, letter in enumerate(LETTERS)
        ]


def game_state(game: Game) -> GameState:
    return GameState(drawn_numbers(game))


def _elsewhere(game: Game, code: str) -> Card | None:
    """The same code on a card of another game of the organisation, to tell the caller so."""
    cards = Card.objects.filter(code=code, game__organisation_id=game.organisation_id).exclude(game=game)
    return cards.select_related("game__activity").order_by("-game__created_at").first()


def card_of_game(game: Game, typed: str) -> Card:
    """The card with the typed code in this game; UnknownCardError (naming ``card_code``) otherwise."""
    code = normalised_code(typed)
    if not code:
        raise UnknownCardError({"card_code": _("Type the code printed on the card.")})
    card = game.cards.filter(code=code).first()
    if card is not None:
        return card
    other = _elsewhere(game, code)
    if other is None:
        message = _("There is no card %(code)s in this game. Check the code on the card.") % {"code": code}
    else:
        when = timezone.localtime(other.game.activity.starts_at).strftime("%d-%m-%Y")
        message = _("Card %(code)s belongs to another game: %(activity)s on %(date)s.") % {
            "code": code,
            "activity": other.game.activity.title,
            "date": when,
        }
    raise UnknownCardError({"card_code": message})


@dataclass(frozen=True)
class CardCheck:
    """A card held against the numbers drawn so far."""

    card: Card
    drawn: frozenset[int]
    lines: list[str]

    def rows(self) -> list[list[BoardCell]]:
        """The card's rows; the free centre (0) counts as drawn."""
        return [[BoardCell(n, n == 0 or n in self.drawn) for n in row] for row in self.card.numbers]


def card_check(game: Game, typed: str) -> CardCheck:
    """Which lines of the card are complete with the numbers drawn; UnknownCardError for a wrong code."""
    card = card_of_game(game, typed)
    drawn = drawn_numbers(game)
    return CardCheck(card, frozenset(drawn), winning_lines(card.grid, drawn))
