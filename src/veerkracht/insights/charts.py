"""Server-drawn SVG bar charts: small, accessible (a title, and a table beside every chart)."""

from dataclasses import dataclass

BAR_HEIGHT = 18
GAP = 8
LABEL_WIDTH = 150
CHART_WIDTH = 320


@dataclass(frozen=True)
class Bar:
    y: int
    width: float
    label: str
    value_text: str
    second: bool  # the second of a pair (after), drawn in the other colour


@dataclass(frozen=True)
class Chart:
    """Bars in chart coordinates; the template draws them (no inline style: classes only)."""

    title: str
    bars: list[Bar]
    height: int
    width: int = LABEL_WIDTH + CHART_WIDTH + 60
    label_width: int = LABEL_WIDTH


def percent(share: float) -> str:
    """Dutch notation; one decimal below 10%, where 0.5% and 0% differ."""
    text = f"{share * 100:.1f}%" if share < 0.1 else f"{share:.0%}"
    return text.replace(".", ",")


def paired_shares(title: str, rows: list[tuple[str, float | None, float | None]]) -> Chart:
    """Two bars per row (before, after) for shares between 0 and 1; a hidden share draws no bar."""
    bars, y = [], 0
    for label, before, after in rows:
        for index, share in enumerate((before, after)):
            text = "< 10" if share is None else percent(share)
            width = 0.0 if share is None else max(1.0, share * CHART_WIDTH)
            bars.append(Bar(y, width, label if index == 0 else "", text, index == 1))
            y += BAR_HEIGHT
        y += GAP
    return Chart(title, bars, max(y, BAR_HEIGHT))


def shares(title: str, rows: list[tuple[str, float | None]]) -> Chart:
    """One bar per row for a share between 0 and 1."""
    bars = [
        Bar(i * (BAR_HEIGHT + GAP), 0.0 if s is None else max(1.0, s * CHART_WIDTH), label,
            "< 10" if s is None else percent(s), False)
        for i, (label, s) in enumerate(rows)
    ]  # fmt: skip
    return Chart(title, bars, max(len(rows) * (BAR_HEIGHT + GAP), BAR_HEIGHT))
