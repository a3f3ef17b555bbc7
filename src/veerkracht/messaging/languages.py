"""A ready-made text in the resident's language where one exists, else in Dutch.

The ready-made templates (``wording.TEMPLATES``) and the application's own wordings (the video call's
invitation and reminder, ``wording.OWN_WORDINGS``) are English message ids with Dutch, Turkish and
Arabic texts in the catalogues. A resident whose ``languages`` name one of those (the first that has
a text, in the resident's own order) gets the template in it; everyone else gets Dutch: the rule of
every text to a resident (core/text_language.py). Only the templates are translated: words the writer
typed go out as typed.
"""

from collections import Counter

from django.conf import settings
from django.utils import translation

from veerkracht.core import text_language
from veerkracht.messaging.wording import wording_of
from veerkracht.people.models import Resident


def _msgid(text: object) -> str:
    with translation.override(text_language.SOURCE):
        return str(text)


def template_in(name: str, language: str) -> tuple[str, str] | None:
    """The template's subject and text in ``language``; None when the catalogue has no text in it."""
    wording = wording_of(name)
    if wording is None:
        return None
    subject = text_language.translated(_msgid(wording.subject), language)
    text = text_language.translated(_msgid(wording.text), language)
    return (subject, text) if subject is not None and text is not None else None


def language_for(resident: Resident, name: str) -> str:
    """The first of the resident's languages the template exists in, else the organisation's (Dutch)."""
    return text_language.language_for(resident.languages or [], lambda code: template_in(name, code) is not None)


def language_counts(residents: list[Resident], name: str) -> tuple[int, int]:
    """(in their own language, in Dutch) for the preview."""
    counts = Counter(language_for(resident, name) == settings.LANGUAGE_CODE for resident in residents)
    return counts[False], counts[True]
