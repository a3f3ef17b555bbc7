"""The channels of contact named in the glossary (docs/architecture.md, "Glossary"), and the sender an SMS may carry."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("Face-to-face")
    HOME_VISIT = "home_visit", _("Home visit")
    PORCH_TALK = "porch_talk", _("Porch talk")
    INTERCOM = "intercom", _("Intercom call")
    WALK = "walk", _("Walk")
    BALCONY = "balcony", _("Balcony talk")
    PHONE = "phone", _("Phone")
    VIDEO_CALL = "video_call", _("Video call")
    MESSAGING = "messaging", _("App / SMS")
    EMAIL = "email", _("E-mail")
    WEBINAR = "webinar", _("Webinar")
    ACTIVITY = "activity", _("Activity")


# Channels where worker and resident meet in person; dashboards group on this.
IN_PERSON = frozenset(
    {Channel.FACE_TO_FACE, Channel.HOME_VISIT, Channel.PORCH_TALK, Channel.WALK, Channel.BALCONY, Channel.ACTIVITY}
)


# The sender of an SMS, as every provider takes it (GSM 03.38: an alphanumeric originator).
SENDER_MAX = 11


def sender_valid(sender: str) -> bool:
    """An alphanumeric originator of 1-11 letters, digits or spaces, or a phone number of up to 15 digits."""
    if sender.lstrip("+").isdigit():
        return len(sender.lstrip("+")) <= 15
    return 0 < len(sender) <= SENDER_MAX and sender.isascii() and all(c.isalnum() or c == " " for c in sender)
