"""The workbook's test statistics: the reliability sheet and the item-rest columns.

Kept apart from bot/exports.py, which calls each piece from one line: the sheet of per-bank
mean, SD and Cronbach's alpha with Moodle's reading, the list of items that discriminate
negatively (by id and bank file, for the teacher to fix), and two columns beside the 27% index
on the questions sheet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot import texts, workbook_layout
from quizzes.analysis import ItemStats
from quizzes.model import Bank
from quizzes.reliability import MIN_TAKERS, Attempts, BankStats, corrected_by_item

# openpyxl is imported where a sheet is styled (bot/exports.py says why).
if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

PERCENT, RATIO = "0.0%", "0.00"


def bank_file(bank: Bank) -> str:
    """The bank's file name as the teacher sees it in the banks folder."""
    return Path(bank.source).name if bank.source else bank.id


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _reading(stats: BankStats) -> str:
    if not stats.meaningful:
        return texts.NOT_YET_MEANINGFUL.format(
            students=texts.count("student", stats.takers), minimum=texts.num(MIN_TAKERS)
        )
    if stats.reading is None:
        return texts.NO_ALPHA
    return texts.READING_LABELS[stats.reading.value]


def statistics_sheet(
    book: Workbook, stats: Sequence[BankStats], banks: Mapping[str, Bank], attempts: Attempts
) -> Worksheet:
    """One row per bank, then the negatively discriminating items; the first line says which
    attempts were counted."""
    from openpyxl.styles import Font

    sheet = book.create_sheet(texts.SHEET_STATISTICS)
    sheet.sheet_view.rightToLeft = True
    sheet.append(
        [texts.STATISTICS_ATTEMPTS_LINE.format(attempts=texts.ATTEMPTS_LABELS[attempts.value])]
    )
    sheet.append(list(texts.STATISTICS_COLUMNS))
    header_rows = [2]
    for s in stats:
        bank = banks[s.bank_id]
        sheet.append(
            [
                bank.title,
                bank_file(bank),
                s.takers,
                s.items,
                None if s.mean is None else s.mean / 100,
                None if s.sd is None else s.sd / 100,
                _r(s.alpha),
                _reading(s),
            ]
        )
        row = sheet[sheet.max_row]
        row[4].number_format = row[5].number_format = PERCENT
        row[6].number_format = RATIO
    sheet.append([])
    sheet.append(list(texts.FLAGGED_COLUMNS))
    header_rows.append(sheet.max_row)
    flagged = [(s, item) for s in stats for item in s.flagged]
    for s, item in flagged:
        bank = banks[s.bank_id]
        sheet.append(
            [
                bank.title,
                bank_file(bank),
                item.question_id,
                _r(item.corrected_r),
                texts.FLAG_NEGATIVE,
            ]
        )
        sheet[sheet.max_row][3].number_format = RATIO
    if not flagged:
        sheet.append([texts.STATISTICS_NO_FLAGS])
    for number in header_rows:
        for cell in sheet[number]:
            cell.font = Font(bold=True)
    sheet["A1"].font = Font(bold=True)
    # Row 1 is one sentence running across the columns: it is not wrapped into column A.
    workbook_layout.fit_columns(sheet, {1: 24, 2: 18, 5: 30, 6: 16, 7: 18, 8: 40}, first_row=2)
    return sheet


def item_rest_columns(
    sheet: Worksheet, items: Sequence[ItemStats], stats: Sequence[BankStats]
) -> None:
    """Two columns on the questions sheet (one row per item, in `items` order): the corrected
    item-total correlation, and a warning when it is negative."""
    from openpyxl.styles import Font

    by_item = corrected_by_item(stats)
    first = sheet.max_column + 1
    for offset, title in enumerate(texts.ITEM_REST_COLUMNS):
        cell = sheet.cell(row=1, column=first + offset, value=title)
        cell.font = Font(bold=True)
    for row, item in enumerate(items, start=2):
        found = by_item.get((item.bank_id, item.question_id))
        value: Any = None if found is None else _r(found.corrected_r)
        sheet.cell(row=row, column=first, value=value).number_format = RATIO
        if found is not None and found.negative:
            sheet.cell(row=row, column=first + 1, value=texts.FLAG_NEGATIVE)
    widths = {
        c: sheet.column_dimensions[sheet.cell(row=1, column=c).column_letter].width
        for c in range(1, first)
    }
    workbook_layout.fit_columns(sheet, {**widths, first: 18, first + 1: 30})
