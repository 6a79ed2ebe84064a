"""One sheet of the teacher's workbook: right to left, a bold frozen header, text cells stored
as text, a native bar chart, and an Excel-safe sheet name.

Text is stored as text (a string cell is never a formula, so no apostrophe is needed and none
shows), with Excel's quote prefix on the formula-like ones so that editing the cell keeps it
text. XML cannot hold most control characters: they are dropped from the cell, instead of
making the whole workbook fail.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot import texts
from bot.reports import workbook_layout
from bot.reports.csv_files import FORMULA_STARTS

# openpyxl is imported where a workbook is built, so the bot starts without loading it.
if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

# What XML 1.0 cannot hold: C0 controls but tab, LF and CR; lone surrogates; U+FFFE and U+FFFF.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xlsx_text(value: str) -> str:
    """Text as a workbook cell can hold it: characters XML cannot carry dropped, and CR as the
    line feed an XML reader would turn it into anyway."""
    return _NOT_IN_XML.sub("", value).replace("\r\n", "\n").replace("\r", "\n")


PERCENT = "0.0%"
DATE_CELL = "yyyy-mm-dd hh:mm"


def add_sheet(
    book: Workbook,
    title: str,
    header: Sequence[str],
    rows: list[list[Any]],
    formats: Mapping[int, str] | None = None,
    widths: Mapping[int, int] | None = None,
) -> Worksheet:
    """A right-to-left sheet with a bold frozen header; `formats` and `widths` by 1-based
    column (columns without a width are fitted to their values)."""
    from openpyxl.styles import Alignment, Font

    sheet = book.create_sheet(title)
    sheet.sheet_view.rightToLeft = True
    _append(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        _append(sheet, row)
    for column, number_format in (formats or {}).items():
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            if isinstance(cell.value, datetime):
                cell.number_format = DATE_CELL
            elif cell.value is not None:
                cell.number_format = number_format
    workbook_layout.fit_columns(sheet, widths or {})
    sheet.freeze_panes = "A2"
    return sheet


def _append(sheet: Worksheet, values: Sequence[Any]) -> None:
    """One row, its text cells stored as text whatever they start with."""
    sheet.append([xlsx_text(v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            # openpyxl makes a formula of any text starting with "=".
            cell.data_type = "s"
            if cell.value.startswith(FORMULA_STARTS):
                cell.quotePrefix = True


def bar_chart(
    sheet: Worksheet, title: str, value_column: int, label_column: int, rows: int, anchor: str
) -> None:
    """A native Excel bar chart of a percent column against a label column."""
    from openpyxl.chart import BarChart, Reference

    if rows == 0:
        return
    chart = BarChart()
    chart.type = "col"
    chart.title = title
    chart.y_axis.title = texts.CHART_PERCENT_AXIS
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    chart.y_axis.number_format = "0%"
    chart.legend = None
    chart.height, chart.width = 9, 22
    workbook_layout.right_to_left(chart)
    values = Reference(sheet, min_col=value_column, min_row=1, max_row=rows + 1)
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=label_column, min_row=2, max_row=rows + 1))
    sheet.add_chart(chart, anchor)


# Excel refuses these in sheet names, and names over 31 characters.
_NOT_IN_SHEET_NAME = re.compile(r"[\\/*?:\[\]]")
SHEET_NAME_LIMIT = 31


def sheet_name(title: str, taken: Collection[str]) -> str:
    """A paragraph sheet's name for an article: Excel-safe, at most 31 characters, and unique
    among `taken` (a number is added when two titles cut to the same name)."""
    base = texts.SHEET_PARAGRAPHS_OF.format(title=_NOT_IN_SHEET_NAME.sub("", title).strip())
    base = base[:SHEET_NAME_LIMIT].rstrip()
    name, n = base, 1
    while name in taken:
        n += 1
        suffix = f" {n}"
        name = base[: SHEET_NAME_LIMIT - len(suffix)].rstrip() + suffix
    return name
