"""Pages of the bingo kit: the games of an activity, the caller's screen, checking a card."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from veerkracht.activities.selectors import activity_managed
from veerkracht.bingo.cards_pdf import cards_pdf as render_cards
from veerkracht.bingo.forms import CheckForm, GameForm, WinnerForm
from veerkracht.bingo.models import Game
from veerkracht.bingo.selectors import (
    CardCheck,
    UnknownCardError,
    card_check,
    game_managed,
    game_state,
    games_of_activity,
)
from veerkracht.bingo.services import BINGO_KINDS, DrawRefusedError, game_close, game_create, game_draw, winner_record
from veerkracht.core.access import Capability, request_user
from veerkracht.core.decorators import capability_required

RUN = Capability.HELP_AT_ACTIVITIES  # the same capability, and scope, as managing the activity


@capability_required(RUN)
@require_http_methods(["GET", "POST"])
@never_cache
def games(request: HttpRequest, activity_id: int) -> HttpResponse:
    """The bingo games of an activity, and the form to make one with its cards."""
    user = request_user(request)
    activity = activity_managed(user, activity_id)
    form = GameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            game = game_create(by=user, activity_id=activity.pk, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The game has been made with %(count)s cards.") % {"count": game.card_count})
            return redirect("bingo:caller", game_id=game.pk)
    context = {
        "activity": activity,
        "games": games_of_activity(user, activity),
        "form": form,
        "is_bingo": activity.kind in BINGO_KINDS,
    }
    return render(request, "bingo/games.html", context)


def _panel_context(game: Game) -> dict[str, object]:
    return {"game": game, "state": game_state(game)}


@capability_required(RUN)
@require_safe
@never_cache
def caller(request: HttpRequest, game_id: int) -> HttpResponse:
    """The caller's screen for a phone or a projector: the last number, the board, the draw button."""
    game = game_managed(request_user(request), game_id)
    context = {**_panel_context(game), "winners": game.winners.select_related("card")}
    return render(request, "bingo/caller.html", context)


@capability_required(RUN)
@require_safe
@never_cache
def board(request: HttpRequest, game_id: int) -> HttpResponse:
    """The caller's panel alone: a second screen polls it to stay in step."""
    game = game_managed(request_user(request), game_id)
    return render(request, "bingo/_panel.html", _panel_context(game))


@capability_required(RUN)
@require_POST
def draw(request: HttpRequest, game_id: int) -> HttpResponse:
    """Draw the next number; htmx gets the new panel, a plain form post goes back to the screen."""
    user = request_user(request)
    game = game_managed(user, game_id)
    refused = ""
    try:
        game_draw(by=user, game_id=game.pk)
    except DrawRefusedError as error:
        refused = str(error)
    if request.headers.get("HX-Request"):
        return render(request, "bingo/_panel.html", {**_panel_context(game), "refused": refused})
    if refused:
        messages.error(request, refused)
    return redirect("bingo:caller", game_id=game.pk)


@capability_required(RUN)
@require_safe
def cards_pdf(request: HttpRequest, game_id: int) -> HttpResponse:
    """The game's cards to print, two per A4 page."""
    game = game_managed(request_user(request), game_id)
    return cards_response(game)


def cards_response(game: Game) -> HttpResponse:
    response = HttpResponse(render_cards(game.activity, list(game.cards.all())), "application/pdf")
    response["Content-Disposition"] = f'inline; filename="bingokaarten-{game.pk}.pdf"'
    return response


@capability_required(RUN)
@require_http_methods(["GET", "POST"])
@never_cache
def check(request: HttpRequest, game_id: int) -> HttpResponse:
    """Type a card's code: the card with the drawn numbers marked and its complete lines; record a winner."""
    user = request_user(request)
    game = game_managed(user, game_id)
    if request.method == "POST":
        return _record_winner(request, game)
    form = CheckForm(request.GET or None)
    result: CardCheck | None = None
    if form.is_valid():
        try:
            result = card_check(game, form.cleaned_data["card_code"])
        except UnknownCardError as error:
            form.add_service_errors(error)
    winner_form = WinnerForm(initial={"card_code": result.card.code}) if result else None
    context = {
        "game": game,
        "form": form,
        "result": result,
        "winner_form": winner_form,
        "winners": game.winners.select_related("card"),
    }
    return render(request, "bingo/check.html", context)


def _record_winner(request: HttpRequest, game: Game) -> HttpResponse:
    form = WinnerForm(request.POST)
    code = request.POST.get("card_code", "")
    if form.is_valid():
        try:
            winner = winner_record(
                by=request_user(request),
                game_id=game.pk,
                code=form.cleaned_data["card_code"],
                prize=form.cleaned_data["prize"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Card %(code)s has been recorded as a winner.") % {"code": winner.card.code})
    return redirect(reverse("bingo:check", args=[game.pk]) + "?" + urlencode({"card_code": code}))


@capability_required(RUN)
@require_POST
def close(request: HttpRequest, game_id: int) -> HttpResponse:
    """Close the game: no more draws; residents whose card was registered to them count as having taken part."""
    user = request_user(request)
    game = game_managed(user, game_id)
    try:
        counted = game_close(by=user, game_id=game.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("bingo:caller", game_id=game.pk)
    messages.success(
        request, _("The game has been closed; %(count)s residents counted as taking part.") % {"count": counted}
    )
    return redirect("bingo:games", activity_id=game.activity_id)
