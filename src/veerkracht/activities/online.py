"""The online link (and dial-in number and PIN) for those taking part in a webinar or the online
part of a hybrid activity, and the message of a place that came free on the waitlist.

The details go only to confirmed online registrants, by their own channel: right after registering,
when moved up from the waitlist, and in a reminder on the day before. A member of the public gets
an SMS at the phone number they gave; a resident an SMS, a WhatsApp message or an e-mail by the rule
of every sender (people/reach.py: their consent, preferred channel and addresses); a resident
reachable only by letter is phoned by their worker (a notification tells the worker), since a
letter would come too late and a link on paper cannot be tapped. Public pages, posters and
calendar feeds never show the details (feeds.py, poster.py); the registrant's own page does.

The texts are English message ids with Dutch, Turkish and Arabic in the catalogues, like the
ready-made templates of messaging; a registrant gets the first of their languages that has a text.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import dateformat, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from veerkracht.activities.models import Activity, Mode, Registration, RegistrationStatus
from veerkracht.contacts.models import CallTask
from veerkracht.core import text_language
from veerkracht.core.models import OutboundMessage, User
from veerkracht.core.outbox import outbox_deliver_start
from veerkracht.core.phones import mobile_e164
from veerkracht.people.reach import SendChannel, reach_for

SOURCE = "en"  # the message ids are English


@dataclass(frozen=True)
class Notice:
    """A template: its subject (for e-mail) and its opening sentence; the details follow it."""

    label: str | Promise
    subject: str | Promise
    opening: str | Promise


TEMPLATES: dict[str, Notice] = {
    "online_link": Notice(
        gettext_lazy("Online link"),
        gettext_lazy("Online link: {activity}"),
        gettext_lazy("Hello {first_name}, you take part online in {activity} on {when}."),
    ),
    "online_reminder": Notice(
        gettext_lazy("Online link, the day before"),
        gettext_lazy("Tomorrow: {activity}"),
        gettext_lazy("Hello {first_name}, tomorrow is {activity}, on {when}."),
    ),
    "waitlist_promotion": Notice(
        gettext_lazy("Waitlist promotion"),
        gettext_lazy("You have a place: {activity}"),
        gettext_lazy("Good news, {first_name}: a place came free for you at {activity} on {when}."),
    ),
}
JOIN = gettext_lazy("Join with this link: {link}")
DIAL_IN = gettext_lazy("Or dial in: {number}")
DIAL_IN_ONLY = gettext_lazy("Dial in: {number}")
PIN = gettext_lazy("PIN: {pin}")


def language_of(registration: Registration, template: str) -> str:
    """The registrant's language where the template has a text in it, else Dutch (core/text_language)."""
    with translation.override(SOURCE):
        msgid = str(TEMPLATES[template].opening)
    resident = registration.resident
    languages = text_language.registrant_languages(registration.language, resident.languages if resident else None)
    return text_language.language_for(languages, text_language.has_texts(msgid))


def details_lines(activity: Activity) -> list[str]:
    """The link, dial-in number and PIN of an activity, each on its own line, in the active language."""
    lines = [str(JOIN).format(link=activity.online_link)] if activity.online_link else []
    if activity.dial_in:
        number = DIAL_IN if activity.online_link else DIAL_IN_ONLY
        lines.append(str(number).format(number=activity.dial_in))
        if activity.dial_in_pin:
            lines.append(str(PIN).format(pin=activity.dial_in_pin))
    return lines


def _when(activity: Activity) -> str:
    local = timezone.localtime(activity.starts_at)
    return dateformat.format(local, "l j F") + " " + _("at") + " " + dateformat.format(local, "H:i")


def notice_texts(registration: Registration, template: str) -> tuple[str, str]:
    """The subject and text of a notice for this registrant, in their language."""
    activity = registration.activity
    notice = TEMPLATES[template]
    language = language_of(registration, template)
    with translation.override(language):
        title = activity.text_in(language, with_description=False).title  # the template's language, else Dutch
        facts = {"first_name": registration.name, "activity": title, "when": _when(activity)}
        subject = str(notice.subject).format(**facts)
        lines = [str(notice.opening).format(**facts)]
        if registration.mode == Mode.ONLINE and registration.status == RegistrationStatus.CONFIRMED:
            lines += details_lines(activity)
    return subject, "\n".join(lines)


# The written channels an online notice may take: a link on paper comes too late and cannot be tapped.
ONLINE_CHANNELS = (SendChannel.SMS, SendChannel.APP, SendChannel.EMAIL)


