"""The teacher's review sheet: per student and item, the reviews done and whether the item was
right on its second and third sighting (the attempt's miss being the first)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo
from itertools import groupby
from typing import Any

from bot import dates, texts
from quizzes.model import Bank
from quizzes.review import ReviewRow


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
