"""Two runs of a benchmark side by side, from their ``--json`` reports: each figure and its ratio.

    .venv/bin/python bench/compare.py before.json after.json                # the median columns
    .venv/bin/python bench/compare.py before.json after.json --columns all  # every numeric column
    .venv/bin/python bench/compare.py before.json after.json --columns "p95 ms" "cost km"

Tables are paired by their header (the titles carry sizes, which may differ), rows by their text
cells (solver, user, variant, ...). For each chosen numeric column the table shows the first run,
the second and 'after / before' (below 1 is faster or cheaper). A row or table found in one run
only is listed as such. It compares figures, it judges none: the timings of a noisy machine are
for a reader, and wrong answers already fail the benchmark itself.
"""

import argparse
import json
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from common import print_table

Row = list[Any]


def _number(value: object) -> float | None:
    """A cell as a number: ints and floats, and text like '1,234.5' or '3.1x'; None when not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        text = value.replace(",", "").removesuffix("x").strip()
        try:
            return float(text)
        except ValueError:
            return None
    return None


def _numeric_columns(header: Sequence[str], rows: Sequence[Row]) -> list[int]:
    """Columns whose every filled cell is a number."""
    return [
        i
        for i in range(len(header))
        if any(_number(row[i]) is not None for row in rows)
        and all(_number(row[i]) is not None or row[i] in ("", None) for row in rows)
    ]


def _key_columns(rows: Sequence[Row], numeric: list[int]) -> list[int]:
    """The text columns, plus numeric ones from the left until they tell the rows apart (a size column)."""
    width = len(rows[0]) if rows else 0
    keys = [i for i in range(width) if i not in numeric]
    for i in numeric:
        if len({tuple(str(row[k]) for k in keys) for row in rows}) == len(rows):
            break
        keys = sorted([*keys, i])
    return keys


def _key(row: Row, keys: list[int]) -> tuple[str, ...]:
    return tuple(str(row[i]) for i in keys)


def _chosen(header: Sequence[str], numeric: list[int], columns: list[str]) -> list[int]:
    if columns == ["all"]:
        return numeric
    if columns:
        return [i for i in numeric if any(name.lower() in header[i].lower() for name in columns)]
    medians = [i for i in numeric if "median" in header[i].lower()]
    return medians or numeric


def _ratio(before: float | None, after: float | None) -> str:
    if before is None or after is None:
        return ""
    if before == 0:
        return "=" if after == 0 else ""
    return f"{after / before:.2f}"


def compare_table(before: dict[str, Any], after: dict[str, Any], columns: list[str]) -> list[float]:
    """Print one pair of tables; returns the ratios of the chosen columns."""
    header = before["header"]
    numeric = sorted(set(_numeric_columns(header, before["rows"])) & set(_numeric_columns(header, after["rows"])))
    keys = sorted(set(_key_columns(before["rows"], numeric)) | set(_key_columns(after["rows"], numeric)))
    chosen = _chosen(header, [i for i in numeric if i not in keys], columns)
    theirs = {_key(row, keys): row for row in after["rows"]}
    key_names = [header[i] for i in keys]
    rows, ratios = [], []
    for row in before["rows"]:
        key = _key(row, keys)
        other = theirs.pop(key, None)
        line: list[object] = list(key)
        for i in chosen:
            a, b = _number(row[i]), None if other is None else _number(other[i])
            line += [row[i] if a is not None else "", "" if other is None else other[i], _ratio(a, b)]
            if a and b is not None:
                ratios.append(b / a)
        rows.append(line if other is not None else [*line[: len(key)], *(["(before only)"] * 3 * len(chosen))])
    rows += [[*key, *(["(after only)"] * 3 * len(chosen))] for key in theirs]
    names = [f"{label} {header[i]}" for i in chosen for label in ("before", "after", "after/before")]
    print_table(f"{before['title']}\n  vs {after['title']}", [*key_names, *names], rows)
    return ratios


def compare(before: dict[str, Any], after: dict[str, Any], columns: list[str]) -> None:
    print(f"before: {before.get('script')} {before.get('started_at', '')} {before.get('options', {})}")
    print(f"after:  {after.get('script')} {after.get('started_at', '')} {after.get('options', {})}")
    unpaired = list(after["tables"])
    ratios: list[float] = []
    for table in before["tables"]:
        match = next((t for t in unpaired if t["header"] == table["header"]), None)
        if match is None:
            print(f"\n(only in before) {table['title']}")
            continue
        unpaired.remove(match)
        ratios += compare_table(table, match, columns)
    for table in unpaired:
        print(f"\n(only in after) {table['title']}")
    if ratios:
        print(
            f"\nmedian after/before over the compared figures: {statistics.median(ratios):.2f} ({len(ratios)} figures)"
        )
    for label, report in (("before", before), ("after", after)):
        wrong = [entry["check"] for entry in report.get("checks", []) if not entry["passed"]]
        if wrong:
            print(f"{label}: WRONG ANSWERS: {'; '.join(wrong)}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument(
        "--columns", nargs="+", default=[], help="header words of the columns to compare ('all': every numeric one)"
    )
    options = parser.parse_args(argv)
    reports = [json.loads(path.read_text()) for path in (options.before, options.after)]
    if reports[0].get("script") != reports[1].get("script"):
        print(f"note: different scripts ({reports[0].get('script')} and {reports[1].get('script')})", file=sys.stderr)
    compare(reports[0], reports[1], options.columns)


if __name__ == "__main__":
    main()
