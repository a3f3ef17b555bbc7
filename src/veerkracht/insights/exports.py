"""Tables as CSV and XLSX downloads (always rounded: an export leaves the organisation's hands)."""

import io

from openpyxl import Workbook

from veerkracht.insights.tables import Table


def xlsx(table: Table) -> bytes:
    book = Workbook()
    sheet = book.create_sheet(table.name[:31], 0)
    sheet.append([table.title])
    for line in table.lines():
        sheet.append([int(cell) if cell.isdigit() else cell for cell in line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
