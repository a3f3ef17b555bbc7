"""Tables as CSV and XLSX downloads (always rounded: an export leaves the organisation's hands)."""

import io

from openpyxl import Workbook

from veerkracht.core.spreadsheets import xlsx_append
from veerkracht.insights.tables import Table


def xlsx(table: Table) -> bytes:
    book = Workbook()
    sheet = book.create_sheet(table.name[:31], 0)
    xlsx_append(sheet, [table.title])
    for line in table.lines():
        xlsx_append(sheet, [int(cell) if cell.isdigit() else cell for cell in line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
