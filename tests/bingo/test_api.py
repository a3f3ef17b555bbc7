"""The bingo API: make a game, print, draw until the 75th, read the state, check cards."""

import pytest

from tests.bingo.conftest import draw_numbers
from tests.conftest import Cast
from veerkracht.bingo.models import Game, Winner
from veerkracht.bingo.services import game_create
from veerkracht.engines.bingo import draw_order


def test_a_worker_makes_a_game_and_reads_it(cast: Cast, api_as, balkonbingo):
    api = api_as("professional")
    created = api.post("/bingo/games", {"activity_id": balkonbingo.pk, "cards": 60})
    assert created.status_code == 201
    body = created.json()
    assert (body["activity_id"], body["cards"], body["drawn"], body["remaining"]) == (balkonbingo.pk, 60, [], 75)
    assert "seed" not in body
    assert body["cards_pdf_url"].endswith(f"/api/v1/bingo/games/{body['id']}/cards.pdf")
    assert api.get(f"/bingo/games/{body['id']}").json() == body


def test_one_card_per_registered_household(cast: Cast, api_as, balkonbingo, registered):
    created = api_as("professional").post(
        "/bingo/games", {"activity_id": balkonbingo.pk, "cards": 10, "per_registration": True}
    )
    game = Game.objects.get(pk=created.json()["id"])
    assert game.cards.filter(registration__isnull=False).count() == 3


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"cards": 0}, "cards"),
        ({"cards": 501}, "cards"),
        ({"cards": "veel"}, "cards"),
        ({"activity_id": None}, "activity_id"),
        ({"activity_id": 99_999_999}, "activity_id"),
    ],
)
def test_bad_input_is_422_naming_the_field(cast: Cast, api_as, balkonbingo, body, field):
    response = api_as("professional").post("/bingo/games", {"activity_id": balkonbingo.pk, "cards": 10, **body})
    assert response.status_code == 422
    assert ["body", field] in [error["loc"] for error in response.json()["detail"]]
    assert not Game.objects.exists()


def test_another_kind_of_activity_is_422_on_the_activity(cast: Cast, api_as, make_activity):
    walk = make_activity(kind="walk", title="Wandeling")
    response = api_as("professional").post("/bingo/games", {"activity_id": walk.pk, "cards": 10})
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "loc": ["body", "activity_id"],
            "msg": "Bingokaarten worden alleen gemaakt voor een balkonbingo of een plantsoenbingo.",
            "type": "value_error",
        }
    ]


def test_draws_are_stored_in_order_and_the_76th_is_409(cast: Cast, api_as, balkonbingo):
    game = game_create(by=cast.professional, activity_id=balkonbingo.pk, cards=2)
    api = api_as("volunteer")
    draws = [api.post(f"/bingo/games/{game.pk}/draw").json() for _ in range(75)]
    assert [draw["number"] for draw in draws] == draw_order(game.seed)
    assert draws[-1] == {"position": 75, "number": draws[-1]["number"], "letter": draws[-1]["letter"], "remaining": 0}
    assert draws[0]["letter"] == "BINGO"[(draws[0]["number"] - 1) // 15]
    refused = api.post(f"/bingo/games/{game.pk}/draw")
    assert refused.status_code == 409
    assert refused.json() == {"detail": "Alle 75 getallen zijn getrokken. Controleer de winnaars of sluit het spel af."}
    state = api_as("professional").get(f"/bingo/games/{game.pk}").json()
    assert state["drawn"] == draw_order(game.seed)
    assert state["last_number"] == draws[-1]["number"]


def test_a_draw_sent_twice_with_one_key_draws_once(cast: Cast, api_as, balkonbingo):
    game = game_create(by=cast.professional, activity_id=balkonbingo.pk, cards=2)
    api = api_as("professional")
    first = api.post(f"/bingo/games/{game.pk}/draw", key="draw-1")
    again = api.post(f"/bingo/games/{game.pk}/draw", key="draw-1")
    assert first.json() == again.json()
    assert game.draws.count() == 1


def test_the_cards_pdf(cast: Cast, api_as, balkonbingo):
    game = game_create(by=cast.professional, activity_id=balkonbingo.pk, cards=3)
    response = api_as("professional").get(f"/bingo/games/{game.pk}/cards.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_checking_cards(cast: Cast, api_as, balkonbingo, make_activity):
    game = game_create(by=cast.professional, activity_id=balkonbingo.pk, cards=2)
    card = game.cards.get(index=0)
    diagonal = [card.numbers[i][i] for i in range(5) if i != 2]
    draw_numbers(game, diagonal, cast.professional)
    api = api_as("professional")
    body = api.get(f"/bingo/games/{game.pk}/check/{card.code.lower()}").json()
    assert body == {
        "card_code": card.code,
        "numbers": card.numbers,
        "drawn": sorted(diagonal),
        "lines": ["diagonal 1"],
        "registered": False,
    }
    other = game_create(by=cast.professional, activity_id=make_activity().pk, cards=300)
    foreign = other.cards.exclude(code__in=game.cards.values("code")).first()
    assert foreign is not None
    elsewhere = api.get(f"/bingo/games/{game.pk}/check/{foreign.code}")
    assert elsewhere.status_code == 404
    assert elsewhere.json()["detail"].startswith(f"Kaart {foreign.code} hoort bij een ander spel")
    unknown = api.get(f"/bingo/games/{game.pk}/check/ABC")
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == "Er is geen kaart ABC in dit spel. Kijk de code op de kaart na."


def test_recording_a_winner_twice_records_it_once(cast: Cast, api_as, balkonbingo):
    game = game_create(by=cast.professional, activity_id=balkonbingo.pk, cards=2)
    card = game.cards.get(index=0)
    draw_numbers(game, card.numbers[4], cast.professional)
    api = api_as("professional")
    first = api.post(f"/bingo/games/{game.pk}/winners", {"card_code": card.code, "prize": "Taart"})
    assert first.status_code == 201
    assert first.json()["lines"] == ["row 5"]
    assert api.post(f"/bingo/games/{game.pk}/winners", {"card_code": card.code}).json() == first.json()
    assert Winner.objects.count() == 1
    loser = game.cards.get(index=1)
    refused = api.post(f"/bingo/games/{game.pk}/winners", {"card_code": loser.code})
    if refused.status_code == 422:  # unless the other card happens to share that row
        assert refused.json()["detail"][0]["loc"] == ["body", "card_code"]


def test_closing_through_the_api(cast: Cast, api_as, balkonbingo):
    game = game_create(by=cast.professional, activity_id=balkonbingo.pk, cards=2)
    api = api_as("professional")
    assert api.post(f"/bingo/games/{game.pk}/close").status_code == 422
    api.post(f"/bingo/games/{game.pk}/draw")
    closed = api.post(f"/bingo/games/{game.pk}/close")
    assert closed.status_code == 200
    assert closed.json()["closed_at"] is not None
    assert api.post(f"/bingo/games/{game.pk}/draw").status_code == 409


def test_outside_the_scope_everything_is_404(cast: Cast, api_as, balkonbingo):
    game = game_create(by=cast.professional, activity_id=balkonbingo.pk, cards=2)
    api = api_as("outsider_coordinator")
    code = game.cards.get(index=0).code
    for path in (
        f"/bingo/games/{game.pk}",
        f"/bingo/games/{game.pk}/cards.pdf",
        f"/bingo/games/{game.pk}/check/{code}",
    ):
        assert api.get(path).status_code == 404
    assert api.post(f"/bingo/games/{game.pk}/draw").status_code == 404
    assert not game.draws.exists()
