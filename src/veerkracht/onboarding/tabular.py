"""Reading the files organisations already have: CSV (``;`` or ``,``; UTF-8 with or without BOM, or
Windows-1252) and XLSX, as rows of text keyed by lower-case header."""

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Table:
    """The header (normalised) and the rows, each with its line number in the file (the header is 1)."""

    header: list[str]
    rows: list[tuple[int, dict[str, str]]]


def _header_key(text: str) -> str:
    return text.strip().lstrip("\ufeff").strip().lower().replace(" ", "_")


def _decode(raw: bytes) -> str:
    """UTF-8 (a BOM is dropped), else Windows-1252, the encoding Excel on Windows saves CSV in."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _read_csv(raw: bytes) -> Table:
    text = _decode(raw)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [_header_key(cell) for cell in next(reader)]
    except StopIteration:
        raise ValidationError(_("The file is empty.")) from None
    rows = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        rows.append((reader.line_num, dict(zip(header, (cell.strip() for cell in cells), strict=False))))
    return Table(header, rows)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(raw: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ValidationError(_("The file is not a readable Excel file (.xlsx).")) from None
    sheet = workbook.worksheets[0]
    lines: Iterator[tuple[object, ...]] = sheet.iter_rows(values_only=True)
    try:
        header = [_header_key(_cell_text(cell)) for cell in next(lines)]
    except StopIteration:
        raise ValidationError(_("The file is empty.")) from None
    rows = []
    for number, cells in enumerate(lines, start=2):
        texts = [_cell_text(cell) for cell in cells]
        if any(texts):
            rows.append((number, dict(zip(header, texts, strict=False))))
    workbook.close()
    return Table(header, rows)


def read_table(raw: bytes) -> Table:
    """The table in a CSV or XLSX file's bytes (XLSX recognised by its content, not its name)."""
    return _read_xlsx(raw) if raw.startswith(XLSX_MAGIC) else _read_csv(raw)


def read_path(path: Path) -> Table:
    return read_table(path.read_bytes())
