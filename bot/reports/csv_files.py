"""A class's results as CSV files: UTF-8 with a BOM, so that Excel reads the Arabic intact.

Names and answers are written as typed, and never run as formulas, as OWASP advises against
CSV injection: a text cell starting with = + - @ tab or CR gets a leading apostrophe, and every
text cell is quoted (so a ; in a name cannot start a cell where a spreadsheet splits on ;).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo
from typing import Any

from bot import dates, texts
from bot.reports.rows import RESULT_HEADER, answer_rows, result_rows, review_rows
from quizzes.analysis import ClassData
from quizzes.model import Bank

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_ENCODING = "utf-8-sig"  # the BOM makes Excel read the file as UTF-8 (Arabic intact)


def neutralize(value: Any) -> Any:
    """For CSV: prefix text that a spreadsheet would run as a formula with a single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(header: Sequence[str], rows: list[list[Any]]) -> bytes:
    """A table as CSV bytes: a header, every text cell quoted and guarded, dates as text."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [
                neutralize(v.strftime(dates.DATE_FORMAT) if isinstance(v, datetime) else v)
                for v in row
            ]
        )
    return out.getvalue().encode(CSV_ENCODING)


def results_csv(data: ClassData, banks: Mapping[str, Bank], tz: tzinfo) -> bytes:
    return csv_bytes(RESULT_HEADER, result_rows(data, banks, tz))


def answers_csv(data: ClassData, banks: Mapping[str, Bank], tz: tzinfo) -> bytes:
    return csv_bytes(texts.ANSWER_COLUMNS, answer_rows(data, banks, tz))


def reviews_csv(data: ClassData, banks: Mapping[str, Bank], tz: tzinfo) -> bytes:
    return csv_bytes(texts.REVIEW_COLUMNS, review_rows(list(data.reviews), banks, tz))
