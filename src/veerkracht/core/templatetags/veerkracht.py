"""Template tags of the shell."""

import uuid
from datetime import date, datetime
from functools import lru_cache
from typing import cast

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString

from veerkracht.core.idempotency import FIELD

register = template.Library()


@register.filter(expects_localtime=True)
def date_once(value: object, arg: str | None = None) -> str:
    """Django's ``date`` filter, each (moment, format, language) formatted once per process.

    Lists draw the same dates again and again (a resident's timeline, the programme), and
    formatting a date is among the slowest things a Django template does.
    """
    if not isinstance(value, date):
        return str(date_filter(cast("str | None", value), arg))  # what the date filter makes of it: "" mostly
    # Equal moments in different time zones are equal keys: the zone's name keeps them apart.
    zone = str(value.tzinfo) if isinstance(value, datetime) else ""
    return _formatted(value, arg, translation.get_language() or "", zone)


@lru_cache(maxsize=8192)
def _formatted(value: date | datetime, arg: str | None, language: str, zone: str) -> str:
    return str(date_filter(value, arg))


@register.simple_tag
def idempotency_field() -> SafeString:
    """A fresh key for this drawing of the form: a double tap on submit then saves once."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, uuid.uuid4().hex)


@register.filter
def get_item(mapping: dict[str, object], key: str) -> object:
    """``mapping|get_item:key``: a label from a dictionary of choices."""
    return mapping.get(key, key)
