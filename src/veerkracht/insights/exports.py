"""Tables as CSV and XLSX downloads (always rounded: an export leaves the organisation's hands)."""

import io
from decimal import Decimal

from openpyxl import Workbook

from veerkracht.core.spreadsheets import xlsx_append
from veerkracht.insights.tables import Table, legend


def xlsx(table: Table) -> bytes:
    """One sheet: the title, the table with numbers as numbers, and the legend of its signs."""
    book = Workbook()
    sheet = book.worksheets[0]  # the sheet a new workbook starts with: no empty second one
    sheet.title = table.name[:31]
    xlsx_append(sheet, [table.title])
    for line in table.cells():
        xlsx_append(sheet, [float(cell) if isinstance(cell, Decimal) else cell for cell in line])
    xlsx_append(sheet, [])
    for note in legend():
        xlsx_append(sheet, [note])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
