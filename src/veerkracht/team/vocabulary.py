"""What volunteers may choose to do, besides the kinds of neighbour help."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from veerkracht.help.vocabulary import HelpKind


class OtherInterest(models.TextChoices):
    ACTIVITIES = "activities", _("Helping at activities")
    OUTREACH = "outreach", _("Visiting neighbours door to door")
    WEBINARS = "webinars", _("Helping with webinars and video calling")


INTERESTS = [*HelpKind.choices, *OtherInterest.choices]
INTEREST_CODES = frozenset(code for code, _label in INTERESTS)
