"""How the teacher's workbook reads when opened: column widths, wrapped text, row heights,
and native charts laid out right to left like the sheets that hold them.

Spreadsheets neither widen columns nor (Excel) grow rows for wrapped text on their own when
they open a file, so both are set here from the text each cell holds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

# openpyxl is imported where a sheet is styled (bot/exports.py says why).
if TYPE_CHECKING:
    from openpyxl.chart import BarChart
    from openpyxl.worksheet.worksheet import Worksheet

DEFAULT_WIDTH, NARROWEST, WIDEST_AUTO = 16, 10, 30
DATE_WIDTH = 17
# A column width unit is one digit of the default font. Arabic words in the fonts spreadsheets
# fall back to are wider than that: widths and wrapping are estimated on the safe side, since a
# row a little too tall reads better than cut text.
CHARS_PER_UNIT = 0.8
LINE_POINTS = 15
TALLEST_ROW = 409  # Excel's limit, in points


def _lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column, wrapping at spaces as a spreadsheet does."""
    per_line = max(1, math.floor(width * CHARS_PER_UNIT))
    lines = 0
    for part in text.split("\n"):
        lines += 1
        used = 0
        for word in part.split(" "):
            if used and used + 1 + len(word) > per_line:
                lines += 1
                used = 0
            used += (1 if used else 0) + len(word)
            while used > per_line:  # a word longer than the line breaks where it must
                lines += 1
                used -= per_line
    return lines


def _auto_width(sheet: Worksheet, column: int) -> float:
    """Wide enough for the column's values (not its header, which wraps), within bounds."""
    longest = 0.0
    for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
        if isinstance(cell.value, datetime):
            longest = max(longest, DATE_WIDTH)
        elif cell.value is not None:
            longest = max(longest, len(str(cell.value)) / CHARS_PER_UNIT + 1)
    return DEFAULT_WIDTH if longest == 0 else min(WIDEST_AUTO, max(NARROWEST, longest))


def fit_columns(sheet: Worksheet, widths: Mapping[int, float], first_row: int = 1) -> None:
    """Widths (given, else fitted to the values), text wrapped at the top of its cell, and
    each row as tall as its longest wrapped text. Rows above `first_row` are left alone."""
    from openpyxl.styles import Alignment

    columns = sheet.max_column
    width = {c: widths.get(c) or _auto_width(sheet, c) for c in range(1, columns + 1)}
    for column, value in width.items():
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = value
    for row in sheet.iter_rows(min_row=first_row):
        lines = 1
        for cell in row:
            # Every cell at the top, so a number stays level with the text beside it.
            wrap = isinstance(cell.value, str)
            cell.alignment = Alignment(wrap_text=wrap, vertical="top")
            if wrap:
                lines = max(lines, _lines(cell.value, width[cell.column]))
        if lines > 1:
            sheet.row_dimensions[row[0].row].height = min(TALLEST_ROW, lines * LINE_POINTS)
    # Printed, a sheet is one page wide (landscape), however many pages long.
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0


def right_to_left(chart: BarChart) -> None:
    """The first category at the right and the value scale on the right edge. Reversing the
    category axis moves the value axis to where the first category is, so it lands on the
    right; the value axis's labels follow it. Both axes are shown explicitly (openpyxl leaves
    `delete` unset, which some versions of Excel read as hidden)."""
    chart.x_axis.scaling.orientation = "maxMin"
    chart.y_axis.crosses = "min"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
