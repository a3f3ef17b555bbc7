"""A published table: labels, protected figures, and its serialisations (API, CSV, XLSX)."""

from dataclasses import dataclass, field
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

    def lines(self) -> list[list[str]]:
        """Header and rows as text: suppressed counts read "< 10"."""
        name = self.labels.get
        header = [self.row_label, *(name(column, column) for column in self.columns), "totaal", *self.extra]
        body = [
            [
                name(label, label),
                *(_text(cell) for cell in line),
                _text(total),
                *(values[index] for values in self.extra.values()),
            ]
            for index, (label, line, total) in enumerate(
                zip(self.rows, self.protected.cells, self.protected.row_totals, strict=True)
            )
        ]
        footer = ["totaal", *(_text(cell) for cell in self.protected.column_totals), _text(self.protected.total)]
        return [header, *body, footer + [""] * len(self.extra)]

    def csv(self) -> str:
        return csv_text(self.lines())


def _text(cell: Figure) -> str:
    return "< 10" if cell.suppressed else str(cell.count)


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
