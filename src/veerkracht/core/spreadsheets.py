"""Cells for CSV and XLSX exports: text a spreadsheet would run as a formula is written as text.

A name, a description or a label typed by anyone may start with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return; opened in a spreadsheet such a cell becomes a formula (``=HYPERLINK(...)``
sends whoever clicks it, with what the sheet holds, elsewhere). Every export writes its rows
through this module (docs/adr/0019-input-held-at-the-door.md):

- CSV: such text gets a leading single quote, as OWASP advises ("CSV injection").
- XLSX: such text is stored as a string with Excel's own "quote prefix", so it shows unchanged
  and stays text even when the cell is edited.

Numbers stay numbers: a negative amount is written as a number, not as text.

A CSV download starts with a UTF-8 byte-order mark: without one Excel reads the file as
Windows-1252 and shows "Taalcafé" as "TaalcafÃ©".
"""

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BYTE_ORDER_MARK = "\ufeff"


def looks_like_formula(value: object) -> bool:
    """Text that a spreadsheet would read as the start of a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: object, *, decimal_comma: bool = True) -> object:
    """One CSV cell: formula-like text quoted, decimals with a comma (what Dutch spreadsheets read)."""
    if looks_like_formula(value):
        return "'" + str(value)
    if decimal_comma and isinstance(value, Decimal | float):
        return str(value).replace(".", ",")
    return value


def csv_text(rows: Iterable[Sequence[object]], *, delimiter: str = ";") -> str:
    """Rows as CSV (semicolons by default: what Dutch spreadsheets open directly)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return out.getvalue()


def csv_download(text: str, filename: str) -> HttpResponse:
    """A CSV file to save, with the byte-order mark that makes Excel read it as UTF-8."""
    response = HttpResponse(BYTE_ORDER_MARK + text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_append(sheet: Worksheet, row: Sequence[object]) -> None:
    """Add a row to a sheet; formula-like text stays text (openpyxl would store it as a formula)."""
    sheet.append(list(row))
    for cell in sheet[sheet.max_row]:
        if looks_like_formula(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True
