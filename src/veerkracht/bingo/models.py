"""Bingo games of an activity: the printed cards, the numbers drawn, and the winners.

The numbers on a card and the order of the draw come from the engine (``veerkracht.engines.bingo``)
and the game's seed. A card's numbers are stored as well, so a printed card never changes, even if
a later Python changed its random generator; the draws are stored one row each, so a refresh or a
second device always sees what was called.
"""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from veerkracht.activities.models import Activity, Registration
from veerkracht.core.models import Organisation, User

MAX_CARDS = 500  # a courtyard or a park, not a stadium; also bounds the PDF's size
BALLS = 75


class Game(models.Model):
    """One game of bingo at an activity."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="bingo_games")
    seed = models.BigIntegerField()  # never shown: it would reveal the order of the draw
    card_count = models.PositiveSmallIntegerField(_("number of cards"))
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bingo game")
        verbose_name_plural = _("bingo games")
        ordering = ("created_at", "id")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(card_count__gte=1) & Q(card_count__lte=MAX_CARDS), name="bingo_game_card_count_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} · bingo {self.pk}"


class Card(models.Model):
    """A printed card: its code is read aloud by the winner, so it is short and unambiguous."""

    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="cards")
    index = models.PositiveSmallIntegerField()  # position in make_cards(card_count, seed), from 0
    code = models.CharField(max_length=8)
    numbers = models.JSONField()  # 5 rows of 5 numbers, the centre 0 (free)
    # The household's registration the card was made for, if any: its resident counts as reached.
    registration = models.ForeignKey(
        Registration, on_delete=models.SET_NULL, null=True, blank=True, related_name="bingo_cards"
    )

    class Meta:
        verbose_name = _("bingo card")
        verbose_name_plural = _("bingo cards")
        ordering = ("game", "index")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["game", "index"], name="bingo_card_index_once"),
            models.UniqueConstraint(fields=["game", "code"], name="bingo_card_code_once"),
            models.UniqueConstraint(
                fields=["game", "registration"],
                condition=Q(registration__isnull=False),
                name="bingo_card_once_per_registration",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def grid(self) -> tuple[tuple[int, ...], ...]:
        """The numbers as the engine's card: rows of columns, the centre 0."""
        return tuple(tuple(row) for row in self.numbers)


class Draw(models.Model):
    """A number called: the n-th draw of a game."""

    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="draws")
    position = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField()
    drawn_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bingo draw")
        verbose_name_plural = _("bingo draws")
        ordering = ("game", "position")
        constraints: ClassVar = [
            # A second process can neither draw the same number twice nor skip or repeat a position.
            models.UniqueConstraint(fields=["game", "position"], name="bingo_draw_position_once"),
            models.UniqueConstraint(fields=["game", "number"], name="bingo_draw_number_once"),
            models.CheckConstraint(
                condition=Q(position__gte=1) & Q(position__lte=BALLS), name="bingo_draw_position_range"
            ),
            models.CheckConstraint(condition=Q(number__gte=1) & Q(number__lte=BALLS), name="bingo_draw_number_range"),
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.number}"


class Winner(models.Model):
    """A card checked and declared a winner, with its prize.

    A card may win more than once (a line, later the full card), but only once per state of the
    game: ``draw_count`` is the number of draws at the time, so a double submit records one winner.
    """

    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="winners")
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="wins")
    draw_count = models.PositiveSmallIntegerField()
    lines = models.JSONField()  # the engine's line names, e.g. ["row 2", "full card"]
    prize = models.CharField(_("prize"), max_length=150, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bingo winner")
        verbose_name_plural = _("bingo winners")
        ordering = ("game", "recorded_at", "id")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["card", "draw_count"], name="bingo_winner_once_per_draw"),
        ]

    def __str__(self) -> str:
        return f"{self.card} · {self.prize}"
