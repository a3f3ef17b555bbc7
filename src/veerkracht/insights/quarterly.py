"""The kwartaalrapportage: one A4 page with a quarter's main figures, as the funder sees them (rounded).

Every figure is the asked quarter's own (a report of Q1 read in June still shows Q1), beside the
previous quarter and the same quarter a year earlier, so a change can be read off the page. A
quarter that has not begun is refused; the running one is reported up to today and says so.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from veerkracht.contacts.models import ContactResident
from veerkracht.core import pdffonts
from veerkracht.core.models import User
from veerkracht.engines.metrics import Figure, published_count
from veerkracht.insights import selectors
from veerkracht.insights.periods import quarter
from veerkracht.insights.tables import PROTECTING, SMALL, Table, legend

WIDTH, HEIGHT = A4
MARGIN = 50
NOTES = ("", "vorig kwartaal", "jaar eerder")
COLUMNS = (WIDTH - MARGIN - 200, WIDTH - MARGIN - 100, WIDTH - MARGIN)  # right edges of the three quarters


@dataclass(frozen=True)
class Quarter:
    """One quarter's figures as text, ready to print."""

    name: str  # "2026-Q3"
    first: date
    last: date
    lines: dict[str, str]  # label → figure
    channels: dict[str, str]  # Dutch channel label → its share of the quarter's contacts


def quarter_name(first: date) -> str:
    return f"{first.year}-Q{(first.month - 1) // 3 + 1}"


def shifted(first: date, quarters: int) -> date:
    """The first day of the quarter ``quarters`` before the one starting on ``first``."""
    month = first.year * 12 + first.month - 1 - 3 * quarters
    return date(month // 12, month % 12 + 1, 1)


def _count(figure: Figure) -> str:
    if figure.suppressed:
        return PROTECTING if figure.secondary else SMALL
    return f"{figure.count:,}".replace(",", ".")


def _of(table: Table, column: int) -> str:
    return f"{_count(table.protected.column_totals[column])} van {_count(table.protected.total)}"


def _reached(scope: selectors.Scope, first: date, last: date) -> str:
    """Residents in the scope's neighbourhoods with at least one contact in the quarter."""
    zone = timezone.get_current_timezone()
    since = datetime.combine(first, time.min, tzinfo=zone)
    until = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
    links = ContactResident.objects.filter(
        started_at__gte=since, started_at__lt=until, resident__neighbourhood_id__in=scope.neighbourhood_ids
    )
    reached = links.aggregate(n=Count("resident", distinct=True))["n"]
    shown = published_count(reached, threshold=scope.threshold, rounding=scope.rounding)
    return SMALL if shown is None else f"{shown:,}".replace(",", ".")


def quarter_figures(user: User, scope: selectors.Scope, first: date) -> Quarter:
    """The report's figures for the quarter starting on ``first`` (up to today while it runs)."""
    last = min(shifted(first, -1) - timedelta(days=1), timezone.localdate())
    mix = selectors.channel_mix(scope, first, last, None)
    pulse = selectors.pulse(user, scope, first, last)
    help_figures = selectors.help_exchange(user, scope, first, last)
    helpers = help_figures.active_helpers
    lines = {
        "Contacten": _count(mix.contacts.protected.total),
        "Bewoners met minstens één contact": _reached(scope, first, last),
        "Pulsmeting: kan de opdracht uitvoeren": _of(pulse, 0),
        "Hulpvragen gekoppeld": _of(help_figures.kinds, 0),
        "Actieve vrijwilligers in burenhulp": SMALL if helpers is None else str(helpers),
    }
    total = mix.contacts.protected.total
    channels = {}
    for index, code in enumerate(mix.contacts.columns):
        figure = mix.contacts.protected.column_totals[index]
        label = mix.contacts.labels.get(code, code)
        if figure.suppressed or total.suppressed or not total.count:
            channels[label] = _count(figure)
        else:
            channels[label] = f"{(figure.count or 0) / total.count:.0%}"
    return Quarter(quarter_name(first), first, last, lines, channels)


def quarterly_pdf(user: User, text: str) -> bytes:
    """The report for quarter ``text`` ('2026-Q3') against the previous one and a year earlier."""
    first, _last = quarter(text)
    scope = selectors.scope_of(user, export=True)
    shown = [quarter_figures(user, scope, start) for start in (first, shifted(first, 1), shifted(first, 4))]
    pdffonts.register()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=True, lang="nl", initialFontName=pdffonts.REGULAR)
    canvas.setTitle(f"Kwartaalrapportage {text}")
    _heading(canvas, shown[0])
    y = _rows(canvas, HEIGHT - MARGIN - 90, shown, "Kerncijfers", lambda q: q.lines)
    _rows(canvas, y - 16, shown, "Kanalen (aandeel in het aantal contacten)", lambda q: q.channels)
    _legend(canvas)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _heading(canvas: Canvas, this: Quarter) -> None:
    canvas.setFont(pdffonts.BOLD, 22)
    canvas.drawString(MARGIN, HEIGHT - MARGIN - 10, f"Kwartaalrapportage {this.name}")
    canvas.setFont(pdffonts.REGULAR, 12)
    running = " (lopend kwartaal: cijfers tot en met vandaag)" if this.last == timezone.localdate() else ""
    canvas.drawString(MARGIN, HEIGHT - MARGIN - 34, f"{this.first:%d-%m-%Y} tot en met {this.last:%d-%m-%Y}{running}")


def _rows(
    canvas: Canvas, y: float, shown: list[Quarter], title: str, pick: Callable[[Quarter], dict[str, str]]
) -> float:
    """A block of lines with the quarter, the previous quarter and a year earlier side by side."""
    canvas.setFont(pdffonts.BOLD, 13)
    canvas.drawString(MARGIN, y, title)
    canvas.setFont(pdffonts.BOLD, 10)
    for right, quarter_shown, note in zip(COLUMNS, shown, NOTES, strict=True):
        canvas.drawRightString(right, y - 16, quarter_shown.name)
        canvas.drawRightString(right, y - 27, note)
    y -= 46
    for label in pick(shown[0]):
        canvas.setFont(pdffonts.REGULAR, 11)
        canvas.drawString(MARGIN, y, label)
        canvas.setFont(pdffonts.BOLD, 11)
        for right, quarter_shown in zip(COLUMNS, shown, strict=True):
            canvas.drawRightString(right, y, pick(quarter_shown).get(label, ""))
        y -= 20
    return y


def _legend(canvas: Canvas) -> None:
    canvas.setFont(pdffonts.ITALIC, 8)
    lines = ["Aantallen afgerond op vijftallen.", *legend()]
    for index, line in enumerate(lines):
        canvas.drawString(MARGIN, MARGIN + 12 * (len(lines) - 1 - index), line)
