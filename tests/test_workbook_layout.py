"""The workbook as a teacher opens it, checked through openpyxl (the LibreOffice rendering is
looked at by hand): natural sort, widths and wrapping, right-to-left charts, the reliability
sheet with its attempts switch and the flag on a negatively discriminating item.

The class is tests/stats_support.py: twelve students, five items, each student right on the
first `n` items the first time (n = 5 4 4 3 3 3 2 2 2 1 1 0), then everyone 5 of 5 on a retake.
By hand, first attempts: totals mean 30/12 = 2.5, sum of squares 98, variance (over n)
98/12 - 6.25 = 23/12; p = 11, 9, 6, 3, 1 twelfths, sum of pq = (11 + 27 + 36 + 27 + 11)/144
= 112/144. alpha = 5/4 * (1 - (112/144)/(23/12)) = 5/4 * 164/276 = 205/276 = 0.7428 (needs
checking). Mean 50%; SD with n - 1 sqrt((98 - 75)/11) = 1.44600 points = 28.920% of 5.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from bot import texts
from bot.formatting import Formatter
from bot.reports.xlsx import workbook
from quizzes.reliability import Attempts
from tests.stats_support import RIYADH, class_data, content

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


@pytest.fixture(scope="module")
def loaded():
    return content()


def _book(loaded, attempts: Attempts = Attempts.FIRST, flawed: bool = False):
    articles, banks = loaded
    raw = workbook(Formatter(), class_data(banks, flawed), banks, articles, RIYADH, attempts)
    return raw, load_workbook(io.BytesIO(raw))


def test_students_sort_with_numbers_read_as_numbers(loaded) -> None:
    _, book = _book(loaded)
    names = [row[0] for row in book[texts.SHEET_STUDENTS].iter_rows(min_row=2, values_only=True)]
    assert names == [
        "طالب1",
        "طالب2",
        "طالب٣",
        "طالب4",
        "طالب5",
        "طالب6",
        "طالب7",
        "طالب8",
        "طالب9",
        "طالب10",
        "طالب١١",
        "طالب12",
    ]


def test_long_texts_wrap_in_wide_columns_with_rows_tall_enough(loaded) -> None:
    _, book = _book(loaded)
    sheet = book[texts.SHEET_DISCUSSION]
    assert sheet.column_dimensions["E"].width == 80
    heights = []
    for row in range(2, sheet.max_row + 1):
        cell = sheet.cell(row=row, column=5)
        assert cell.alignment.wrap_text and cell.alignment.vertical == "top"
        heights.append(sheet.row_dimensions[row].height)
    # Responses of 1, 2, 3 and 4 times the same 150 letters: each row taller than the last.
    assert heights == sorted(heights) and len(set(heights)) == 4 and heights[0] >= 30
    # Numbers sit at the top too, level with the text beside them; nothing is left at the
    # default width when its values are longer.
    questions = book[texts.SHEET_QUESTIONS]
    assert questions["F2"].alignment.vertical == "top" and not questions["F2"].alignment.wrap_text
    assert questions.column_dimensions["D"].width == 50
    results = book[texts.SHEET_RESULTS]
    assert results.column_dimensions["F"].width >= 17  # dates fit
    for sheet in book.worksheets:
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage


def test_native_charts_read_right_to_left(loaded) -> None:
    raw, _ = _book(loaded)
    archive = zipfile.ZipFile(io.BytesIO(raw))
    charts = sorted(n for n in archive.namelist() if n.startswith("xl/charts/chart"))
    assert len(charts) == 2
    for name in charts:
        root = ElementTree.fromstring(archive.read(name))
        category, value = root.find(f".//{C}catAx"), root.find(f".//{C}valAx")

        def val(axis: ElementTree.Element, path: str) -> str:
            return axis.find(path.replace("c:", C)).get("val")

        assert val(category, "c:scaling/c:orientation") == "maxMin"
        assert val(value, "c:scaling/c:orientation") == "minMax"  # 0% at the bottom, as usual
        assert val(value, "c:crosses") == "min"  # at the first category: the right edge
        assert val(category, "c:delete") == val(value, "c:delete") == "0"


def test_reliability_sheet_from_first_attempts(loaded) -> None:
    _, book = _book(loaded)
    rows = list(book[texts.SHEET_STATISTICS].iter_rows(values_only=True))
    assert rows[0][0] == "المحاولات المحتسبة في إحصاءات الأسئلة: المحاولة الأولى لكل طالب"
    assert list(rows[1]) == list(texts.STATISTICS_COLUMNS)
    title, file, takers, items, mean, sd, alpha, reading = rows[2]
    assert (title, file, takers, items) == ("الوقائع الأساسية", "01_facts.yaml", 12, 5)
    assert mean == pytest.approx(0.5)
    assert sd == pytest.approx(0.2892, abs=1e-4) and alpha == round(205 / 276, 2) == 0.74
    assert reading == texts.READING_LABELS["needs_checking"]
    assert rows[-1][0] == texts.STATISTICS_NO_FLAGS
    # The questions sheet counts first attempts too: f05 right for student 1 only.
    questions = list(book[texts.SHEET_QUESTIONS].iter_rows(min_row=2, values_only=True))
    assert [(q[2], q[5], q[6]) for q in questions][-1] == ("f05", 12, pytest.approx(1 / 12))


def test_every_attempt_on_request_and_the_sheet_says_so(loaded) -> None:
    _, book = _book(loaded, Attempts.ALL)
    rows = list(book[texts.SHEET_STATISTICS].iter_rows(values_only=True))
    assert rows[0][0].endswith(texts.ATTEMPTS_LABELS["all"])
    assert rows[2][2] == 24  # twelve first attempts and twelve retakes
    questions = list(book[texts.SHEET_QUESTIONS].iter_rows(min_row=2, values_only=True))
    assert questions[-1][5:7] == (24, pytest.approx(13 / 24))


def test_a_flawed_key_is_flagged_by_id_and_file(loaded) -> None:
    _, book = _book(loaded, flawed=True)
    rows = list(book[texts.SHEET_STATISTICS].iter_rows(values_only=True))
    flagged = [r for r in rows if r[2] == "f05"]
    assert len(flagged) == 1
    title, file, qid, r, note = flagged[0][:5]
    assert (file, note) == ("01_facts.yaml", texts.FLAG_NEGATIVE) and r < 0
    sheet = book[texts.SHEET_QUESTIONS]
    header = [c.value for c in sheet[1]]
    flag_column = header.index(texts.ITEM_REST_COLUMNS[1])
    notes = {row[2]: row[flag_column] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert notes == {"f01": None, "f02": None, "f03": None, "f04": None, "f05": FLAG}


FLAG = texts.FLAG_NEGATIVE
