"""Messages to residents (SMS, e-mail or a letter, each by the resident's consent) and video calls.

A message is written once and sent to many recipients; each recipient gets it over one channel,
or is left out with the reason. What goes over the wire is an ``core.OutboundMessage`` per
recipient, delivered by ``messaging.delivery``; the recipient's contact log gets a Contact.
"""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from veerkracht.activities.models import Activity
from veerkracht.contacts.models import CallTask, Contact
from veerkracht.core.models import Organisation, OutboundMessage, TaskRun, User
from veerkracht.people.models import Resident

# The channels and the reasons for leaving a resident out are the rule of people/reach.py, shared by every sender.
from veerkracht.people.reach import LeftOutReason as LeftOutReason
from veerkracht.people.reach import SendChannel as SendChannel

MAX_TEXT = 600  # e-mails and letters are held to it too; an SMS over 8 parts is left out (segments.py)


class ReplyOutcome(models.TextChoices):
    """What a JA or NEE to a message that asked for one did."""

    REGISTERED = "registered", _("Registered by the reply")
    WAITLISTED = "waitlisted", _("On the waitlist by the reply")
    ALREADY = "already", _("Was already registered")
    CANCELLED = "cancelled", _("Cancelled by the reply")
    NOT_REGISTERED = "not_registered", _("Not registered, nothing to cancel")
    REFUSED = "refused", _("Could not be registered")


class Message(models.Model):
    """A text written once for one resident or a segment; ``segment`` describes who was chosen."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="messages_sent")
    subject = models.CharField(_("subject (e-mail)"), max_length=150, blank=True)
    text = models.TextField(_("text"), max_length=MAX_TEXT)
    template = models.CharField(max_length=30, blank=True)
    activity = models.ForeignKey(Activity, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    segment = models.JSONField(default=dict, blank=True)
    channels = models.JSONField(default=list)
    # The SMS asks "reply JA or NEE" about ``activity``: a JA registers the resident, a NEE cancels.
    asks_yes_no = models.BooleanField(default=False)
    task_run = models.ForeignKey(TaskRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ("-created_at", "-id")
        indexes: ClassVar = [models.Index(fields=["organisation", "-created_at"], name="message_org_created")]

    def __str__(self) -> str:
        return f"message {self.pk} of {self.created_at:%Y-%m-%d %H:%M}"


class Recipient(models.Model):
    """One resident of a message: the channel they get it by, or why they were left out."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="recipients")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="messages_received")
    channel = models.CharField(max_length=10, choices=SendChannel.choices, blank=True)
    left_out_reason = models.CharField(max_length=20, choices=LeftOutReason.choices, blank=True)
    outbound = models.OneToOneField(
        OutboundMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="recipient"
    )
    contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    # The resident's SMS reply, as the provider's inbound webhook brought it.
    reply = models.TextField(_("reply"), max_length=1600, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    reply_outcome = models.CharField(max_length=20, choices=ReplyOutcome.choices, blank=True)

    class Meta:
        ordering = ("pk",)
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["message", "resident"], name="recipient_once_per_message"),
            models.CheckConstraint(
                condition=(Q(channel__in=SendChannel.values) & Q(left_out_reason=""))
                | (Q(channel="") & Q(left_out_reason__in=LeftOutReason.values)),
                name="recipient_channel_or_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} → {self.resident_id} ({self.channel or self.left_out_reason})"


class VideoCallStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    STARTED = "started", _("Started")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class VideoCall(models.Model):
    """A video call appointment with a resident in a room of the organisation's Jitsi Meet.

    The room name is random (``secrets.token_urlsafe``), so only those given the link find it.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="video_calls")
    worker = models.ForeignKey(User, on_delete=models.PROTECT, related_name="video_calls")
    scheduled_at = models.DateTimeField(_("when"))
    room = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=VideoCallStatus.choices, default=VideoCallStatus.PLANNED)
    invitation = models.ForeignKey(Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # The reminder the day before (once); a resident reachable only by letter gets a call instead.
    reminded_at = models.DateTimeField(null=True, blank=True)
    call_task = models.ForeignKey(CallTask, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("video call")
        verbose_name_plural = _("video calls")
        ordering = ("-scheduled_at",)
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(status__in=VideoCallStatus.values), name="videocall_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=VideoCallStatus.COMPLETED) | Q(duration_minutes__isnull=False),
                name="videocall_completed_has_duration",
            ),
        ]

    def __str__(self) -> str:
        return f"video call {self.pk} ({self.status})"
