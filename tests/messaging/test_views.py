"""The message pages: write, preview (who by which channel, who is left out), send, follow delivery, print."""

from datetime import timedelta

from django.utils import timezone

from tests.conftest import Cast
from veerkracht.contacts.models import Contact
from veerkracht.messaging.backends import memory
from veerkracht.messaging.models import Message, VideoCall


def _segment(flats) -> dict[str, object]:
    return {"building": "1234AB 12", "marker": "aged_75_plus", "channels": ["sms", "email", "letter"]}


def test_the_preview_counts_channels_and_names_who_is_left_out_without_sending(cast: Cast, client, flats, block):
    client.force_login(cast.coordinator)
    page = client.post(
        "/berichten/nieuw/", {**_segment(flats), "text": "Hallo {first_name}, kom koffie drinken!", "action": "preview"}
    ).content.decode()
    assert "Sms: 2" in page
    assert "E-mail: 1" in page
    assert "Brief: 1" in page
    assert "Niet verstuurd: 2" in page
    assert "Geen toestemming voor een van de gekozen kanalen" in page
    assert "Toestemming voor sms, maar geen mobiel nummer" in page
    assert "Hallo Annie, kom koffie drinken!" in page  # what the first recipient gets
    assert "Versturen naar 4 bewoners" in page
    assert "Schrijf een onderwerp: sommige bewoners krijgen dit bericht per e-mail." in page
    assert not Message.objects.exists()
    assert memory.outbox == []


def test_the_preview_names_the_channel_that_lacks_a_mobile_number(cast: Cast, client, flats):
    """WhatsApp consent without a mobile number reads as such, not as the SMS reason (issue 24)."""
    from tests.messaging.conftest import live_in

    live_in(flats, first_name="Rika", birth_year=1940, phone="020 123 4567", consent_app=True)
    client.force_login(cast.coordinator)
    page = client.post(
        "/berichten/nieuw/",
        {**_segment(flats), "channels": ["app", "sms"], "text": "Hallo {first_name}", "action": "preview"},
    ).content.decode()
    assert "Toestemming voor WhatsApp, maar geen mobiel nummer" in page
    assert "Toestemming voor sms, maar geen mobiel nummer" not in page


def test_sending_from_the_page_shows_delivery_and_letters_to_print(cast: Cast, client, flats, block):
    client.force_login(cast.coordinator)
    response = client.post(
        "/berichten/nieuw/", {**_segment(flats), "subject": "Nieuws", "text": "Hallo {first_name}.", "action": "send"}
    )
    message = Message.objects.get()
    assert response.url == f"/berichten/{message.pk}/"
    page = client.get(response.url).content.decode()
    assert "Verstuurd" in page
    assert "Af te drukken" in page
    letters = client.get(f"/berichten/{message.pk}/brieven/").content.decode()
    assert "Hallo Truus." in letters
    assert "Esdoornlaan" in letters
    assert len(memory.outbox) == 2


def test_the_plain_language_hint_follows_the_writer(cast: Cast, client):
    client.force_login(cast.professional)
    long = "Wij willen u graag uitnodigen om samen met uw buren uit de flat op zaterdag koffie te komen drinken."
    hint = client.get("/berichten/taalhint/", {"text": long}).content.decode()
    assert "Deze zin heeft 19 woorden" in hint
    plain = client.get("/berichten/taalhint/", {"template": "check_in"}).content.decode()
    assert "Eenvoudige taal" in plain


def test_a_resident_answer_is_noted_from_the_message_page(cast: Cast, client, block):
    client.force_login(cast.professional)
    client.post(
        f"/berichten/nieuw/?resident={block['sms'].pk}",
        {"text": "Hoe gaat het?", "channels": ["sms"], "action": "send"},
    )
    recipient = Message.objects.get().recipients.get()
    client.post(f"/berichten/ontvangers/{recipient.pk}/beantwoord/")
    assert Contact.objects.get(participants__resident=block["sms"]).reached is True


def test_a_professional_holds_a_video_call_from_the_resident_page(cast: Cast, client, block):
    client.force_login(cast.professional)
    resident_page = client.get(f"/bewoners/{block['email'].pk}/").content.decode()
    assert "Beeldbellen" in resident_page
    when = (timezone.localtime() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    planned = client.post(f"/bewoners/{block['email'].pk}/beeldbellen/", {"scheduled_at": when})
    call = VideoCall.objects.get()
    assert planned.url == f"/beeldbellen/{call.pk}/"
    page = client.get(planned.url).content.decode()
    assert "https://meet.jit.si/veerkracht-" in page
    assert "Verstuurd per E-mail" in page
    started = client.post(f"/beeldbellen/{call.pk}/starten/")
    assert started.url.startswith("https://meet.jit.si/veerkracht-")
    done = client.post(f"/beeldbellen/{call.pk}/afronden/", {"duration_minutes": "18"})
    assert done.url == f"/bewoners/{block['email'].pk}/"
    assert Contact.objects.get(channel="video_call").duration_minutes == 18


def test_a_delivery_given_up_after_its_worker_kept_dying_says_so_and_stops_waiting(cast: Cast, client, flats, block):
    from veerkracht.core.models import WORKER_LOST, OutboundMessage, OutboundStatus, TaskRun, TaskStatus

    client.force_login(cast.coordinator)
    client.post(
        "/berichten/nieuw/", {**_segment(flats), "subject": "Nieuws", "text": "Hallo {first_name}.", "action": "send"}
    )
    message = Message.objects.get()
    OutboundMessage.objects.update(status=OutboundStatus.QUEUED)  # as a worker killed before sending leaves them
    assert message.task_run_id is not None
    TaskRun.objects.filter(pk=message.task_run_id).update(status=TaskStatus.FAILED, error=WORKER_LOST, attempts=3)
    page = client.get(f"/berichten/{message.pk}/").content.decode()
    assert "Het werk is 3 keer afgebroken" in page
    assert "hx-trigger" not in page  # it no longer polls for a delivery that nothing sends
