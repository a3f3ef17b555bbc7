"""Making a game, drawing, checking winners and closing: the rules of the bingo kit."""

import pytest
from django.core.exceptions import ValidationError

from tests.bingo.conftest import all_numbers, draw_numbers
from tests.conftest import Cast
from veerkracht.activities.models import Attendance
from veerkracht.bingo.models import Card, Draw, Winner
from veerkracht.bingo.selectors import UnknownCardError, card_check
from veerkracht.bingo.services import DrawRefusedError, game_close, game_create, game_draw, winner_record
from veerkracht.contacts.models import ContactResident
from veerkracht.engines.bingo import draw_order, make_cards


def test_a_game_stores_its_cards_as_the_engine_makes_them_with_unique_codes(cast: Cast, balkonbingo):
    game = game_create(by=cast.professional, activity_id=balkonbingo.pk, cards=60)
    cards = list(game.cards.order_by("index"))
    assert [card.grid for card in cards] == make_cards(60, game.seed)
    assert len({card.code for card in cards}) == 60
    assert game.card_count == 60
    assert not any(card.registration_id for card in cards)


def test_a_volunteer_helping_at_the_activity_makes_a_game(cast: Cast, balkonbingo):
    assert game_create(by=cast.volunteer, activity_id=balkonbingo.pk, cards=1).cards.count() == 1


def test_each_confirmed_registration_gets_one_of_the_first_cards(cast: Cast, balkonbingo, registered):
    game = game_create(by=cast.professional, activity_id=balkonbingo.pk, cards=5, per_registration=True)
    holders = list(game.cards.order_by("index").values_list("registration_id", flat=True))
    assert holders == [registration.pk for registration in registered] + [None, None]


def test_fewer_cards_than_registered_households_is_refused(cast: Cast, balkonbingo, registered):
    with pytest.raises(ValidationError) as error:
        game_create(by=cast.professional, activity_id=balkonbingo.pk, cards=2, per_registration=True)
    assert "cards" in error.value.message_dict
    assert not Card.objects.exists()


@pytest.mark.parametrize("cards", [0, -1, 501, True])
def test_the_number_of_cards_is_between_1_and_500(cast: Cast, balkonbingo, cards):
    with pytest.raises(ValidationError) as error:
        game_create(by=cast.professional, activity_id=balkonbingo.pk, cards=cards)
    assert "cards" in error.value.message_dict


def test_only_a_bingo_activity_gets_cards(cast: Cast, make_activity):
    walk = make_activity(kind="walk", title="Wandeling")
    with pytest.raises(ValidationError) as error:
        game_create(by=cast.professional, activity_id=walk.pk, cards=10)
    assert error.value.message_dict["activity_id"] == [
        "Bingokaarten worden alleen gemaakt voor een balkonbingo of een plantsoenbingo."
    ]


def test_an_activity_outside_the_users_scope_is_refused(cast: Cast, balkonbingo):
    for outsider in (cast.outsider_coordinator, cast.basisbaan, cast.resident):
        with pytest.raises(ValidationError):
            game_create(by=outsider, activity_id=balkonbingo.pk, cards=10)


def test_draws_follow_the_seeds_order_and_stop_after_75(cast: Cast, balkonbingo):
    game = game_create(by=cast.professional, activity_id=balkonbingo.pk, cards=3)
    drawn = [game_draw(by=cast.professional, game_id=game.pk) for _ in all_numbers()]
    assert [draw.number for draw in drawn] == draw_order(game.seed)
    assert [draw.position for draw in drawn] == list(all_numbers())
    with pytest.raises(DrawRefusedError, match="Alle 75 getallen zijn getrokken"):
        game_draw(by=cast.professional, game_id=game.pk)
    assert Draw.objects.filter(game=game).count() == 75


def test_a_draw_skips_numbers_already_stored(cast: Cast, balkonbingo):
    game = game_create(by=cast.professional, activity_id=balkonbingo.pk, cards=3)
    order = draw_order(game.seed)
    draw_numbers(game, [order[0], order[2]], cast.professional)
    assert game_draw(by=cast.professional, game_id=game.pk).number == order[1]
    assert game_draw(by=cast.professional, game_id=game.pk).number == order[3]


def test_a_closed_game_draws_nothing(cast: Cast, balkonbingo):
    game = game_create(by=cast.professional, activity_id=balkonbingo.pk, cards=3)
    game_draw(by=cast.professional, game_id=game.pk)
    game_close(by=cast.professional, game_id=game.pk)
    with pytest.raises(DrawRefusedError, match="afgesloten"):
        game_draw(by=cast.professional, game_id=game.pk)
    assert game.draws.count() == 1


