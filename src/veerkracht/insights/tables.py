"""A published table: labels, protected figures, and its serialisations (API, CSV, XLSX)."""

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from veerkracht.core.spreadsheets import csv_text
from veerkracht.engines.metrics import Figure, ProtectedTable, protect_table


@dataclass(frozen=True)
class Table:
    """Rows × columns of protected counts with margins; ``extra`` holds per-row values shown beside."""

    name: str
    title: str
    row_label: str
    rows: list[str]
    columns: list[str]
    protected: ProtectedTable
    extra: dict[str, list[str]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # code → what people read (tables, exports)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "rows": [
                {
                    "label": label,
                    "cells": {column: cell.as_dict() for column, cell in zip(self.columns, line, strict=True)},
                    "total": total.as_dict(),
                    **{key: values[index] for key, values in self.extra.items()},
                }
                for index, (label, line, total) in enumerate(
                    zip(self.rows, self.protected.cells, self.protected.row_totals, strict=True)
                )
            ],
            "totals": {
                column: cell.as_dict() for column, cell in zip(self.columns, self.protected.column_totals, strict=True)
            },
            "total": self.protected.total.as_dict(),
        }

    def cells(self) -> list[list[object]]:
        """Header, rows and the totals line, with counts as numbers (exports); hidden cells as text."""
        name = self.labels.get
        header: list[object] = [self.row_label, *(name(column, column) for column in self.columns), "totaal"]
        header += list(self.extra)
        body = [
            [
                name(label, label),
                *(_value(cell) for cell in line),
                _value(total),
                *(_number(values[index]) for values in self.extra.values()),
            ]
            for index, (label, line, total) in enumerate(
                zip(self.rows, self.protected.cells, self.protected.row_totals, strict=True)
            )
        ]
        footer: list[object] = ["totaal", *(_value(cell) for cell in self.protected.column_totals)]
        footer += [_value(self.protected.total), *([""] * len(self.extra))]
        return [header, *body, footer]

    def lines(self) -> list[list[str]]:
        """The same as text for a page: "< 10" for a small count, "×" for a cell hidden to protect one."""
        return [[_shown(value) for value in line] for line in self.cells()]

    def csv(self) -> str:
        """The table, then the legend of its signs (a file travels without the page that explains them)."""
        return csv_text([*self.cells(), [], *([line] for line in legend())])

    @property
    def has_protecting_cells(self) -> bool:
        cells = [*(cell for line in self.protected.cells for cell in line), *self.protected.row_totals]
        return any(cell.secondary for cell in [*cells, *self.protected.column_totals, self.protected.total])


def legend() -> list[str]:
    """What the signs in a published table mean, in Dutch (tables, exports and the report)."""
    return [
        f"{SMALL}: minder dan 10 (1 tot en met 9), niet getoond zodat niemand herkenbaar is.",
        f"{PROTECTING}: niet getoond omdat er anders een klein aantal uit te rekenen is; kan elk aantal zijn.",
        "Afgeronde aantallen en totalen zijn elk apart afgerond: de som van de cellen kan afwijken van het totaal.",
    ]


SMALL = "< 10"  # primary suppression: a count from 1 to 9
PROTECTING = "×"  # secondary suppression: hidden so that a small count cannot be worked out; any size


DECIMAL = re.compile(r"-?\d+\.\d+")


def _value(cell: Figure) -> object:
    if not cell.suppressed:
        return cell.count
    return PROTECTING if cell.secondary else SMALL


def _number(text: str) -> object:
    """A value beside the counts ("0.53", the diversity index) as a number, so spreadsheets can sum it."""
    return Decimal(text) if DECIMAL.fullmatch(text) else text


def _shown(value: object) -> str:
    """A cell as a Dutch reader writes it: a decimal comma."""
    return str(value).replace(".", ",") if isinstance(value, Decimal) else str(value)


def table(
    name: str,
    title: str,
    row_label: str,
    rows: list[str],
    columns: list[str],
    counts: list[list[int]],
    *,
    threshold: int,
    rounding: int,
    extra: dict[str, list[str]] | None = None,
    labels: dict[str, str] | None = None,
) -> Table:
    if not rows:
        rows, counts = ["—"], [[0] * len(columns)]
        extra = {key: [""] for key in (extra or {})}
    return Table(
        name,
        title,
        row_label,
        rows,
        columns,
        protect_table(counts, threshold=threshold, rounding=rounding),
        extra or {},
        labels or {},
    )
