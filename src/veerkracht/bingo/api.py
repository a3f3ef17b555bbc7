"""API of the bingo kit: make a game, print its cards, draw, read the state, check a card."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from veerkracht.bingo.models import MAX_CARDS, Game, Winner
from veerkracht.bingo.selectors import UnknownCardError, card_check, game_managed, game_state, letter_of
from veerkracht.bingo.services import game_close, game_create, game_draw, winner_record
from veerkracht.bingo.views import cards_response
from veerkracht.core.access import Capability
from veerkracht.core.api_contract import ErrorOut
from veerkracht.core.gate import require_capability

router = Router(tags=["bingo"])
RUN = Capability.HELP_AT_ACTIVITIES


class GameIn(Schema):
    activity_id: int
    cards: int = Field(..., ge=1, le=MAX_CARDS)
    per_registration: bool = Field(False, description="one card for each confirmed registration (household)")


class WinnerOut(Schema):
    card_code: str
    lines: list[str]
    prize: str
    draw_count: int
    recorded_at: datetime


class GameOut(Schema):
    id: int
    activity_id: int
    cards: int
    drawn: list[int] = Field(..., description="the numbers called, in order")
    last_number: int | None
    remaining: int
    closed_at: datetime | None
    winners: list[WinnerOut]
    cards_pdf_url: str


class DrawOut(Schema):
    position: int
    number: int
    letter: str = Field(..., description="B, I, N, G or O")
    remaining: int


class CheckOut(Schema):
    card_code: str
    numbers: list[list[int]] = Field(..., description="5 rows of 5; the free centre is 0")
    drawn: list[int]
    lines: list[str] = Field(..., description='complete lines, e.g. "row 2", "diagonal 1", "full card"')
    registered: bool


class WinnerIn(Schema):
    card_code: str = Field(..., min_length=1, max_length=20)
    prize: str = Field("", max_length=150)


def winner_out(winner: Winner) -> dict[str, Any]:
    return {
        "card_code": winner.card.code,
        "lines": winner.lines,
        "prize": winner.prize,
        "draw_count": winner.draw_count,
        "recorded_at": winner.recorded_at,
    }


def game_out(request: HttpRequest, game: Game) -> dict[str, Any]:
    state = game_state(game)
    return {
        "id": game.pk,
        "activity_id": game.activity_id,
        "cards": game.card_count,
        "drawn": state.drawn,
        "last_number": state.last,
        "remaining": state.remaining,
        "closed_at": game.closed_at,
        "winners": [winner_out(winner) for winner in game.winners.select_related("card")],
        "cards_pdf_url": request.build_absolute_uri(f"/api/v1/bingo/games/{game.pk}/cards.pdf"),
    }


@router.post("/bingo/games", response={201: GameOut})
def games_create(request: HttpRequest, payload: GameIn) -> Status[dict[str, Any]]:
    """Make a game with its cards for a balkonbingo or plantsoenbingo you organise or help at."""
    user = require_capability(request, RUN)
    game = game_create(
        by=user,
        activity_id=payload.activity_id,
        cards=payload.cards,
        per_registration=payload.per_registration,
    )
    return Status(201, game_out(request, game))


@router.get("/bingo/games/{game_id}", response=GameOut)
def games_read(request: HttpRequest, game_id: int) -> dict[str, Any]:
    """The state of a game: the numbers drawn, in order, and the winners."""
    return game_out(request, game_managed(require_capability(request, RUN), game_id))


@router.get(
    "/bingo/games/{game_id}/cards.pdf",
    response={200: None},
    openapi_extra={
        "responses": {200: {"description": "the cards, two per A4 page", "content": {"application/pdf": {}}}}
    },
)
def games_cards(request: HttpRequest, game_id: int) -> HttpResponse:
    """The game's cards as PDF, two per A4 page, to print."""
    return cards_response(game_managed(require_capability(request, RUN), game_id))


@router.post("/bingo/games/{game_id}/draw", response={201: DrawOut, 409: ErrorOut})
def games_draw(request: HttpRequest, game_id: int) -> Status[dict[str, Any]]:
    """Draw the next number; 409 once all 75 are drawn or the game is closed."""
    user = require_capability(request, RUN)
    game = game_managed(user, game_id)
    draw = game_draw(by=user, game_id=game.pk)  # DrawRefusedError is a Conflict: 409 (veerkracht/api.py)
    remaining = 75 - draw.position
    return Status(
        201,
        {"position": draw.position, "number": draw.number, "letter": letter_of(draw.number), "remaining": remaining},
    )


@router.get("/bingo/games/{game_id}/check/{card_code}", response=CheckOut)
def games_check(request: HttpRequest, game_id: int, card_code: str) -> dict[str, Any]:
    """A card held against the numbers drawn: its complete lines; 404 naming the problem for a wrong code."""
    game = game_managed(require_capability(request, RUN), game_id)
    try:
        result = card_check(game, card_code)
    except UnknownCardError as error:
        raise HttpError(404, " ".join(error.messages)) from None
    return {
        "card_code": result.card.code,
        "numbers": result.card.numbers,
        "drawn": sorted(result.drawn),
        "lines": result.lines,
        "registered": result.card.registration_id is not None,
    }


@router.post("/bingo/games/{game_id}/winners", response={201: WinnerOut})
def games_winner(request: HttpRequest, game_id: int, payload: WinnerIn) -> Status[dict[str, Any]]:
    """Record a winning card and its prize; sent twice at the same draw, it is recorded once."""
    user = require_capability(request, RUN)
    game = game_managed(user, game_id)
    winner = winner_record(by=user, game_id=game.pk, code=payload.card_code, prize=payload.prize)
    return Status(201, winner_out(winner))


@router.post("/bingo/games/{game_id}/close", response=GameOut)
def games_close(request: HttpRequest, game_id: int) -> dict[str, Any]:
    """Close the game: no more draws; residents whose card was registered to them count as having taken part."""
    user = require_capability(request, RUN)
    game = game_managed(user, game_id)
    game_close(by=user, game_id=game.pk)
    game.refresh_from_db()
    return game_out(request, game)
