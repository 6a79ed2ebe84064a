"""A class of twelve for the workbook's layout and statistics: طالب1 … طالب12 (a few with
Arabic-Indic digits), five questions of the facts bank as homework, then a retake by everyone,
and long discussion responses. Built in memory (no storage): the rows are what collect() makes.

`python -m tests.stats_support out.xlsx` writes the workbook, to open or render by eye.
"""

from __future__ import annotations

import random
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app import load_content
from bot.formatting import Formatter
from quizzes.analysis import ClassAttempt, ClassData, Member, rows_from_attempts
from quizzes.article import Article
from quizzes.attempt import AnswerRecord, Attempt, AttemptStatus
from quizzes.model import Bank
from tests.harness import make_config

CLASS = -100777
T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
RIYADH = ZoneInfo("Asia/Riyadh")
QUESTIONS = ("f01", "f02", "f03", "f04", "f05")
# How many of the five each student gets right the first time (the first `n` questions).
RIGHT = {1: 5, 2: 4, 3: 4, 4: 3, 5: 3, 6: 3, 7: 2, 8: 2, 9: 2, 10: 1, 11: 1, 12: 0}
NAMES = {n: f"طالب{n}" for n in RIGHT} | {3: "طالب٣", 11: "طالب١١"}
LONG = (
    "أظن أن موقف موسكو لم يكن صمتًا بل حسابًا بعيد المدى، فهي تراقب ما يجري وتنتظر"
    " اللحظة التي تخدم مصالحها، ولهذا لم تعلن شيئًا في الأيام الأولى. "
)


def content() -> tuple[dict[str, Article], dict[str, Bank]]:
    return load_content(make_config(Path(tempfile.mkdtemp())))


def _wrong(bank: Bank, qid: str) -> str:
    question = bank.question(qid)
    return next(o.key for o in question.options if o.key not in question.answer)


def class_data(banks: dict[str, Bank], flawed: bool = False) -> ClassData:
    """`flawed`: f05 is got right the first time by the three weakest students instead of the
    strongest one, as a wrong key would make it."""
    facts, talk = banks["facts"], banks["discuss"]
    made: list[ClassAttempt] = []
    rng = random.Random(3)
    for n, right in RIGHT.items():
        member = Member(n, NAMES[n], None)
        for take, start in ((0, T0 + timedelta(minutes=n)), (1, T0 + timedelta(days=1, minutes=n))):
            attempt = Attempt(
                id=100 * take + n,
                user_id=n,
                chat_id=n,
                bank_id="facts",
                question_ids=QUESTIONS,
                option_orders=tuple(
                    tuple(o.key for o in facts.question(q).options) for q in QUESTIONS
                ),
                started_at=start,
                status=AttemptStatus.FINISHED,
                finished_at=start + timedelta(seconds=120),
                class_chat_id=CLASS,
            )
            answers = []
            for i, qid in enumerate(QUESTIONS):
                ok = take == 1 or (right <= 1 if flawed and qid == "f05" else i < right)
                choice = next(iter(facts.question(qid).answer)) if ok else _wrong(facts, qid)
                answers.append(
                    AnswerRecord(
                        attempt.id, qid, choice, ok, float(ok), start, rng.randint(2000, 9000)
                    )
                )
            made.append(ClassAttempt(attempt, 1 + take, member, tuple(answers)))
        if n <= 4:
            start = T0 + timedelta(hours=2, minutes=n)
            attempt = Attempt(
                id=1000 + n,
                user_id=n,
                chat_id=n,
                bank_id="discuss",
                question_ids=("d01",),
                option_orders=((),),
                started_at=start,
                status=AttemptStatus.FINISHED,
                finished_at=start + timedelta(seconds=300),
                class_chat_id=CLASS,
            )
            text = LONG * n
            made.append(
                ClassAttempt(
                    attempt,
                    9,
                    member,
                    (AnswerRecord(attempt.id, "d01", "", None, 0.0, start, 9000, text),),
                )
            )
    results, answers = rows_from_attempts(made, {"facts": facts, "discuss": talk})
    return ClassData(
        chat_id=CLASS,
        title="الصف التاسع",
        roster=(),
        results=tuple(sorted(results, key=lambda r: (r.date, r.key))),
        answers=tuple(answers),
    )


if __name__ == "__main__":
    from bot.reports.xlsx import workbook

    articles, banks = content()
    Path(sys.argv[1]).write_bytes(workbook(Formatter(), class_data(banks), banks, articles, RIYADH))