def test_checking_a_card_shows_its_complete_lines(cast: Cast, balkonbingo):
    game = game_create(by=cast.professional, activity_id=balkonbingo.pk, cards=3)
    card = game.cards.get(index=0)
    column_3 = [row[2] for row in card.numbers if row[2]]  # the N column, around the free centre
    draw_numbers(game, column_3, cast.professional)
    result = card_check(game, card.code.lower())
    assert result.card == card
    assert result.lines == ["column 3"]
    assert result.rows()[2][2].drawn  # the free centre
    assert [row[2].drawn for row in result.rows()] == [True] * 5
    assert not result.rows()[0][0].drawn


def test_an_unknown_code_and_a_code_of_another_game_are_told_apart(cast: Cast, balkonbingo, make_activity):
    game = game_create(by=cast.professional, activity_id=balkonbingo.pk, cards=1)
    other = game_create(by=cast.professional, activity_id=make_activity(title="Plantsoenbingo").pk, cards=400)
    foreign = other.cards.exclude(code=game.cards.get().code).first()
    assert foreign is not None
    with pytest.raises(UnknownCardError) as error:
        card_check(game, foreign.code)
    assert "hoort bij een ander spel: Plantsoenbingo op 15-06-2030." in error.value.message_dict["card_code"][0]
    unused = "A1B2"  # a typo: never a code, in no game
    with pytest.raises(UnknownCardError) as error:
        card_check(game, unused)
    assert error.value.message_dict["card_code"] == [
        f"Er is geen kaart {unused} in dit spel. Kijk de code op de kaart na."
    ]


def test_a_card_without_a_complete_line_is_not_a_winner(cast: Cast, balkonbingo):
    game = game_create(by=cast.professional, activity_id=balkonbingo.pk, cards=1)
    with pytest.raises(ValidationError, match="heeft nog geen volle rij"):
        winner_record(by=cast.professional, game_id=game.pk, code=game.cards.get().code)
    assert not Winner.objects.exists()


def test_a_winner_is_recorded_once_per_draw_and_again_for_the_full_card(cast: Cast, balkonbingo):
    game = game_create(by=cast.professional, activity_id=balkonbingo.pk, cards=1)
    card = game.cards.get()
    draw_numbers(game, card.numbers[0], cast.professional)
    first = winner_record(by=cast.professional, game_id=game.pk, code=card.code, prize="Taart")
    again = winner_record(by=cast.volunteer, game_id=game.pk, code=card.code, prize="Bloemen")
    assert again.pk == first.pk
    assert (first.lines, first.prize, first.draw_count) == (["row 1"], "Taart", 5)
    rest = [number for row in card.numbers[1:] for number in row if number]
    draw_numbers(game, rest, cast.professional)
    full = winner_record(by=cast.professional, game_id=game.pk, code=card.code, prize="Hoofdprijs")
    assert "full card" in full.lines
    assert game.winners.count() == 2


def _attended(activity) -> set[int]:
    return set(Attendance.objects.filter(activity=activity).values_list("resident_id", flat=True))


def test_a_registered_winner_counts_as_having_taken_part(cast: Cast, balkonbingo, registered):
    game = game_create(by=cast.professional, activity_id=balkonbingo.pk, cards=4, per_registration=True)
    card = game.cards.get(registration=registered[0])
    draw_numbers(game, card.numbers[1], cast.professional)
    winner_record(by=cast.professional, game_id=game.pk, code=card.code)
    assert _attended(balkonbingo) == {cast.resident_north.pk}
    assert ContactResident.objects.filter(resident=cast.resident_north, contact__channel="activity").count() == 1


def test_closing_counts_every_registered_card_holder_once(cast: Cast, balkonbingo, registered):
    game = game_create(by=cast.professional, activity_id=balkonbingo.pk, cards=4, per_registration=True)
    with pytest.raises(ValidationError, match="Trek eerst minstens één getal"):
        game_close(by=cast.professional, game_id=game.pk)
    card = game.cards.get(registration=registered[0])
    draw_numbers(game, card.numbers[1], cast.professional)
    winner_record(by=cast.professional, game_id=game.pk, code=card.code)
    assert game_close(by=cast.professional, game_id=game.pk) == 1  # the winner was counted already
    assert game_close(by=cast.professional, game_id=game.pk) == 0
    residents = {registered[0].resident_id, registered[1].resident_id}
    assert _attended(balkonbingo) == residents
    # Only residents count: not the public registrant's card, nor the cancelled registration.
    assert Attendance.objects.filter(activity=balkonbingo).count() == 2
    assert ContactResident.objects.filter(resident_id__in=residents, contact__channel="activity").count() == 2
