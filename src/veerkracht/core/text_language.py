"""The one rule for the language of a text to a resident or registrant: SMS, e-mail, letter, document.

The person's languages are tried in their own order (a resident's ``languages`` as recorded, a
registrant's language of the form first); the first that the application has texts in
(``settings.LANGUAGES``) and, when asked, in which the text itself exists (a template, a sentence in
the catalogue), is chosen; else the organisation's language, Dutch. Message templates, activity changes,
waitlist promotions, JA/NEE confirmations, letters and the inspection document all choose through
:func:`language_for`, so a resident never gets one message in Turkish and the next in Dutch for no reason.
"""

import gettext
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

from django.conf import settings

from veerkracht.core.public_languages import site_languages

RTL_LANGUAGES = frozenset({"ar"})
SOURCE = "en"  # the message ids are English: a text "exists" in English without a catalogue entry


@cache
def _catalogue(language: str) -> gettext.NullTranslations:
    # The catalogue alone, read with the standard library: Django's own falls back to Dutch for a
    # message its Turkish or Arabic catalogue lacks, which would pass a Dutch text off as Turkish.
    return gettext.translation("django", str(Path(settings.LOCALE_PATHS[0])), [language], fallback=True)


def translated(msgid: str, language: str) -> str | None:
    """``msgid`` in ``language``; None when the catalogue has no text for it there."""
    if language not in site_languages():
        return None
    if language == SOURCE:
        return msgid
    text = _catalogue(language).gettext(msgid)
    return text if text != msgid else None


def has_texts(*msgids: str) -> Callable[[str], bool]:
    """For :func:`language_for`: every one of ``msgids`` has a text in the language."""
    return lambda language: all(translated(msgid, language) is not None for msgid in msgids)


def language_for(languages: Iterable[str], has_text: Callable[[str], bool] | None = None) -> str:
    """The first of ``languages`` with texts (and with the text, when ``has_text`` is given), else Dutch."""
    for code in languages:
        language = str(code).split("-")[0].lower()
        if language in site_languages() and (has_text is None or has_text(language)):
            return language
    return str(settings.LANGUAGE_CODE)


def registrant_languages(form_language: str, resident_languages: Iterable[str] | None) -> list[str]:
    """A registrant's languages: the one they registered in, unless that is only the default (a worker
    registered them), then the resident's own."""
    chosen = [form_language] if form_language and form_language != settings.LANGUAGE_CODE else []
    return [*chosen, *(resident_languages or [])]


def is_rtl_language(language: str) -> bool:
    """Whether texts in ``language`` read right to left (Arabic)."""
    return language.split("-")[0] in RTL_LANGUAGES
