"""Pages of messages: write with a preview, the delivery per recipient, the letters to print."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from veerkracht.activities.models import Activity
from veerkracht.core.access import Capability, neighbourhoods_covered_by, request_user, within_organisation
from veerkracht.core.decorators import capability_required
from veerkracht.core.models import AuditAction, OutboundStatus, TaskStatus, User
from veerkracht.engines.plain_language import plain_language_check
from veerkracht.messaging import selectors, services
from veerkracht.messaging.audience import Plan
from veerkracht.messaging.backends import sms_configured, whatsapp_configured
from veerkracht.messaging.forms import ComposeForm
from veerkracht.messaging.languages import language_counts
from veerkracht.messaging.letters_pdf import Signature
from veerkracht.messaging.letters_pdf import letters_pdf as letters_pdf_make
from veerkracht.messaging.models import LeftOutReason, SendChannel
from veerkracht.messaging.replies import is_stop
from veerkracht.messaging.segments import sms_segments
from veerkracht.messaging.wording import template_texts
from veerkracht.people.models import Resident
from veerkracht.people.selectors import audit_residents_listed, resident_for

REASONS = dict(LeftOutReason.choices)
UPCOMING = timedelta(days=92)  # the activities a message may be about
CHANNELS = dict(SendChannel.choices)


def _compose_form(user: User, data: object = None) -> ComposeForm:
    activities = within_organisation(Activity.objects.filter(cancelled_at=None), user)
    return ComposeForm(
        data,
        neighbourhoods=neighbourhoods_covered_by(user).order_by("name"),
        activities=activities.filter(starts_at__gte=timezone.now(), starts_at__lte=timezone.now() + UPCOMING).order_by(
            "starts_at"
        ),
        # The sender's own teams that have an address: only those can take the answers.
        teams=user.teams.exclude(email="").order_by("name"),
    )


def _one_resident(request: HttpRequest, user: User) -> Resident | None:
    raw = request.GET.get("resident", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return resident_for(user, int(raw), action=AuditAction.VIEW)


def _preview(request: HttpRequest, user: User, form: ComposeForm, resident: Resident | None) -> dict[str, object]:
    draft = form.draft((resident.pk,) if resident else ())
    base_url = request.build_absolute_uri("/")
    prepared = services.sms_too_long_left_out(user, services.message_prepare(by=user, draft=draft), base_url)
    plan = Plan(prepared.planned)
    audit_residents_listed(user, [planned.resident for planned in plan.left_out])
    first = next((p for p in prepared.planned if p.channel), None)
    reached = [p.resident for p in prepared.planned if p.channel in services.BY_OUTBOX]
    subject, text = ("", "")
    if first is not None:
        subject, text = services.example_texts(user, prepared, first.resident, base_url, first.channel)
    return {
        "plan": plan,
        "needs_subject": prepared.needs_subject,
        "sms_too_long": any(p.reason == LeftOutReason.SMS_TOO_LONG for p in plan.left_out),
        "in_languages": language_counts(reached, prepared.template) if prepared.template else None,
        "subject": subject,
        "text": text,
        "example_name": first.resident.first_name if first else "",
        "report": plain_language_check(prepared.text),
        "segments": sms_segments(text) if text else None,
    }


@capability_required(Capability.SEND_MESSAGES)
@require_http_methods(["GET", "POST"])
def compose(request: HttpRequest) -> HttpResponse:
    """Write a message; 'Preview' shows who gets it by which channel and who is left out, 'Send' sends it."""
    user = request_user(request)
    resident = _one_resident(request, user)
    form = _compose_form(user, request.POST or None)
    context: dict[str, object] = {"form": form, "resident": resident, "reasons": REASONS, "channel_names": CHANNELS}
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("action") == "send":
                message = services.message_send(
                    by=user,
                    draft=form.draft((resident.pk,) if resident else ()),
                    base_url=request.build_absolute_uri("/"),
                )
                messages.success(request, _("The message is being sent."))
                return redirect("messaging:detail", message_id=message.pk)
            context |= _preview(request, user, form, resident)
        except ValidationError as error:
            form.add_service_errors(error)
    return render(request, "messaging/compose.html", context)


@capability_required(Capability.SEND_MESSAGES)
@never_cache
def hint(request: HttpRequest) -> HttpResponse:
    """The plain-language hint for the text being written (htmx, as the writer types)."""
    text = request.GET.get("text", "")[:2000]
    template = request.GET.get("template", "")
    if not text.strip() and template:
        try:
            text = template_texts(template)[1]
        except ValidationError:
            text = ""
    return render(request, "messaging/_hint.html", {"report": plain_language_check(text), "text": text})


@capability_required(Capability.SEND_MESSAGES)
@never_cache
def message_list(request: HttpRequest) -> HttpResponse:
    """Messages sent, newest first."""
    user = request_user(request)
    page = Paginator(selectors.message_list(user), 25).get_page(request.GET.get("page"))
    held = 0 if sms_configured() else selectors.sms_waiting_count(user)
    return render(request, "messaging/list.html", {"page": page, "sms_held": held})


@capability_required(Capability.SEND_MESSAGES)
@never_cache
def detail(request: HttpRequest, message_id: int) -> HttpResponse:
    """A message with its delivery per recipient; refreshes itself while sending."""
    user = request_user(request)
    message = selectors.message_for(user, message_id)
    recipients = list(selectors.recipients_of(user, message))
    audit_residents_listed(user, [recipient.resident for recipient in recipients])
    run = message.task_run
    given_up = run is not None and run.status == TaskStatus.FAILED  # its worker kept dying: nothing sends them now
    waiting = [
        r for r in recipients if r.outbound and r.outbound.status in (OutboundStatus.QUEUED, OutboundStatus.SENDING)
    ]
    # Without an SMS provider nothing sends the queued SMS: say so instead of "Sending…" for ever.
    held = [] if sms_configured() else [r for r in waiting if r.channel == SendChannel.SMS]
    held += [] if whatsapp_configured() else [r for r in waiting if r.channel == SendChannel.APP]
    pending = not given_up and len(waiting) > len(held)
    context = {
        "given_up": run.failure_message if given_up and run is not None else "",
        "sms_held": len(held),
        "message": message,
        "recipients": recipients,
        "pending": pending,
        "letters": sum(r.channel == SendChannel.LETTER for r in recipients),
        "reasons": REASONS,
        # A stop word withdrew the consent of the channel it came by (messaging/replies.py): say so by the reply.
        "stopped": {r.pk for r in recipients if r.reply and is_stop(r.reply)},
    }
    return render(request, "messaging/detail.html", context)


@capability_required(Capability.SEND_MESSAGES)
@never_cache
def letters(request: HttpRequest, message_id: int) -> HttpResponse:
    """The letters to print for residents with neither SMS nor e-mail, one per page."""
    user = request_user(request)
    message = selectors.message_for(user, message_id)
    recipients = [r for r in selectors.recipients_of(user, message) if r.channel == SendChannel.LETTER]
    audit_residents_listed(user, [recipient.resident for recipient in recipients])
    base_url = request.build_absolute_uri("/")
    organisation = message.sent_by.organisation
    letters = [
        (letter, services.letter_words(letter, organisation) if organisation else None)
        for letter in (services.letter_of(message, r, base_url) for r in recipients)
    ]
    contact = bool(organisation and organisation.phone and organisation.postal_address)
    return render(request, "messaging/letters.html", {"message": message, "letters": letters, "contact": contact})


@capability_required(Capability.SEND_MESSAGES)
@never_cache
def letters_pdf(request: HttpRequest, message_id: int) -> HttpResponse:
    """The letters as one PDF to print, the addresses placed for a window envelope."""
    user = request_user(request)
    message = selectors.message_for(user, message_id)
    organisation = message.sent_by.organisation
    if organisation is None or not (organisation.phone and organisation.postal_address):
        messages.error(request, _("Letters need the organisation's postal address and phone number first."))
        return redirect("messaging:letters", message_id=message.pk)
    recipients = [r for r in selectors.recipients_of(user, message) if r.channel == SendChannel.LETTER]
    audit_residents_listed(user, [recipient.resident for recipient in recipients])
    base_url = request.build_absolute_uri("/")
    letters = [letter for r in recipients if not (letter := services.letter_of(message, r, base_url)).unfilled]
    pdf = letters_pdf_make(letters, Signature(worker=message.sent_by.display_name, organisation=organisation))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="brieven-{message.pk}.pdf"'
    return response


@capability_required(Capability.SEND_MESSAGES)
@require_POST
def answered(request: HttpRequest, recipient_id: int) -> HttpResponse:
    """The resident answered the message: their contact now counts as reached."""
    user = request_user(request)
    try:
        recipient = services.recipient_mark_answered(by=user, recipient_id=recipient_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        raise Http404 from None
    messages.success(request, _("Noted: the resident answered."))
    return redirect("messaging:detail", message_id=recipient.message_id)
