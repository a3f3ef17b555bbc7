"""The monthly overview for payroll, as CSV and XLSX: a summary per worker and every line of hours.

Only approved hours count towards pay; waiting hours are shown apart so nothing is lost.
"""

import io
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from veerkracht.core.models import User
from veerkracht.core.spreadsheets import csv_text, xlsx_append
from veerkracht.team.models import EntryKind, TimeEntry
from veerkracht.team.selectors import WorkerMonth, month_entries, month_overview

KINDS = dict(EntryKind.choices)


def _what(entry: TimeEntry) -> str:
    if entry.activity is not None:
        return entry.activity.title
    if entry.match is not None:
        return str(entry.match.request.get_kind_display())
    return entry.description


def _summary_header() -> list[str]:
    return [_("Worker"), _("Username"), _("Role"), _("Contract hours per week"), _("Expected hours"),
            _("Approved hours"), _("Hours waiting for approval"), _("Days")]  # fmt: skip


def _summary_row(row: WorkerMonth) -> list[object]:
    return [
        row.worker.display_name,
        row.worker.username,
        str(row.worker.get_role_display()),
        row.contract_hours_per_week,
        row.expected_hours,
        row.approved_hours,
        row.waiting_hours,
        row.days,
    ]


def _lines_header() -> list[str]:
    return [_("Worker"), _("Username"), _("Day"), _("For"), _("What"), _("Hours"), _("Status")]


def _line(entry: TimeEntry) -> list[object]:
    sheet = entry.sheet
    hours = (Decimal(entry.minutes) / 60).quantize(Decimal("0.01"))
    return [sheet.worker.display_name, sheet.worker.username, sheet.day, str(KINDS.get(entry.kind, entry.kind)),
            _what(entry), hours, str(sheet.get_status_display())]  # fmt: skip


def month_csv(user: User, month: date) -> str:
    """Every line of hours of the month (semicolons: what Dutch spreadsheets open directly)."""
    return csv_text([_lines_header(), *(_line(entry) for entry in month_entries(user, month))])


def month_xlsx(user: User, month: date) -> bytes:
    """A workbook with the summary per worker and a sheet with every line of hours."""
    book = Workbook()
    summary = book.create_sheet(_("Summary"), 0)
    book.remove(book.worksheets[1])  # the empty sheet every new workbook starts with
    xlsx_append(summary, _summary_header())
    for row in month_overview(user, month):
        xlsx_append(summary, _summary_row(row))
    lines = book.create_sheet(_("Hours"))
    xlsx_append(lines, _lines_header())
    for entry in month_entries(user, month):
        xlsx_append(lines, _line(entry))
    for sheet in (summary, lines):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
