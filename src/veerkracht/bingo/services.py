"""Writes of bingo: make a game with its cards, draw a number, record a winner, close the game.

Playing counts as attendance (channel ``activity``) for residents whose card was registered to
them: when their card is recorded as a winner, and for every such card when the caller closes the
game after at least one number was drawn. In balkonbingo the card goes through the letterbox and
is played from the balcony, so the caller cannot tick people off one by one; closing the game says
"it was played", the same assumption an organiser makes when counting the participants.
"""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from veerkracht.activities.models import Activity, ActivityKind, Registration, RegistrationStatus
from veerkracht.activities.selectors import activities_managed_by
from veerkracht.activities.services import attendance_record
from veerkracht.bingo.codes import card_codes
from veerkracht.bingo.models import BALLS, MAX_CARDS, Card, Draw, Game, Winner
from veerkracht.bingo.selectors import card_of_game, drawn_numbers
from veerkracht.core.access import Capability, can
from veerkracht.core.audit import audit_record
from veerkracht.core.exceptions import Conflict
from veerkracht.core.models import AuditAction, User
from veerkracht.engines.bingo import draw_order, make_cards, winning_lines

BINGO_KINDS = frozenset({ActivityKind.BALKONBINGO, ActivityKind.PLANTSOENBINGO})


class DrawRefusedError(Conflict):
    """No number can be drawn: all 75 are out, or the game is closed. The message says which."""


def _bingo_activity(by: User, activity_id: int) -> Activity:
    activity = activities_managed_by(by).filter(pk=activity_id).first()
    if activity is None:
        raise ValidationError({"activity_id": _("Choose an activity you organise or help at.")})
    if activity.kind not in BINGO_KINDS:
        raise ValidationError({"activity_id": _("Bingo cards are only made for a balcony bingo or a green bingo.")})
    if activity.cancelled_at is not None:
        raise ValidationError({"activity_id": _("This activity has been cancelled.")})
    return activity


def _card_holders(activity: Activity, cards: int) -> list[Registration]:
    """The confirmed registrations, oldest first: each gets one of the first cards."""
    registrations = list(activity.registrations.filter(status=RegistrationStatus.CONFIRMED).order_by("created_at"))
    if len(registrations) > cards:
        raise ValidationError(
            {
                "cards": _("%(count)s households are registered: make at least that many cards.")
                % {"count": len(registrations)}
            }
        )
    return registrations


@transaction.atomic
def game_create(
    *,
    by: User,
    activity_id: int,
    cards: int,
    per_registration: bool = False,
    seed: int | None = None,
) -> Game:
    """A bingo game for a balkonbingo or plantsoenbingo, with ``cards`` cards (1-500); with
    ``per_registration``, the first cards go one to each confirmed registration. ``seed`` only for
    the demo city, which is the same for the same seed; a real game gets a secret random one."""
    if not can(by, Capability.HELP_AT_ACTIVITIES):
        raise ValidationError(_("You cannot run activities."))
    activity = _bingo_activity(by, activity_id)
    if isinstance(cards, bool) or not isinstance(cards, int) or not 1 <= cards <= MAX_CARDS:
        raise ValidationError({"cards": _("Make between 1 and %(max)s cards.") % {"max": MAX_CARDS}})
    holders = _card_holders(activity, cards) if per_registration else []
    if seed is None:
        seed = secrets.randbits(62)  # secret and unguessable: the seed decides the order of the draw
    game = Game.objects.create(
        organisation_id=activity.organisation_id, activity=activity, seed=seed, card_count=cards, created_by=by
    )
    codes = card_codes(cards, seed)
    Card.objects.bulk_create(
        Card(
            game=game,
            index=index,
            code=codes[index],
            numbers=[list(row) for row in numbers],
            registration=holders[index] if index < len(holders) else None,
        )
        for index, numbers in enumerate(make_cards(cards, seed))
    )
    audit_record(action=AuditAction.CREATE, actor=by, object_type="bingo.game", object_id=game.pk)
    return game


def _locked(game_id: int) -> Game:
    """The game row, locked until the transaction ends, so two callers never draw at once.

    On PostgreSQL this is SELECT … FOR UPDATE; SQLite has no row locks, but its transactions start
    IMMEDIATE (settings.py), so a second writer waits for the first to commit.
    """
    return Game.objects.select_for_update(of=("self",)).select_related("activity").get(pk=game_id)


@transaction.atomic
def game_draw(*, by: User, game_id: int) -> Draw:
    """Draw the next number of the game's order; DrawRefusedError after the 75th or once closed."""
    game = _locked(game_id)
    if game.closed_at is not None:
        raise DrawRefusedError(_("This game has been closed: no more numbers are drawn."))
    drawn = set(drawn_numbers(game))
    if len(drawn) >= BALLS:
        raise DrawRefusedError(_("All 75 numbers have been drawn. Check the winners or close the game."))
    # The first undrawn number of the seed's order, so a stored draw is never repeated.
    number = next(number for number in draw_order(game.seed) if number not in drawn)
    return Draw.objects.create(game=game, position=len(drawn) + 1, number=number, drawn_by=by)


def _count_as_played(by: User, activity: Activity, cards: list[Card]) -> int:
    """Attendance for the residents holding these cards through a confirmed registration."""
    ids = list(
        Registration.objects.filter(
            bingo_cards__in=cards, status=RegistrationStatus.CONFIRMED, resident__isnull=False
        ).values_list("pk", flat=True)
    )
    return attendance_record(by=by, activity=activity, registration_ids=ids).ticked if ids else 0


def winner_record(*, by: User, game_id: int, code: str, prize: str = "") -> Winner:
    """Record a winning card and its prize; the same card at the same draw is recorded once
    (the game is locked meanwhile, so a double submit finds the first record)."""
    with transaction.atomic():
        game = _locked(game_id)
        card = card_of_game(game, code)
        lines = winning_lines(card.grid, drawn_numbers(game))
        if not lines:
            raise ValidationError({"card_code": _("Card %(code)s has no complete line yet.") % {"code": card.code}})
        winner, _created = Winner.objects.get_or_create(
            card=card,
            draw_count=game.draws.count(),
            defaults={"game": game, "lines": lines, "prize": prize.strip()[:150], "recorded_by": by},
        )
        _count_as_played(by, game.activity, [card])
    audit_record(action=AuditAction.CREATE, actor=by, object_type="bingo.winner", object_id=winner.pk)
    return winner


@transaction.atomic
def game_close(*, by: User, game_id: int) -> int:
    """Close the game after at least one draw; the residents whose card was registered to them
    count as having taken part. Returns how many were newly counted; closing twice changes nothing."""
    game = _locked(game_id)
    if game.closed_at is not None:
        return 0
    if not game.draws.exists():
        raise ValidationError(_("Draw at least one number before closing the game."))
    game.closed_at = timezone.now()
    game.save(update_fields=["closed_at"])
    counted = _count_as_played(by, game.activity, list(game.cards.filter(registration__isnull=False)))
    audit_record(
        action=AuditAction.UPDATE,
        actor=by,
        object_type="bingo.game",
        object_id=game.pk,
        fields=["closed_at"],
    )
    return counted
