"""The messages API: POST /messages (residents or a segment), GET /messages/{id}, video calls."""

from datetime import timedelta

from django.utils import timezone

from tests.conftest import Cast
from veerkracht.contacts.models import Contact
from veerkracht.core.models import AuditAction, AuditEvent


def test_posting_a_message_to_a_segment_answers_201_with_counts_and_delivery(cast: Cast, api_as, flats, block):
    api = api_as("coordinator")
    response = api.post(
        "/messages",
        {
            "segment": {"building_id": flats.pk, "marker": "aged_75_plus"},
            "subject": "Nieuws uit de flat",
            "text": "Hallo {first_name}!",
            "channels": ["sms", "email"],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["counts"] == {"sms": 2, "email": 1, "left_out": 3}
    assert body["task_status"] == "done"
    statuses = {r["resident_id"]: r["status"] for r in body["recipients"]}
    assert statuses[block["sms"].pk] == "sent"
    assert statuses[block["letter"].pk] == "left_out"
    again = api.get(f"/messages/{body['id']}")
    assert again.status_code == 200
    assert {r["resident_id"]: r["left_out_reason"] for r in again.json()["recipients"]}[
        block["landline"].pk
    ] == "no_mobile"
    assert AuditEvent.objects.filter(action=AuditAction.LIST, object_id=str(block["sms"].pk)).exists()


def test_a_message_reaching_someone_by_email_without_a_subject_answers_422_naming_the_subject(
    cast: Cast, api_as, flats, block
):
    payload = {"resident_ids": [block["email"].pk], "text": "Hallo {first_name}!", "channels": ["email"]}
    response = api_as("coordinator").post("/messages", payload)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "subject"]


def test_the_plain_language_hint_names_long_sentences(cast: Cast, api_as, block):
    text = "Wij nodigen u van harte uit om zaterdag samen met andere buren uit de flat koffie te drinken in het huis."
    body = api_as("coordinator").post("/messages", {"resident_ids": [block["sms"].pk], "text": text}).json()
    assert body["plain_language_hints"][0].startswith("21 words")


def test_bad_input_answers_422_naming_the_field(cast: Cast, api_as, flats, block):
    api = api_as("coordinator")
    nobody = api.post("/messages", {"segment": {"building_id": flats.pk, "marker": "older_migrant"}, "text": "Hallo"})
    assert nobody.status_code == 422
    assert nobody.json()["detail"][0]["loc"] == ["body", "segment"]
    no_text = api.post("/messages", {"resident_ids": [block["sms"].pk]})
    assert no_text.json()["detail"][0]["loc"] == ["body", "text"]
    bad_channel = api.post("/messages", {"resident_ids": [block["sms"].pk], "text": "x", "channels": ["pigeon"]})
    assert bad_channel.status_code == 422
    outside = api_as("other_professional").post("/messages", {"resident_ids": [block["sms"].pk], "text": "x"})
    assert outside.json()["detail"][0]["loc"] == ["body", "resident_ids"]


def test_a_message_of_another_sender_answers_404(cast: Cast, api_as, block):
    sent = api_as("professional").post("/messages", {"resident_ids": [block["sms"].pk], "text": "Hallo"}).json()
    assert api_as("other_professional").get(f"/messages/{sent['id']}").status_code == 404
    assert api_as("coordinator").get(f"/messages/{sent['id']}").status_code == 200


def test_the_message_list_is_scoped_to_the_sender_and_the_organisation(cast: Cast, api_as, block):
    sent = api_as("professional").post("/messages", {"resident_ids": [block["sms"].pk], "text": "Hallo"}).json()
    own = api_as("professional").get("/messages").json()
    assert [item["id"] for item in own["items"]] == [sent["id"]]
    assert own["items"][0]["recipient_count"] == 1
    assert "recipients" not in own["items"][0]  # the list names no resident
    assert api_as("coordinator").get("/messages").json()["count"] == 1
    assert api_as("other_professional").get("/messages").json()["count"] == 0  # not their message
    assert api_as("outsider_coordinator").get("/messages").json()["count"] == 0  # another organisation
    assert api_as("volunteer").get("/messages").status_code == 404  # may not send messages


def test_a_professional_holds_a_video_call_through_the_api(cast: Cast, api_as, block):
    api = api_as("professional")
    when = (timezone.now() + timedelta(minutes=5)).isoformat()
    planned = api.post("/video-calls", {"resident_id": block["email"].pk, "scheduled_at": when})
    assert planned.status_code == 201
    call = planned.json()
    assert call["link"].startswith("https://meet.jit.si/veerkracht-")
    done = api.post(f"/video-calls/{call['id']}/complete", {"duration_minutes": 20})
    assert done.status_code == 200
    assert done.json()["status"] == "completed"
    assert Contact.objects.get(pk=done.json()["contact_id"]).channel == "video_call"
