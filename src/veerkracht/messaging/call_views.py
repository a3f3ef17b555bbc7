"""Pages of video calls: plan one from a resident's page, hold it, record how long it took."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from veerkracht.core.access import Capability, request_user
from veerkracht.core.decorators import capability_required
from veerkracht.core.models import AuditAction
from veerkracht.messaging import selectors, videocalls
from veerkracht.messaging.forms import VideoCallDoneForm, VideoCallForm
from veerkracht.messaging.models import LeftOutReason
from veerkracht.people.selectors import resident_for


@capability_required(Capability.HOLD_VIDEO_CALLS)
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, resident_id: int) -> HttpResponse:
    """Plan a video call with a resident; the link goes out by SMS, WhatsApp or e-mail."""
    user = request_user(request)
    resident = resident_for(user, resident_id, action=AuditAction.VIEW)
    form = VideoCallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = videocalls.video_call_plan(
                by=user,
                resident_id=resident.pk,
                base_url=request.build_absolute_uri("/"),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return redirect("messaging:video_call", call_id=call.pk)
    return render(request, "messaging/video_call_plan.html", {"form": form, "resident": resident})


@capability_required(Capability.HOLD_VIDEO_CALLS)
@never_cache
def detail(request: HttpRequest, call_id: int) -> HttpResponse:
    """The call: its link, whether the invitation went out, and the buttons to start and end it."""
    user = request_user(request)
    call = selectors.video_call_for(user, call_id)
    resident_for(user, call.resident_id, action=AuditAction.VIEW)
    invited = call.invitation.recipients.first() if call.invitation else None
    context = {
        "call": call,
        "link": videocalls.room_url(call),
        "invited": invited,
        "reasons": dict(LeftOutReason.choices),
        "done_form": VideoCallDoneForm(),
    }
    return render(request, "messaging/video_call.html", context)


@capability_required(Capability.HOLD_VIDEO_CALLS)
@require_POST
def start(request: HttpRequest, call_id: int) -> HttpResponse:
    call = videocalls.video_call_start(by=request_user(request), call_id=call_id)
    return redirect(videocalls.room_url(call))


@capability_required(Capability.HOLD_VIDEO_CALLS)
@require_POST
def complete(request: HttpRequest, call_id: int) -> HttpResponse:
    """End the call: it goes into the resident's contact log as a video call with its duration."""
    user = request_user(request)
    form = VideoCallDoneForm(request.POST)
    if form.is_valid():
        try:
            call = videocalls.video_call_complete(
                by=user, call_id=call_id, duration_minutes=form.cleaned_data["duration_minutes"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The video call is in the contact log."))
            return redirect("people:detail", resident_id=call.resident_id)
    return redirect("messaging:video_call", call_id=call_id)


@capability_required(Capability.HOLD_VIDEO_CALLS)
@require_POST
def cancel(request: HttpRequest, call_id: int) -> HttpResponse:
    user = request_user(request)
    try:
        videocalls.video_call_cancel(by=user, call_id=call_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The video call has been cancelled."))
    return redirect("messaging:video_call", call_id=call_id)
