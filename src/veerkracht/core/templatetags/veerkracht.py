"""Template tags of the shell."""

import uuid

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from veerkracht.core.idempotency import FIELD

register = template.Library()


@register.simple_tag
def idempotency_field() -> SafeString:
    """A fresh key for this drawing of the form: a double tap on submit then saves once."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, uuid.uuid4().hex)


@register.filter
def get_item(mapping: dict[str, object], key: str) -> object:
    """``mapping|get_item:key``: a label from a dictionary of choices."""
    return mapping.get(key, key)
