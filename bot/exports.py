"""A class's results as files: two CSVs (UTF-8 with BOM) and an XLSX workbook.

`collect()` gathers a class's rows from storage (homework attempts and live sessions); the
builders are synchronous and pure over ClassData, so the bot runs them in a thread and the
CLI calls them directly. Names and answers are written as typed, and never run as formulas:

- CSV, as OWASP advises against CSV injection: a text cell starting with = + - @ tab or CR
  gets a leading apostrophe, and every text cell is quoted (so a ; in a name cannot start a
  cell where a spreadsheet splits on ;).
- XLSX: text is stored as text (a string cell is never a formula, so no apostrophe is needed
  and none shows), with Excel's quote prefix on the formula-like ones so that editing the cell
  keeps it text. XML cannot hold most control characters: they are dropped from the cell,
  instead of making the whole workbook fail.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot import dates, export_stats, texts, workbook_layout
from bot.render import option_text
from quizzes.analysis import (
    AnswerRow,
    ClassData,
    ItemStats,
    discussion_answers,
    item_analysis,
    paragraph_stats,
    rows_from_attempts,
    rows_from_live,
    student_summaries,
)
from quizzes.article import Article
from quizzes.model import Bank, Question
from quizzes.reliability import Attempts, bank_stats, select
from storage.repository import Repository

# openpyxl is imported where a workbook is built, in the export's worker thread: the bot
# then does not carry its memory, nor stall the event loop loading it, until a teacher exports.
if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_ENCODING = "utf-8-sig"  # the BOM makes Excel read the file as UTF-8 (Arabic intact)
EXCERPT = 80
# What XML 1.0 cannot hold: C0 controls but tab, LF and CR; lone surrogates; U+FFFE and U+FFFF.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def number(value: float) -> int | float:
    """Whole numbers without a trailing .0 (scores are mostly whole)."""
    return int(value) if float(value).is_integer() else value


def neutralize(value: Any) -> Any:
    """For CSV: prefix text that a spreadsheet would run as a formula with a single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def xlsx_text(value: str) -> str:
    """Text as a workbook cell can hold it: characters XML cannot carry dropped, and CR as the
    line feed an XML reader would turn it into anyway."""
    return _NOT_IN_XML.sub("", value).replace("\r\n", "\n").replace("\r", "\n")


async def collect(
    repo: Repository,
    chat_id: int,
    banks: Mapping[str, Bank],
    teachers: Collection[int] = (),
) -> ClassData:
    """Every result of a class: homework attempts and ended live sessions, oldest first.

    `teachers` are left out of the roster (they are in the group, but not students)."""
    info = await repo.get_class(chat_id)
    results, answers = rows_from_attempts(await repo.class_attempts(chat_id), banks)
    live_results, live_answers = rows_from_live(
        await repo.live_results(chat_id=chat_id), await repo.live_answer_rows(chat_id=chat_id)
    )
    results += [r for r in live_results if r.bank_id in banks]
    answers += [a for a in live_answers if a.result.bank_id in banks]
    return ClassData(
        chat_id=chat_id,
        title=info.title if info else str(chat_id),
        roster=tuple(m for m in await repo.roster(chat_id) if m.user_id not in teachers),
        results=tuple(sorted(results, key=lambda r: (r.date, r.key))),
        answers=tuple(sorted(answers, key=lambda a: (a.result.date, a.result.key, a.answered_at))),
    )


# --- cells -----------------------------------------------------------------------------------


def _bank_title(banks: Mapping[str, Bank], bank_id: str) -> str:
    bank = banks.get(bank_id)
    return bank.title if bank else bank_id


def _question(banks: Mapping[str, Bank], bank_id: str, question_id: str) -> Question | None:
    bank = banks.get(bank_id)
    return next((q for q in bank.questions if q.id == question_id), None) if bank else None


def answer_text(question: Question | None, choice: str, raw_text: str | None) -> str:
    """What the student answered: option texts for choices, their own words for typed ones."""
    if question is not None and question.is_choice and choice:
        labels = []
        for key in choice.split(","):
            try:
                labels.append(option_text(question, question.option(key)))
            except KeyError:
                labels.append(key)
        return " | ".join(labels)
    return raw_text or ""


def result_rows(data: ClassData, banks: Mapping[str, Bank], tz: tzinfo) -> list[list[Any]]:
    """One row per identified student per session or homework (forgotten students excluded)."""
    rows = []
    for r in data.results:
        if r.student is None:
            continue
        rows.append(
            [
                r.student.name,
                r.student.username or "",
                r.student.user_id,
                _bank_title(banks, r.bank_id),
                texts.KIND_LABELS[r.kind.value],
                dates.local(r.date, tz),
                number(r.score),
                r.out_of,
                round(r.percent, 1) if r.graded else None,
                r.seconds,
            ]
        )
    return rows


