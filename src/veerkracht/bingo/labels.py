"""Template filters of the bingo kit."""

from collections.abc import Iterable

from django import template
from django.utils.translation import gettext as _

register = template.Library()


def line_label(name: str) -> str:
    """The engine's line name in the user's language: "row 2" → "rij 2", "full card" → "volle kaart"."""
    kind, _space, number = name.partition(" ")
    labels = {
        "row": _("row %(number)s"),
        "column": _("column %(number)s"),
        "diagonal": _("diagonal %(number)s"),
    }
    if name == "full card":
        return _("full card")
    return labels[kind] % {"number": number} if kind in labels else name


@register.filter
def bingo_lines(names: Iterable[str]) -> str:
    """A list of line names as one readable phrase."""
    return ", ".join(line_label(name) for name in names)
