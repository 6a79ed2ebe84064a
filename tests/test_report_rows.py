"""The students sheet's cells, from ClassData built by hand: each student's average and best
share differ once they have two graded results, and a roster member with none has blanks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.reports.rows import student_rows
from quizzes.analysis import ClassData, Member, ResultRow, SessionKind

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
RIYADH = ZoneInfo("Asia/Riyadh")
LAYLA, OMAR = Member(1, "ليلى", "layla"), Member(2, "عمر")


def _result(key: str, student: Member, score: float, out_of: int, hours: int) -> ResultRow:
    return ResultRow(
        key=key,
        class_chat_id=-100,
        kind=SessionKind.HOMEWORK,
        session_id=hours,
        bank_id="facts",
        student=student,
        date=T0 + timedelta(hours=hours),
        score=score,
        out_of=out_of,
        seconds=90,
    )


def test_student_rows_give_the_average_and_the_best_share_apart() -> None:
    data = ClassData(
        chat_id=-100,
        title="الصف",
        roster=(LAYLA, OMAR),
        results=(
            _result("a", LAYLA, 1, 2, 0),
            _result("b", LAYLA, 2, 2, 1),
            _result("c", LAYLA, 0, 0, 2),  # discussion only: a session, not a share
        ),
        answers=(),
    )
    assert student_rows(data, RIYADH) == [
        ["عمر", "", 2, 0, None, None, 0.0, None],
        ["ليلى", "layla", 1, 3, 0.75, 1.0, 4.5, datetime(2026, 11, 20, 15, 0)],
    ]
