"""Letters for residents without SMS or e-mail: every placeholder filled, signed by the worker."""

from tests.conftest import Cast
from tests.messaging.test_yes_no import BASE, coffee_morning
from veerkracht.messaging.services import Draft, message_send


def test_a_letter_has_its_subject_filled_in_and_is_signed_by_the_worker(cast: Cast, client, block):
    coffee = coffee_morning(cast)
    draft = Draft(
        subject="Uitnodiging: {activity}",
        text="Beste {first_name}, komt u naar {activity} op {when}?",
        channels=("letter",),
        resident_ids=(block["letter"].pk,),
        activity_id=coffee.pk,
    )
    message = message_send(by=cast.coordinator, draft=draft, base_url=BASE)
    client.force_login(cast.coordinator)
    page = client.get(f"/berichten/{message.pk}/brieven/").content.decode()
    assert "Uitnodiging: Koffie online" in page
    assert "Beste Truus, komt u naar Koffie online op " in page
    assert "{" not in page.split("<main", 1)[-1]  # nothing left unfilled
    assert f"Met vriendelijke groet,<br>{cast.coordinator.display_name}<br>{cast.organisation.name}" in page
    coffee.delete()  # the letter can no longer say what it was about: it is held back, with the reason
    page = client.get(f"/berichten/{message.pk}/brieven/").content.decode()
    assert "wordt niet afgedrukt: activity, when is niet meer in te vullen" in page
    assert "Uitnodiging: {activity}" not in page
