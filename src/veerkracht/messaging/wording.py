"""Ready-made texts and the placeholders a writer may use: the resident's first name, the activity.

Texts are Dutch by default (English msgids, translated in the catalogue). Placeholders are
``{first_name}``, ``{organisation}`` and, with an activity or a video call, ``{activity}``,
``{when}``, ``{where}`` and ``{link}``.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from veerkracht.activities.models import Activity

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
PERSONAL = ("first_name", "organisation")
OF_AN_EVENT = ("activity", "when", "where", "link")


@dataclass(frozen=True)
class Wording:
    label: str | Promise
    subject: str | Promise
    text: str | Promise
    needs_activity: bool = False


TEMPLATES: dict[str, Wording] = {
    "activity_invitation": Wording(
        gettext_lazy("Invitation to an activity"),
        gettext_lazy("Invitation: {activity}"),
        gettext_lazy("Hello {first_name}, you are welcome at {activity} on {when}. Sign up here: {link}"),
        needs_activity=True,
    ),
    "activity_reminder": Wording(
        gettext_lazy("Reminder of an activity"),
        gettext_lazy("Reminder: {activity}"),
        gettext_lazy("Hello {first_name}, see you at {activity} on {when}. Where: {where}."),
        needs_activity=True,
    ),
    "check_in": Wording(
        gettext_lazy("How are you?"),
        gettext_lazy("How are you?"),
        gettext_lazy("Hello {first_name}, how are you? Send us a message or call us if you need anything."),
    ),
}
VIDEO_CALL = Wording(
    gettext_lazy("Video call"),
    gettext_lazy("Video call on {when}"),
    gettext_lazy("Hello {first_name}, we will call you by video on {when}. Tap this link then: {link}"),
)

VIDEO_CALL_REMINDER = Wording(
    gettext_lazy("Video call reminder"),
    gettext_lazy("Reminder: video call on {when}"),
    gettext_lazy("Hello {first_name}, tomorrow we call you by video, on {when}. Tap this link then: {link}"),
)


# The application's own wordings: sent by it (video calls), not offered to writers, translated like the templates.
OWN_WORDINGS: dict[str, Wording] = {"video_call": VIDEO_CALL, "video_call_reminder": VIDEO_CALL_REMINDER}


def wording_of(name: str) -> Wording | None:
    """A ready-made template or one of the application's own wordings, by name; None when unknown."""
    return TEMPLATES.get(name) or OWN_WORDINGS.get(name)


def wording_texts(wording: Wording) -> tuple[str, str]:
    """The subject and text of a wording in the organisation's language (Dutch)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(wording.subject), str(wording.text)


def template_texts(name: str, *, own: bool = False) -> tuple[str, str]:
    """The subject and text of a ready-made template (or, with ``own``, an own wording), in Dutch."""
    wording = wording_of(name) if own else TEMPLATES.get(name)
    if wording is None:
        raise ValidationError({"template": _("Choose a template from the list.")})
    return wording_texts(wording)


def placeholders_check(text: str, *, event: bool) -> None:
    """Refuse unknown placeholders, and those of an activity when there is none."""
    for name in PLACEHOLDER.findall(text):
        if name in OF_AN_EVENT and not event:
            raise ValidationError({"activity_id": _("Choose an activity for {%(name)s}.") % {"name": name}})
        if name not in PERSONAL + OF_AN_EVENT:
            known = ", ".join("{" + known + "}" for known in PERSONAL + OF_AN_EVENT)
            raise ValidationError(
                {"text": _("Unknown placeholder {%(name)s}. You can use %(known)s.") % {"name": name, "known": known}}
            )


def when_text(moment: object, language: str = "") -> str:
    """'zaterdag 14 juni om 14:00', in Amsterdam time and the organisation's language (or ``language``)."""
    local = timezone.localtime(moment)  # type: ignore[arg-type]
    with translation.override(language or settings.LANGUAGE_CODE):
        return dateformat.format(local, "l j F") + " " + _("at") + " " + dateformat.format(local, "H:i")


def activity_facts(activity: Activity, base_url: str) -> dict[str, str]:
    """The details of an activity a message may mention; ``link`` is its public page."""
    if activity.place is not None:
        where = activity.place.name
    else:
        with translation.override(settings.LANGUAGE_CODE):
            where = _("online")
    return {
        "activity": activity.title,
        "when": when_text(activity.starts_at),
        "where": where,
        "link": base_url.rstrip("/") + reverse("activities:public_detail", kwargs={"activity_id": activity.pk}),
    }


def render(text: str, facts: Mapping[str, str]) -> str:
    """Fill in the placeholders; unknown ones were refused before, so any left are kept as typed."""
    return PLACEHOLDER.sub(lambda match: facts.get(match.group(1), match.group(0)), text)
