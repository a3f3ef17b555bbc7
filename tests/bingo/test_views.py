"""The bingo pages: make a game from the activity, call numbers on a phone, check a winner."""

from tests.bingo.conftest import draw_numbers
from tests.conftest import Cast
from veerkracht.bingo.models import Game, Winner
from veerkracht.bingo.services import game_create, game_draw
from veerkracht.engines.bingo import draw_order


def test_the_activity_page_links_to_its_bingo_games(cast: Cast, client, balkonbingo, make_activity):
    client.force_login(cast.professional)
    page = client.get(f"/activiteiten/{balkonbingo.pk}/beheer/").content.decode()
    assert f'href="/activiteiten/{balkonbingo.pk}/bingo/"' in page
    walk = make_activity(kind="walk", title="Wandeling")
    assert "/bingo/" not in client.get(f"/activiteiten/{walk.pk}/beheer/").content.decode()


def test_a_worker_makes_sixty_cards_and_lands_on_the_caller_screen(cast: Cast, client, balkonbingo):
    client.force_login(cast.professional)
    response = client.post(f"/activiteiten/{balkonbingo.pk}/bingo/", {"cards": "60"})
    game = Game.objects.get(activity=balkonbingo)
    assert response.status_code == 302
    assert response["Location"] == f"/bingo/{game.pk}/"
    assert game.cards.count() == 60
    caller = client.get(response["Location"]).content.decode()
    assert "0 van 75 getrokken" in caller
    assert f'href="/bingo/{game.pk}/kaarten.pdf"' in caller
    pdf = client.get(f"/bingo/{game.pk}/kaarten.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_a_bad_number_of_cards_is_a_dutch_field_error(cast: Cast, client, balkonbingo):
    client.force_login(cast.professional)
    page = client.post(f"/activiteiten/{balkonbingo.pk}/bingo/", {"cards": "501"}).content.decode()
    assert "Zorg ervoor dat deze waarde hoogstens 500 is." in page
    assert not Game.objects.exists()


def test_another_kind_of_activity_gets_no_cards(cast: Cast, client, make_activity):
    client.force_login(cast.professional)
    walk = make_activity(kind="walk", title="Wandeling")
    page = client.post(f"/activiteiten/{walk.pk}/bingo/", {"cards": "10"}).content.decode()
    assert "Bingokaarten worden alleen gemaakt voor een balkonbingo of een plantsoenbingo." in page
    assert not Game.objects.exists()


def test_drawing_with_htmx_answers_the_new_panel_and_a_second_device_sees_it(cast: Cast, client, balkonbingo):
    game = game_create(by=cast.professional, activity_id=balkonbingo.pk, cards=2)
    client.force_login(cast.professional)
    panel = client.post(f"/bingo/{game.pk}/trekken/", headers={"HX-Request": "true"}).content.decode()
    first = draw_order(game.seed)[0]
    assert f'data-position="1" data-speech="{"BINGO"[(first - 1) // 15]} {first}"' in panel
    assert "<html" not in panel
    client.force_login(cast.volunteer)
    second_device = client.get(f"/bingo/{game.pk}/stand/").content.decode()
    assert "1 van 75 getrokken" in second_device
    assert f'<td class="utrecht-table__cell vk-bingo-drawn">{first}<span' in second_device


def test_a_plain_form_post_draws_and_returns_to_the_screen(cast: Cast, client, balkonbingo):
    game = game_create(by=cast.professional, activity_id=balkonbingo.pk, cards=2)
    client.force_login(cast.volunteer)
    response = client.post(f"/bingo/{game.pk}/trekken/", {"idempotency_key": "tik-1"})
    again = client.post(f"/bingo/{game.pk}/trekken/", {"idempotency_key": "tik-1"})  # a double tap
    assert response.status_code == again.status_code == 302
    assert game.draws.count() == 1


def test_drawing_after_the_75th_says_so_and_changes_nothing(cast: Cast, client, balkonbingo):
    game = game_create(by=cast.professional, activity_id=balkonbingo.pk, cards=2)
    for _ in range(75):
        game_draw(by=cast.professional, game_id=game.pk)
    client.force_login(cast.professional)
    panel = client.post(f"/bingo/{game.pk}/trekken/", headers={"HX-Request": "true"}).content.decode()
    assert "Alle 75 getallen zijn getrokken." in panel
    assert game.draws.count() == 75
    assert "Trek het volgende getal" not in client.get(f"/bingo/{game.pk}/").content.decode()


def test_checking_a_winning_card_and_recording_it_once(cast: Cast, client, balkonbingo):
    game = game_create(by=cast.professional, activity_id=balkonbingo.pk, cards=3)
    card = game.cards.get(index=1)
    draw_numbers(game, [row[4] for row in card.numbers], cast.professional)
    client.force_login(cast.professional)
    page = client.get(f"/bingo/{game.pk}/controleren/", {"card_code": card.code.lower()}).content.decode()
    assert "Vol: kolom 5" in page
    assert "Als winnaar vastleggen" in page
    body = {"card_code": card.code, "prize": "Bos bloemen", "idempotency_key": "winnaar-1"}
    client.post(f"/bingo/{game.pk}/controleren/", body)
    client.post(f"/bingo/{game.pk}/controleren/", {**body, "idempotency_key": "winnaar-2"})
    assert list(Winner.objects.values_list("card__code", "prize")) == [(card.code, "Bos bloemen")]
    caller = client.get(f"/bingo/{game.pk}/").content.decode()
    assert f"Kaart {card.code} · Bos bloemen" in caller


def test_an_unknown_code_is_a_clear_message(cast: Cast, client, balkonbingo):
    game = game_create(by=cast.professional, activity_id=balkonbingo.pk, cards=1)
    client.force_login(cast.professional)
    code = "X9X9" if game.cards.get().code != "X9X9" else "U3U3"
    page = client.get(f"/bingo/{game.pk}/controleren/", {"card_code": code}).content.decode()
    assert f"Er is geen kaart {code} in dit spel. Kijk de code op de kaart na." in page


def test_closing_ends_the_game(cast: Cast, client, balkonbingo):
    game = game_create(by=cast.professional, activity_id=balkonbingo.pk, cards=1)
    client.force_login(cast.professional)
    refused = client.post(f"/bingo/{game.pk}/afsluiten/", follow=True).content.decode()
    assert "Trek eerst minstens één getal" in refused
    game_draw(by=cast.professional, game_id=game.pk)
    response = client.post(f"/bingo/{game.pk}/afsluiten/")
    assert response["Location"] == f"/activiteiten/{balkonbingo.pk}/bingo/"
    game.refresh_from_db()
    assert game.closed_at is not None
    assert "Dit spel is afgesloten." in client.get(f"/bingo/{game.pk}/").content.decode()


def test_a_game_of_another_organisation_is_not_found(cast: Cast, client, balkonbingo):
    game = game_create(by=cast.professional, activity_id=balkonbingo.pk, cards=1)
    client.force_login(cast.outsider_coordinator)
    for path in ("", "stand/", "controleren/", "kaarten.pdf"):
        assert client.get(f"/bingo/{game.pk}/{path}").status_code == 404
    assert client.post(f"/bingo/{game.pk}/trekken/").status_code == 404
    assert not game.draws.exists()