def answer_rows(data: ClassData, banks: Mapping[str, Bank], tz: tzinfo) -> list[list[Any]]:
    """One row per answer of an identified student."""
    rows = []
    for a in data.answers:
        r = a.result
        if r.student is None:
            continue
        question = _question(banks, r.bank_id, a.question_id)
        correct = "" if a.correct is None else (texts.YES if a.correct else texts.NO)
        rows.append(
            [
                r.student.name,
                r.student.username or "",
                r.student.user_id,
                _bank_title(banks, r.bank_id),
                texts.KIND_LABELS[r.kind.value],
                dates.local(r.date, tz),
                a.question_id,
                question.prompt if question else "",
                answer_text(question, a.choice, a.raw_text),
                correct,
                number(a.score) if a.correct is not None else None,
                number(round(a.latency_ms / 1000, 1)),
            ]
        )
    return rows


# --- CSV -------------------------------------------------------------------------------------


def _csv(header: Sequence[str], rows: list[list[Any]]) -> bytes:
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
    return _csv(texts.RESULT_COLUMNS, result_rows(data, banks, tz))


def answers_csv(data: ClassData, banks: Mapping[str, Bank], tz: tzinfo) -> bytes:
    return _csv(texts.ANSWER_COLUMNS, answer_rows(data, banks, tz))


# --- XLSX ------------------------------------------------------------------------------------

PERCENT = "0.0%"
DATE_CELL = "yyyy-mm-dd hh:mm"


