"""The cells of a class's records, shared by the CSV files and the workbook: one row per
result, per answer and per reviewed item, with bank titles, answer texts and local dates."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo
from itertools import groupby
from pathlib import Path
from typing import Any

from bot import dates, texts
from bot.render import option_text
from quizzes.analysis import ClassData, ResultRow, student_summaries
from quizzes.model import Bank, Question
from quizzes.review import ReviewRow

RESULT_HEADER = (*texts.RESULT_COLUMNS, texts.RESULT_CHANGED_COLUMN)


def number(value: float) -> int | float:
    """Whole numbers without a trailing .0 (scores are mostly whole)."""
    return int(value) if float(value).is_integer() else value


def bank_title(banks: Mapping[str, Bank], bank_id: str) -> str:
    """The bank's title, or its id once the bank is no longer loaded."""
    bank = banks.get(bank_id)
    return bank.title if bank else bank_id


def find_question(banks: Mapping[str, Bank], bank_id: str, question_id: str) -> Question | None:
    """The question as the bank holds it now; None when the bank or the question is gone."""
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


def student_rows(data: ClassData, tz: tzinfo) -> list[list[Any]]:
    """One row per student of the roster or the results, with their sessions, average and best
    share (as fractions, for a percent format), minutes spent and last date."""
    return [
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
        for s in student_summaries(data.results, data.roster)
    ]


def _who_and_what(r: ResultRow, banks: Mapping[str, Bank], tz: tzinfo) -> list[Any]:
    """The cells a results row and an answers row begin with: the student, then the bank, the
    kind and the date of what they took."""
    assert r.student is not None
    return [
        r.student.name,
        r.student.username or "",
        r.student.user_id,
        bank_title(banks, r.bank_id),
        texts.KIND_LABELS[r.kind.value],
        dates.local(r.date, tz),
    ]


def result_rows(data: ClassData, banks: Mapping[str, Bank], tz: tzinfo) -> list[list[Any]]:
    """One row per identified student per session or homework (forgotten students excluded)."""
    rows = []
    for r in data.results:
        if r.student is None:
            continue
        rows.append(
            [
                *_who_and_what(r, banks, tz),
                number(r.score),
                r.out_of,
                round(r.percent, 1) if r.graded else None,
                r.seconds,
                *_changed_cell(r, banks),
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
        question = find_question(banks, r.bank_id, a.question_id)
        correct = "" if a.correct is None else (texts.YES if a.correct else texts.NO)
        rows.append(
            [
                *_who_and_what(r, banks, tz),
                a.question_id,
                question.prompt if question else "",
                answer_text(question, a.choice, a.raw_text),
                correct,
                number(a.score) if a.correct is not None else None,
                number(round(a.latency_ms / 1000, 1)),
            ]
        )
    return rows


def _changed_cell(row: ResultRow, banks: Mapping[str, Bank]) -> list[str]:
    return [texts.YES if row.changed(banks) else ""]


def bank_file(bank: Bank) -> str:
    """The bank's file name as the teacher sees it in the banks folder."""
    return Path(bank.source).name if bank.source else bank.id


def _right(rows: list[ReviewRow], sighting: int) -> str:
    for row in rows:
        if row.sighting == sighting:
            return texts.YES if row.correct else texts.NO
    return ""


def review_rows(rows: list[ReviewRow], banks: Mapping[str, Bank], tz: tzinfo) -> list[list[Any]]:
    out = []
    for (_, user_id, bank_id, question_id), group in groupby(
        rows, key=lambda r: (r.name, r.user_id, r.bank_id, r.question_id)
    ):
        done = list(group)
        bank = banks.get(bank_id)
        known = bank is not None and any(q.id == question_id for q in bank.questions)
        out.append(
            [
                done[0].name,
                user_id,
                bank.title if bank else bank_id,
                question_id,
                bank.question(question_id).prompt if known else "",
                len(done),
                _right(done, 2),
                _right(done, 3),
                dates.local(max(r.answered_at for r in done), tz),
            ]
        )
    return out