@dataclass(frozen=True)
class Route:
    """Where a notice goes: an SMS, WhatsApp or e-mail address, or a worker who phones the resident."""

    channel: str  # "sms", "app", "email" or "phone_call"
    to: str = ""
    worker: User | None = None


def route_of(registration: Registration) -> Route | None:
    """The registrant's channel: their phone for the public; for a resident the rule of every sender
    (people/reach.py: consent, preferred channel, address), else a worker's call."""
    resident = registration.resident
    if resident is None:
        return Route("sms", registration.phone) if mobile_e164(registration.phone) else None
    reach = reach_for(resident, ONLINE_CHANNELS)
    if reach.channel:
        return Route(reach.channel, reach.to)
    worker = registration.registered_by if registration.registered_by_id else resident.assigned_worker
    if worker is not None and worker.is_active and resident.consent_contact:
        return Route("phone_call", worker=worker)
    return None


def _phone_call_task(registration: Registration, resident_id: int, worker: User, text: str) -> None:
    """The worker phones a resident reachable only by letter and reads out the details: a call on
    their follow-up list (contacts.CallTask: scoped, erased with the resident, under a retention term)."""
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("The online details of %(title)s: %(details)s") % {
            "title": registration.activity.title,
            "details": " · ".join(details_lines(registration.activity)) or text,
        }
    CallTask.objects.create(
        organisation_id=registration.activity.organisation_id,
        worker=worker,
        resident_id=resident_id,
        due_on=timezone.localdate(),
        reason=reason[: CallTask._meta.get_field("reason").max_length or len(reason)],
    )


def notices_send(registrations: list[Registration], template: str) -> int:
    """Send a notice to each registrant by their channel; the number reached. Inside the caller's transaction."""
    rows: dict[int, list[OutboundMessage]] = defaultdict(list)
    reached = 0
    for registration in registrations:
        route = route_of(registration)
        if route is None:
            continue
        subject, text = notice_texts(registration, template)
        if route.channel == "phone_call":
            # Only the online details need a call; a place on site reaches the worker as a notification.
            resident_id = registration.resident_id  # a call goes only to a resident (route_of)
            if takes_part_online(registration) and route.worker is not None and resident_id is not None:
                _phone_call_task(registration, resident_id, route.worker, text)
                reached += 1
            continue
        reached += 1
        organisation = registration.activity.organisation
        rows[organisation.pk].append(
            OutboundMessage.objects.create(
                organisation=organisation,
                channel=route.channel,
                to=route.to,
                subject=subject if route.channel == "email" else "",
                text=text,
                language=language_of(registration, template),
            )
        )
    for messages in rows.values():
        outbox_deliver_start(
            organisation=messages[0].organisation, by=None, outbound_ids=[message.pk for message in messages]
        )
    return reached


def takes_part_online(registration: Registration) -> bool:
    return (
        registration.mode == Mode.ONLINE
        and registration.status == RegistrationStatus.CONFIRMED
        and bool(registration.activity.online_link or registration.activity.dial_in)
    )


def online_details_send(registration: Registration) -> bool:
    """Right after a confirmed online registration (or its promotion): the link by the registrant's channel.

    A registration for an activity of tomorrow (or today) counts as reminded: the reminder would
    repeat what just arrived.
    """
    if not takes_part_online(registration) or registration.online_sent_at is not None:
        return False
    now = timezone.now()
    registration.online_sent_at = now
    fields = ["online_sent_at"]
    if timezone.localtime(registration.activity.starts_at).date() <= timezone.localdate() + timedelta(days=1):
        registration.online_reminded_at = now
        fields.append("online_reminded_at")
    registration.save(update_fields=fields)
    return notices_send([registration], "online_link") > 0


def reminders_due() -> list[Registration]:
    """Confirmed online registrations for an activity tomorrow (Amsterdam time) not yet reminded."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    return list(
        Registration.objects.filter(
            mode=Mode.ONLINE,
            status=RegistrationStatus.CONFIRMED,
            online_reminded_at__isnull=True,
            activity__cancelled_at__isnull=True,
            activity__starts_at__date=tomorrow,
        )
        .select_related("activity__organisation", "resident__assigned_worker", "registered_by")
        .order_by("pk")
    )


def online_reminders_send() -> int:
    """The daily job: each due registrant once. Claimed row by row, so two workers never both send."""
    sent = 0
    for registration in reminders_due():
        with transaction.atomic():
            claimed = Registration.objects.filter(pk=registration.pk, online_reminded_at__isnull=True).update(
                online_reminded_at=timezone.now()
            )
            if claimed and takes_part_online(registration):
                sent += notices_send([registration], "online_reminder")
    return sent


def reminders_job() -> None:
    online_reminders_send()
