"""The kwartaalrapportage: one A4 page with the quarter's main figures, as the funder sees them (rounded)."""

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from veerkracht.core.models import User
from veerkracht.insights import selectors
from veerkracht.insights.periods import quarter
from veerkracht.insights.tables import Table

WIDTH, HEIGHT = A4
MARGIN = 56


def _total(table: Table, column: int | None = None) -> str:
    figure = table.protected.total if column is None else table.protected.column_totals[column]
    return "< 10" if figure.suppressed else f"{figure.count:,}".replace(",", ".")


def quarterly_pdf(user: User, text: str) -> bytes:
    """The report for quarter ``text`` ('2026-Q3'); every count rounded, as for an export."""
    first, last = quarter(text)
    scope = selectors.scope_of(user, export=True)
    mix = selectors.channel_mix(scope, first, last, None)
    reach = selectors.reach(scope, 90)
    pulse = selectors.pulse(user, scope, first, last)
    help_figures = selectors.help_exchange(user, scope, first, last)
    everyone = next(table for table in reach if table.name == "reach_everyone")
    lines = [
        ("Contacten", _total(mix.contacts)),
        ("Bewoners bereikt in de laatste 90 dagen", _total(everyone, 0)),
        ("Bewoners (alle buurten)", _total(everyone)),
        ("Antwoorden pulsmeting: kan opdracht uitvoeren", f"{_total(pulse, 0)} van {_total(pulse)}"),
        ("Hulpvragen gekoppeld", f"{_total(help_figures.kinds, 0)} van {_total(help_figures.kinds)}"),
        (
            "Actieve vrijwilligers in burenhulp",
            "< 10" if help_figures.active_helpers is None else str(help_figures.active_helpers),
        ),
    ]
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=True)
    canvas.setTitle(f"Kwartaalrapportage {text}")
    canvas.setFont("Helvetica-Bold", 22)
    canvas.drawString(MARGIN, HEIGHT - MARGIN - 10, f"Kwartaalrapportage {text}")
    canvas.setFont("Helvetica", 12)
    canvas.drawString(MARGIN, HEIGHT - MARGIN - 34, f"{first:%d-%m-%Y} tot en met {last:%d-%m-%Y}")
    y = HEIGHT - MARGIN - 80
    for label, value in lines:
        canvas.setFont("Helvetica", 13)
        canvas.drawString(MARGIN, y, label)
        canvas.setFont("Helvetica-Bold", 13)
        canvas.drawRightString(WIDTH - MARGIN, y, value)
        y -= 28
    y -= 10
    canvas.setFont("Helvetica-Bold", 13)
    canvas.drawString(MARGIN, y, "Kanalen (aandeel in contacttijd, laatste maand)")
    y -= 22
    canvas.setFont("Helvetica", 12)
    for channel, shares in mix.minutes_share.items():
        latest = shares[-1] if shares else None
        canvas.drawString(MARGIN + 12, y, channel.replace("_", " "))
        canvas.drawRightString(WIDTH - MARGIN, y, "< 10" if latest is None else f"{latest:.0%}")
        y -= 18
    canvas.setFont("Helvetica-Oblique", 9)
    canvas.drawString(
        MARGIN, MARGIN, "Aantallen afgerond op vijftallen; aantallen onder de 10 worden niet getoond (< 10)."
    )
    canvas.showPage()
    canvas.save()
    return out.getvalue()