def _sheet(
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


def _bar_chart(
    sheet: Worksheet, title: str, value_column: int, label_column: int, rows: int, anchor: str
) -> None:
    """A native Excel bar chart of a percent column against a label column."""
    if rows == 0:
        return
    from openpyxl.chart import BarChart, Reference

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


def _wrong_answer(item: ItemStats, banks: Mapping[str, Bank]) -> str:
    question = banks[item.bank_id].question(item.question_id)
    if item.wrong_answer is None:
        return ""
    if question.is_choice:
        return answer_text(question, item.wrong_answer, None)
    return item.wrong_answer


def question_rows(items: Sequence[ItemStats], banks: Mapping[str, Bank]) -> list[list[Any]]:
    rows = []
    for item in items:
        question = banks[item.bank_id].question(item.question_id)
        rows.append(
            [
                banks[item.bank_id].title,
                item.number,
                item.question_id,
                question.prompt,
                "، ".join(str(p) for p in question.paragraphs),
                item.answered,
                item.facility,
                None if item.discrimination is None else round(item.discrimination, 2),
                _wrong_answer(item, banks),
                item.wrong_count or None,
                item.misconception or "",
            ]
        )
    return rows


def workbook(
    data: ClassData,
    banks: Mapping[str, Bank],
    article: Article,
    tz: tzinfo,
    attempts: Attempts = Attempts.FIRST,
) -> bytes:
    """The teacher's workbook: students, results, questions, paragraphs, discussion, charts.

    The results and answers sheets hold every attempt; the item statistics (questions,
    paragraphs, reliability) count the `attempts` chosen, as the reliability sheet says."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    summaries = student_summaries(data.results, data.roster)
    _sheet(
        book,
        texts.SHEET_STUDENTS,
        texts.STUDENT_COLUMNS,
        [
            [
                s.student.name,
                s.student.username or "",
                s.student.user_id,
                s.sessions,
                None if s.average_percent is None else s.average_percent / 100,
                None if s.best_percent is None else s.best_percent / 100,
                round(s.total_seconds / 60, 1),
                None if s.last_date is None else dates.local(s.last_date, tz),
            ]
            for s in summaries
        ],
        formats={5: PERCENT, 6: PERCENT, 8: DATE_CELL},
        widths={1: 24},
    )
    _sheet(
        book,
        texts.SHEET_RESULTS,
        texts.RESULT_COLUMNS,
        [
            row[:8] + [None if row[8] is None else row[8] / 100] + row[9:]
            for row in result_rows(data, banks, tz)
        ],
        formats={6: DATE_CELL, 9: PERCENT},
        widths={1: 24, 4: 22},
    )
    chosen, chosen_answers = select(data.results, data.answers, attempts)
    items = item_analysis(chosen_answers, banks)
    reliability = bank_stats(chosen, chosen_answers, banks)
    questions = _sheet(
        book,
        texts.SHEET_QUESTIONS,
        texts.QUESTION_COLUMNS,
        question_rows(items, banks),
        formats={7: PERCENT, 8: "0.00"},
        widths={1: 20, 4: 50, 9: 30, 11: 50},
    )
    export_stats.item_rest_columns(questions, items, reliability)
    _bar_chart(questions, texts.CHART_QUESTIONS_TITLE, 7, 3, len(items), "O2")
    paragraphs = paragraph_stats(items, banks, len(article.paragraphs))
    paragraph_sheet = _sheet(
        book,
        texts.SHEET_PARAGRAPHS,
        texts.PARAGRAPH_COLUMNS,
        [
            [
                p.paragraph,
                _excerpt(article, p.paragraph),
                p.questions,
                p.answered,
                p.facility,
            ]
            for p in paragraphs
        ],
        formats={5: PERCENT},
        widths={2: 60},
    )
    _bar_chart(paragraph_sheet, texts.CHART_PARAGRAPHS_TITLE, 5, 1, len(paragraphs), "G2")
    _sheet(
        book,
        texts.SHEET_DISCUSSION,
        texts.DISCUSSION_COLUMNS,
        [
            [
                a.result.student.name,
                a.result.student.username or "",
                _bank_title(banks, a.result.bank_id),
                _prompt(banks, a),
                a.raw_text,
                dates.local(a.answered_at, tz),
            ]
            for a in discussion_answers(data.answers, banks)
            if a.result.student is not None
        ],
        formats={6: DATE_CELL},
        widths={1: 24, 4: 50, 5: 80},
    )
    export_stats.statistics_sheet(book, reliability, banks, attempts)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _excerpt(article: Article, number: int) -> str:
    if not 1 <= number <= len(article.paragraphs):
        return ""
    text = article.paragraph(number)
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def _prompt(banks: Mapping[str, Bank], answer: AnswerRow) -> str:
    question = _question(banks, answer.result.bank_id, answer.question_id)
    return question.prompt if question else answer.question_id


@dataclass(frozen=True)
class ExportFile:
    """A file to send or write: its name, bytes and Arabic caption template."""

    name: str
    content: bytes
    caption: str


def export_files(
    data: ClassData,
    banks: Mapping[str, Bank],
    article: Article,
    tz: tzinfo,
    formats: Sequence[str] = ("csv", "xlsx"),
    attempts: Attempts = Attempts.FIRST,
) -> list[ExportFile]:
    """The files of one class export, in the order they are sent."""
    stem = f"class{data.chat_id}"
    files = []
    if "csv" in formats:
        files.append(
            ExportFile(
                f"{stem}-results.csv", results_csv(data, banks, tz), texts.EXPORT_CAPTION_RESULTS
            )
        )
        files.append(
            ExportFile(
                f"{stem}-answers.csv", answers_csv(data, banks, tz), texts.EXPORT_CAPTION_ANSWERS
            )
        )
    if "xlsx" in formats:
        files.append(
            ExportFile(
                f"{stem}.xlsx",
                workbook(data, banks, article, tz, attempts),
                texts.EXPORT_CAPTION_WORKBOOK,
            )
        )
    return files


# --- writing to disk (quizbot export) --------------------------------------------------------


class UnknownClass(LookupError):
    """No group chat with that id in the database."""


def answers_path(path: Path) -> Path:
    """Where the answers CSV goes beside a results CSV: results.csv -> results-answers.csv."""
    return path.with_name(f"{path.stem}-answers{path.suffix or '.csv'}")


@dataclass(frozen=True)
class Written:
    """One class written to disk, for the operator's summary line."""

    chat_id: int
    title: str
    results: int
    paths: tuple[Path, ...]


async def gather(
    repo: Repository,
    banks: Mapping[str, Bank],
    chat_id: int | None,
    teachers: Collection[int] = (),
) -> list[ClassData]:
    """One class (raises UnknownClass if the id is no group the bot knows), or every class."""
    if chat_id is not None:
        if await repo.get_class(chat_id) is None:
            known = ", ".join(str(c.chat_id) for c in await repo.known_classes()) or "none"
            raise UnknownClass(f"no class (group chat) with id {chat_id}; known: {known}")
        ids = [chat_id]
    else:
        ids = [c.chat_id for c in await repo.known_classes()]
    return [await collect(repo, i, banks, teachers) for i in ids]


def write_to_disk(
    classes: Sequence[ClassData],
    banks: Mapping[str, Bank],
    article: Article,
    tz: tzinfo,
    *,
    fmt: str,
    out: Path,
    directory: bool,
    attempts: Attempts = Attempts.FIRST,
) -> list[Written]:
    """`quizbot export`: one class to the file `out`, or (directory) each class into the
    directory `out`, named as the bot names the files it sends. CSV writes two files: the
    results at the path, the answers beside it with an -answers suffix."""
    written = []
    for data in classes:
        if directory:
            name = (
                f"class{data.chat_id}-results.csv" if fmt == "csv" else f"class{data.chat_id}.xlsx"
            )
            path = out / name
        else:
            path = out
        path.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "csv":
            path.write_bytes(results_csv(data, banks, tz))
            answers_path(path).write_bytes(answers_csv(data, banks, tz))
            paths: tuple[Path, ...] = (path, answers_path(path))
        else:
            path.write_bytes(workbook(data, banks, article, tz, attempts))
            paths = (path,)
        written.append(Written(data.chat_id, data.title, len(data.results), paths))
    return written
