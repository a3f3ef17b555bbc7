"""The channels of contact named in the glossary (docs/architecture.md, "Glossary")."""

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
