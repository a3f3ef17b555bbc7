"""E-mail to residents through a real SMTP conversation on 127.0.0.1: TLS both ways, headers, unsubscribe, bounces."""

from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client, override_settings

from tests.conftest import Cast
from tests.messaging.conftest import live_in
from tests.messaging.mailservers import HOST, MailServer, Pop3Server, certificate
from veerkracht.core.models import AuditEvent, OutboundMessage, OutboundStatus
from veerkracht.messaging.audience import Segment
from veerkracht.messaging.bounces import bounce_parse, bounces_job
from veerkracht.messaging.mail import ONE_CLICK
from veerkracht.messaging.models import Message
from veerkracht.messaging.services import Draft, message_send
from veerkracht.people.models import Building, Resident

BASE = "https://veerkracht.example.nl/"
SMTP = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "MESSAGE_RETRY_BACKOFF_MS": 10}


@pytest.fixture
def cert(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 that the client trusts (as a real server's would be, through the CA store)."""
    made = certificate(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(made[0]))
    return made


@pytest.fixture
def starttls(cert: tuple[Path, Path]) -> Iterator[MailServer]:
    with (
        MailServer(starttls=True, cert=cert, unknown={"weg@example.org"}) as server,
        override_settings(**SMTP, EMAIL_HOST=HOST, EMAIL_PORT=server.port, EMAIL_USE_TLS=True),
    ):
        yield server


@pytest.fixture
def implicit_tls(cert: tuple[Path, Path]) -> Iterator[MailServer]:
    with (
        MailServer(implicit_tls=True, cert=cert) as server,
        override_settings(**SMTP, EMAIL_HOST=HOST, EMAIL_PORT=server.port, EMAIL_USE_SSL=True),
    ):
        yield server


@pytest.fixture
def readers(cast: Cast, flats: Building) -> dict[str, Resident]:
    """Two residents of the flats who want e-mail; the coordinator who writes has an address of her own."""
    cast.coordinator.email = "ans.coordinator@buurtwerk.example.nl"
    cast.coordinator.save(update_fields=["email"])
    return {
        "gerrit": live_in(flats, first_name="Gerrit", email="gerrit@example.org", consent_email=True),
        "fatma": live_in(flats, "B", first_name="Fatma", email="fatma@example.org", consent_email=True),
    }


def _bulk(cast: Cast, flats: Building) -> Message:
    draft = Draft(
        subject="Koffie in de flat",
        text="Hallo {first_name}, kom koffie drinken!",
        channels=("email",),
        segment=Segment(building_id=flats.pk),
    )
    return message_send(by=cast.coordinator, draft=draft, base_url=BASE)


def _parsed(server: MailServer) -> dict[str, EmailMessage]:
    parser = BytesParser(_class=EmailMessage, policy=policy.default)
    parsed = (parser.parsebytes(delivered.data) for delivered in server.delivered)
    return {str(message["To"]): message for message in parsed}


def _row(message: Message, resident: Resident | None = None) -> OutboundMessage:
    """The outbox row of the message's recipient (its only one when no resident is named)."""
    recipients = message.recipients.select_related("outbound")
    row = (recipients.get(resident=resident) if resident else recipients.get()).outbound
    assert row is not None
    return row


def test_a_bulk_email_goes_over_starttls_with_reply_to_and_one_click_unsubscribe(cast: Cast, flats, readers, starttls):
    message = _bulk(cast, flats)
    assert all(delivered.over_tls for delivered in starttls.delivered)
    received = _parsed(starttls)
    assert set(received) == {"gerrit@example.org", "fatma@example.org"}
    gerrit = received["gerrit@example.org"]
    assert gerrit["Subject"] == "Koffie in de flat"
    assert gerrit["Reply-To"] == "ans.coordinator@buurtwerk.example.nl"
    assert gerrit["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = str(gerrit["List-Unsubscribe"]).strip()  # folded onto its own line by Django: a long header
    assert link.startswith("<https://veerkracht.example.nl/afmelden/e-mail/")
    assert link.endswith("/>")
    assert link != str(received["fatma@example.org"]["List-Unsubscribe"]).strip()  # a link per resident
    body = gerrit.get_content()
    assert body.startswith("Hallo Gerrit, kom koffie drinken!")
    assert "Geen e-mail meer van ons? Afmelden: " + link.strip("<>") in body
    row = _row(message, readers["gerrit"])
    assert gerrit["Message-ID"] == f"<{row.reference}@localhost>"
    assert row.status == OutboundStatus.SENT


def test_port_465_speaks_tls_from_the_first_byte(cast: Cast, flats, readers, implicit_tls):
    _bulk(cast, flats)
    assert len(implicit_tls.delivered) == 2
    assert all(delivered.over_tls for delivered in implicit_tls.delivered)


def test_a_server_whose_certificate_is_not_trusted_gets_nothing(cast: Cast, flats, readers, tmp_path, monkeypatch):
    untrusted = certificate(tmp_path)  # self-signed, and the client is not told to trust it
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
    with (
        MailServer(implicit_tls=True, cert=untrusted) as server,
        override_settings(**SMTP, EMAIL_HOST=HOST, EMAIL_PORT=server.port, EMAIL_USE_SSL=True, MESSAGE_SEND_ATTEMPTS=1),
    ):
        message = _bulk(cast, flats)
    assert server.delivered == []
    assert {_row(message, r).status for r in readers.values()} == {OutboundStatus.FAILED}


def test_a_message_to_one_resident_is_personal_mail_without_an_unsubscribe_header(cast: Cast, readers, starttls):
    draft = Draft(
        subject="Even bellen?", text="Hallo {first_name}", channels=("email",), resident_ids=(readers["gerrit"].pk,)
    )
    message_send(by=cast.coordinator, draft=draft, base_url=BASE)
    (received,) = _parsed(starttls).values()
    assert received["Reply-To"] == "ans.coordinator@buurtwerk.example.nl"
    assert received["List-Unsubscribe"] is None
    assert "Afmelden" not in received.get_content()


def test_bounces_go_to_the_bounce_address_while_residents_see_the_organisation_as_sender(
    cast: Cast, flats, readers, starttls
):
    with override_settings(
        DEFAULT_FROM_EMAIL="Buurtwerk <info@buurtwerk.example.nl>", EMAIL_BOUNCE_ADDRESS="bounces@buurtwerk.example.nl"
    ):
        _bulk(cast, flats)
    delivered = starttls.delivered[0]
    assert delivered.mail_from == "bounces@buurtwerk.example.nl"  # the envelope: Return-Path
    assert BytesParser().parsebytes(delivered.data)["From"] == "Buurtwerk <info@buurtwerk.example.nl>"


def test_an_address_the_server_refuses_fails_at_once_without_retries(cast: Cast, readers, starttls):
    gone = live_in(readers["gerrit"].household.building, first_name="Jan", email="weg@example.org", consent_email=True)
    draft = Draft(subject="Hallo", text="Hallo {first_name}", channels=("email",), resident_ids=(gone.pk,))
    message = message_send(by=cast.coordinator, draft=draft, base_url=BASE)
    row = _row(message)
    assert (row.status, row.attempts) == (OutboundStatus.FAILED, 1)
    assert row.last_error == "mail server refused the address: 550"


def test_an_email_without_a_subject_is_not_sent(cast: Cast, readers):
    draft = Draft(text="Hallo", channels=("email",), resident_ids=(readers["gerrit"].pk,))
    with pytest.raises(ValidationError) as raised:
        message_send(by=cast.coordinator, draft=draft, base_url=BASE)
    assert set(raised.value.message_dict) == {"subject"}
    assert not Message.objects.exists()
    assert mail.outbox == []


def _unsubscribe_path(server: MailServer, address: str) -> str:
    return urlsplit(str(_parsed(server)[address]["List-Unsubscribe"]).strip().strip("<>")).path


def test_one_post_to_the_link_withdraws_the_email_consent_without_a_login_and_is_audited(
    cast: Cast, flats, readers, starttls
):
    _bulk(cast, flats)
    path = _unsubscribe_path(starttls, "gerrit@example.org")
    mail_program = Client(enforce_csrf_checks=True)  # RFC 8058: no cookies, no CSRF token, just the POST
    response = mail_program.post(path, ONE_CLICK, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert "U krijgt geen e-mail meer van" in response.content.decode()
    readers["gerrit"].refresh_from_db()
    readers["fatma"].refresh_from_db()
    assert (readers["gerrit"].consent_email, readers["fatma"].consent_email) == (False, True)
    by_link = AuditEvent.objects.filter(object_id=str(readers["gerrit"].pk), action="update", actor=None)
    assert [(e.object_type, e.actor_id, e.fields, e.organisation_id) for e in by_link] == [
        ("people.resident", None, ["consent_email"], cast.organisation.pk)
    ]
    mail_program.post(path, ONE_CLICK, content_type="application/x-www-form-urlencoded")
    assert by_link.count() == 1  # the second click changed nothing, so nothing more is recorded


def test_opening_the_link_only_shows_the_button(cast: Cast, flats, readers, starttls):
    """Mail scanners open links: a GET must never unsubscribe anyone (RFC 8058 §3)."""
    _bulk(cast, flats)
    page = Client().get(_unsubscribe_path(starttls, "gerrit@example.org"))
    assert page.status_code == 200
    assert "Stop met e-mail" in page.content.decode()
    readers["gerrit"].refresh_from_db()
    assert readers["gerrit"].consent_email is True


def test_a_made_up_or_altered_token_answers_404_and_changes_nothing(cast: Cast, flats, readers, starttls):
    _bulk(cast, flats)
    path = _unsubscribe_path(starttls, "gerrit@example.org")
    altered = path[:-3] + ("xx/" if not path.endswith("xx/") else "yy/")  # the signature no longer matches
    for attempt in ("/afmelden/e-mail/verzonnen/", altered):
        assert Client().post(attempt, ONE_CLICK, content_type="application/x-www-form-urlencoded").status_code == 404
    assert Resident.objects.filter(pk__in=[r.pk for r in readers.values()], consent_email=False).count() == 0


def _dsn(reference: str, *, action: str = "failed", status: str = "5.1.1") -> bytes:
    """A delivery status notification as Postfix writes it (RFC 3464), the returned headers included."""
    return (
        "From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\r\n"
        "To: bounces@buurtwerk.example.nl\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n'
        "\r\n"
        "--B\r\n"
        "Content-Type: text/plain\r\n\r\n"
        "I'm sorry to have to inform you that your message could not be delivered.\r\n"
        "--B\r\n"
        "Content-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.org\r\n"
        "\r\n"
        "Final-Recipient: rfc822; gerrit@example.org\r\n"
        f"Action: {action}\r\n"
        f"Status: {status}\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 <gerrit@example.org>: Recipient address\r\n"
        "    rejected: User unknown in virtual mailbox table\r\n"
        "\r\n"
        "--B\r\n"
        "Content-Type: text/rfc822-headers\r\n\r\n"
        "From: info@buurtwerk.example.nl\r\n"
        f"Message-ID: <{reference}@buurtwerk.example.nl>\r\n"
        f"X-Veerkracht-Reference: {reference}\r\n"
        "Subject: Koffie in de flat\r\n"
        "--B--\r\n"
    ).encode()


def test_a_delivery_status_notification_names_the_row_the_status_and_the_reason():
    bounce = bounce_parse(_dsn("0123456789abcdef0123456789abcdef"))
    assert bounce is not None
    assert (bounce.reference, bounce.status) == ("0123456789abcdef0123456789abcdef", "5.1.1")
    assert (
        bounce.reason
        == "550 5.1.1 <gerrit@example.org>: Recipient address rejected: User unknown in virtual mailbox table"
    )


def test_a_delay_notice_or_an_ordinary_answer_is_no_bounce():
    assert bounce_parse(_dsn("0123456789abcdef0123456789abcdef", action="delayed", status="4.4.1")) is None
    assert bounce_parse(b"From: gerrit@example.org\r\nSubject: Afwezig\r\n\r\nIk ben op vakantie.\r\n") is None


def test_the_periodic_job_reads_the_bounce_mailbox_and_the_coordinator_sees_the_bounce(
    cast: Cast, flats, readers, starttls, cert, client
):
    message = _bulk(cast, flats)
    row = _row(message, readers["gerrit"])
    holiday = b"From: fatma@example.org\r\nSubject: Afwezig\r\n\r\nIk ben op vakantie.\r\n"
    with Pop3Server(mailbox=[_dsn(row.reference), holiday], cert=cert) as pop3:
        url = f"pop3s://bounces%40example.nl:geheim@{HOST}:{pop3.port}"
        with override_settings(EMAIL_BOUNCE_MAILBOX=url):
            bounces_job()
        assert pop3.mailbox == [holiday]  # the report is dealt with; a person reads the rest
    row.refresh_from_db()
    assert row.status == OutboundStatus.FAILED
    assert row.bounced_at is not None
    assert row.last_error.startswith("bounce 5.1.1: 550 5.1.1 <gerrit@example.org>: Recipient address rejected")
    client.force_login(cast.coordinator)
    page = client.get(f"/berichten/{message.pk}/").content.decode()
    assert "Kwam niet aan (bounce) op" in page
    assert "Dit e-mailadres bestaat niet." in page  # the status in Dutch, not the server's English
    assert "User unknown in virtual mailbox table" not in page
    assert OutboundMessage.objects.filter(status=OutboundStatus.SENT).count() == 1  # Fatma's arrived


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("bounce 5.1.1: 550 5.1.1 <x@example.org>: User unknown", "Dit e-mailadres bestaat niet."),
        ("bounce 5.1.3: 553 bad syntax", "Het e-mailadres klopt niet."),
        ("bounce 5.2.2: 552 Mailbox full", "De mailbox is vol."),
        ("bounce 5.7.1: 550 Message rejected as spam", "De ontvangende server weigerde de e-mail."),
        ("bounce 4.4.7: delivery time expired", "De ontvangende server kon de e-mail nu niet aannemen"),
        ("bounce 5.3.0: 554 other", "De e-mail kwam niet aan."),
        ("550 unparsed", "De e-mail kwam niet aan."),
    ],
)
def test_a_bounce_is_explained_in_dutch_by_its_status(stored: str, shown: str):
    from django.utils import translation

    from veerkracht.messaging.bounces import bounce_explained

    with translation.override("nl"):
        assert bounce_explained(OutboundMessage(last_error=stored)).startswith(shown)


@pytest.mark.parametrize(("language", "button"), [("tr", "E-postayı durdur"), ("ar", "إيقاف البريد الإلكتروني")])
def test_the_unsubscribe_page_speaks_the_readers_language(cast: Cast, language: str, button: str):
    from veerkracht.core.models import Organisation
    from veerkracht.messaging.unsubscribe import unsubscribe_token

    Organisation.objects.filter(pk=cast.organisation.pk).update(public_languages=["nl", "tr", "ar"])
    path = f"/afmelden/e-mail/{unsubscribe_token(cast.resident_north.pk)}/"
    page = Client().get(path, headers={"accept-language": language}).content.decode()
    assert button in page
    assert "Stop e-mail" not in page


def test_e_mail_on_behalf_of_a_team_answers_to_the_teams_address(cast: Cast, readers, starttls):
    from veerkracht.team.coverage import team_email_set

    team_email_set(by=cast.coordinator, team_id=cast.team_north.pk, email=" Noord@Buurtwerk.example.nl ")
    draft = Draft(
        subject="Even bellen?",
        text="Hallo {first_name}",
        channels=("email",),
        resident_ids=(readers["gerrit"].pk,),
        team_id=cast.team_north.pk,
    )
    message = message_send(by=cast.professional, draft=draft, base_url=BASE)
    (received,) = _parsed(starttls).values()
    assert received["Reply-To"] == "noord@buurtwerk.example.nl"
    assert _row(message).reply_to == "noord@buurtwerk.example.nl"


def test_a_team_without_an_address_or_of_someone_else_is_refused_before_anything_is_written(cast: Cast, readers):
    gerrit = (readers["gerrit"].pk,)
    for team in (cast.team_north, cast.team_south):  # no address yet; not the sender's team
        draft = Draft(subject="Hallo", text="Hallo", channels=("email",), resident_ids=gerrit, team_id=team.pk)
        with pytest.raises(ValidationError) as error:
            message_send(by=cast.professional, draft=draft, base_url=BASE)
        assert "team_id" in error.value.message_dict
    assert not Message.objects.exists()
    assert not OutboundMessage.objects.exists()


def test_the_coordinator_sets_the_address_on_the_teams_page_and_the_worker_chooses_it(cast: Cast, client: Client):
    client.force_login(cast.coordinator)
    url = f"/teams/{cast.team_north.pk}/e-mail/"
    client.post(url, {"email": "geen adres"})
    cast.team_north.refresh_from_db()
    assert cast.team_north.email == ""
    client.post(url, {"email": "noord@buurtwerk.example.nl"})
    cast.team_north.refresh_from_db()
    assert cast.team_north.email == "noord@buurtwerk.example.nl"
    assert "noord@buurtwerk.example.nl" in client.get(f"/teams/{cast.team_north.pk}/").content.decode()
    client.force_login(cast.professional)
    compose = client.get("/berichten/nieuw/").content.decode()
    assert 'name="team"' in compose
    assert cast.team_north.name in compose
