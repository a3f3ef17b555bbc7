"""Two callers pressing "draw" at the same moment draw one number each, never the same one twice.

Over real HTTP connections to the live server (a thread and a database connection per request),
against a file database on SQLite (immediate transactions) or PostgreSQL (row lock on the game).
"""

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection

from tests.conftest import Cast
from veerkracht.bingo.models import Draw
from veerkracht.bingo.services import game_create
from veerkracht.core.services import api_token_issue
from veerkracht.engines.bingo import draw_order

pytestmark = pytest.mark.django_db(transaction=True)

PAIRS = 40  # 80 presses for 75 numbers: the last five must be refused


def _press(url: str, token: str, start: Barrier) -> tuple[int, int | None]:
    request = urllib.request.Request(url, data=b"{}", method="POST")  # noqa: S310 - the test's own live server
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Content-Type", "application/json")
    start.wait()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            return response.status, int(json.load(response)["number"])
    except urllib.error.HTTPError as error:
        return error.code, None


def test_two_devices_drawing_at_once_draw_exactly_one_number_each(live_server, cast: Cast, balkonbingo):
    if connection.vendor == "sqlite":
        assert "memory" not in str(connection.settings_dict["NAME"])
    game = game_create(by=cast.professional, activity_id=balkonbingo.pk, cards=2)
    phone, _ = api_token_issue(user=cast.professional)
    projector, _ = api_token_issue(user=cast.volunteer)
    url = f"{live_server.url}/api/v1/bingo/games/{game.pk}/draw"
    answers: list[tuple[int, int | None]] = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        for _ in range(PAIRS):
            start = Barrier(2)  # both requests leave together, every round
            answers += pool.map(lambda token, start=start: _press(url, token, start), (phone, projector))
    drawn = [number for status, number in answers if status == 201 and number is not None]
    assert sorted(status for status, _number in answers) == [201] * 75 + [409] * (2 * PAIRS - 75)
    assert sorted(drawn) == list(range(1, 76))
    stored = list(Draw.objects.filter(game=game).order_by("position").values_list("position", "number"))
    assert stored == list(enumerate(draw_order(game.seed), start=1))
