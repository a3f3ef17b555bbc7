"""SMS parts: GSM-7 (160/153) against UCS-2 (70/67) for Turkish and Arabic, shown in the preview; the sender name."""

import pytest
from django.test import Client, override_settings

from tests.conftest import Cast
from veerkracht.core.channels import sender_valid
from veerkracht.core.models import OutboundMessage, OutboundStatus
from veerkracht.messaging.delivery import outbox_deliver
from veerkracht.messaging.models import Recipient
from veerkracht.messaging.segments import Segments, sms_segments
from veerkracht.messaging.services import Draft, message_send
from veerkracht.people.models import Resident


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a" * 160, Segments("GSM-7", 160, 1)),
        ("a" * 161, Segments("GSM-7", 161, 2)),
        ("a" * 306, Segments("GSM-7", 306, 2)),
        ("a" * 307, Segments("GSM-7", 307, 3)),
        ("€" * 80, Segments("GSM-7", 160, 1)),  # the extension table takes two septets
        ("Hé, één café à 5€?", Segments("GSM-7", 19, 1)),  # é, à are GSM-7; the Dutch ë is not ...
        ("ş" * 70, Segments("UCS-2", 70, 1)),
        ("Ayşe" + "a" * 67, Segments("UCS-2", 71, 2)),  # one Turkish letter makes the whole text UCS-2
        ("ı" * 134, Segments("UCS-2", 134, 2)),
        ("ı" * 135, Segments("UCS-2", 135, 3)),
        ("مرحبا" * 14, Segments("UCS-2", 70, 1)),
        ("مرحبا" * 15, Segments("UCS-2", 75, 2)),
        ("😀" * 35, Segments("UCS-2", 70, 1)),  # an emoji is two UTF-16 units
    ],
)
def test_segments(text, expected):
    assert sms_segments(text) == expected


def test_a_dutch_e_trema_is_not_gsm7():
    assert sms_segments("één ëen").encoding == "UCS-2"


@pytest.mark.parametrize(
    ("sender", "valid"),
    [
        ("Veerkracht", True),
        ("Buurtteam 1", True),
        ("BuurtteamNrd", False),
        ("", False),
        ("Café", False),
        ("+31612345678", True),
        ("Buurt-team", False),
    ],
)
def test_the_sender_name_is_at_most_eleven_letters_digits_or_spaces(sender, valid):
    assert sender_valid(sender) is valid


def test_the_preview_shows_how_many_sms_parts_a_turkish_text_takes(cast: Cast, client: Client, block):
    client.force_login(cast.coordinator)
    text = "Merhaba {first_name}, cumartesi günü toplum merkezinde çay içmeye gelir misiniz? Bizi arayın."
    response = client.post(
        f"/berichten/nieuw/?resident={block['sms'].pk}", {"text": text, "channels": ["sms"], "action": "preview"}
    )
    page = response.content.decode()
    assert "Per sms: 2 delen" in page, page[page.find("sms-segments") - 200 :][:600]
    assert "UCS-2" in page


@override_settings(SMS_BACKEND="none")
def test_without_a_provider_sms_stay_queued_and_the_page_says_why(
    cast: Cast, client: Client, block: dict[str, Resident]
):
    message = message_send(
        by=cast.coordinator,
        draft=Draft(text="Hallo {first_name}", channels=("sms",), resident_ids=(block["sms"].pk,)),
        base_url="https://veerkracht.example",
    )
    row = Recipient.objects.get(message=message).outbound
    assert row is not None
    assert outbox_deliver([row.pk], lambda percent: None) == {"queued": 1}
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboundStatus.QUEUED, 0)
    client.force_login(cast.coordinator)
    page = client.get(f"/berichten/{message.pk}/").content.decode()
    assert "er is geen sms-aanbieder ingesteld" in page
    assert 'hx-trigger="every 3s"' not in page  # no "Sending…" for ever
    assert "1 sms wacht" in client.get("/berichten/").content.decode()
    assert not OutboundMessage.objects.exclude(status=OutboundStatus.QUEUED).exists()


def test_sms_held_without_a_provider_go_out_once_one_is_configured(cast: Cast, block: dict[str, Resident]):
    from datetime import timedelta

    from django.utils import timezone

    from veerkracht.core.models import TaskRun
    from veerkracht.core.outbox import DELIVER
    from veerkracht.messaging.delivery import held_sms_release

    with override_settings(SMS_BACKEND="none"):
        message = message_send(
            by=cast.coordinator,
            draft=Draft(text="Hallo {first_name}", channels=("sms",), resident_ids=(block["sms"].pk,)),
            base_url="https://veerkracht.example",
        )
        row = Recipient.objects.get(message=message).outbound
        assert row is not None
        outbox_deliver([row.pk], lambda percent: None)
        OutboundMessage.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(hours=1))
        assert held_sms_release() == 0  # still no provider: nothing to do
    before = TaskRun.objects.filter(kind=DELIVER).count()
    assert held_sms_release() == 1  # the test settings' memory provider counts as configured
    run = TaskRun.objects.filter(kind=DELIVER).order_by("-pk").first()
    assert run is not None
    assert TaskRun.objects.filter(kind=DELIVER).count() == before + 1
    assert run.params["outbound_ids"] == [row.pk]
    assert outbox_deliver(run.params["outbound_ids"], lambda percent: None) == {"sent": 1}
