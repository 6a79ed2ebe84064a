"""Item analysis, paragraph analysis, class statistics and homework deadlines: pure, by hand.

The class below has ten students and three scored questions. Every expected number in
EXPECTED was worked out on paper from the table in `ANSWERS` (see the comments).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from quizzes.analysis import (
    AnswerRow,
    ClassAttempt,
    Member,
    ResultRow,
    SessionKind,
    class_stats,
    discrimination,
    discussion_answers,
    group_size,
    item_analysis,
    latest_session,
    paragraph_stats,
    rows_from_attempts,
    student_summaries,
)
from quizzes.article import Passage
from quizzes.attempt import AnswerRecord, Attempt, AttemptStatus
from quizzes.homework import BadDeadline, DeadlineProblem, parse_deadline, progress
from quizzes.model import Bank, Citation, Option, Question, QuestionType

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def cite(paragraph: int) -> Citation:
    return Citation(paragraph, "x", Passage(paragraph, 0, 1, "x"))


BANK = Bank(
    id="t",
    title="اختبار",
    description="",
    article_id="a",
    article_sha256="",
    level=1,
    questions=(
        Question(
            id="q1",
            type=QuestionType.SINGLE,
            prompt="سؤال ١",
            explanation="",
            citations=(cite(1),),
            options=(
                Option("a", "أ", "ملاحظة أ"),
                Option("b", "ب"),
                Option("c", "ج", "ملاحظة ج"),
                Option("d", "د"),
            ),
            answer=frozenset({"b"}),
        ),
        Question(
            id="q2",
            type=QuestionType.TRUE_FALSE,
            prompt="سؤال ٢",
            explanation="",
            citations=(cite(1), cite(2)),
            options=(Option("t", ""), Option("f", "")),
            answer=frozenset({"t"}),
        ),
        Question(
            id="q3",
            type=QuestionType.SHORT,
            prompt="سؤال ٣",
            explanation="",
            citations=(cite(3),),
            accepted=("نيويورك",),
        ),
        Question(
            id="q4",
            type=QuestionType.DISCUSSION,
            prompt="ناقش",
            explanation="",
            citations=(cite(2),),
        ),
    ),
)
BANKS = {"t": BANK}

# student: (q1 choice, q2 choice, q3 typed answer or None when correct, total of 3)
ANSWERS = {
    1: ("b", "t", None),  # 3
    2: ("b", "t", None),  # 3
    3: ("b", "f", None),  # 2  <- upper group (ties at 2 broken by key a3 < a4 < a5)
    4: ("a", "t", None),  # 2
    5: ("b", "t", "لندن"),  # 2
    6: ("c", "t", "لندن"),  # 1
    7: ("a", "f", None),  # 1
    8: ("a", "t", "باريس"),  # 1  <- lower group: students 8, 9, 10
    9: ("b", "f", "لندن "),  # 1
    10: ("a", "f", "باريس"),  # 0
}


def attempts() -> list[ClassAttempt]:
    built = []
    for student, (c1, c2, typed) in ANSWERS.items():
        started = T0 + timedelta(minutes=student)
        attempt = Attempt(
            id=student,
            user_id=student,
            chat_id=student,
            bank_id="t",
            question_ids=("q1", "q2", "q3", "q4"),
            option_orders=(("a", "b", "c", "d"), ("t", "f"), (), ()),
            started_at=started,
            status=AttemptStatus.FINISHED,
            finished_at=started + timedelta(seconds=100 + student),
            class_chat_id=-100,
        )
        at = started + timedelta(seconds=10)
        answers = (
            AnswerRecord(student, "q1", c1, c1 == "b", float(c1 == "b"), at, 1000),
            AnswerRecord(student, "q2", c2, c2 == "t", float(c2 == "t"), at, 1000),
            AnswerRecord(
                student, "q3", "", typed is None, float(typed is None), at, 1000, typed or "نيويورك"
            ),
            AnswerRecord(student, "q4", "", None, 0.0, at, 1000, f"رأيي رقم {student}"),
        )
        member = Member(student, f"طالب {student:02d}", None) if student != 10 else None
        built.append(ClassAttempt(attempt, 7, member, answers))
    return built


def rows() -> tuple[list[ResultRow], list[AnswerRow]]:
    return rows_from_attempts(attempts(), BANKS)


def test_result_rows_score_only_scored_questions() -> None:
    results, answers = rows()
    assert [r.score for r in results] == [3, 3, 2, 2, 2, 1, 1, 1, 1, 0]
    assert {r.out_of for r in results} == {3}
    first = results[0]
    assert (first.kind, first.session_id, first.key, first.seconds) == (
        SessionKind.HOMEWORK,
        7,
        "a1",
        101,
    )
    assert first.percent == 100.0
    assert len(answers) == 40
    assert results[-1].student is None


@pytest.mark.parametrize(
    ("takers", "size"),
    [(0, 0), (1, 0), (2, 1), (3, 1), (4, 1), (5, 1), (6, 2), (10, 3), (11, 3), (100, 27)],
)
def test_group_size_is_27_percent_rounded_half_up(takers: int, size: int) -> None:
    assert group_size(takers) == size


@pytest.mark.parametrize(
    ("ranked", "expected"),
    [
        ([True], None),
        ([True, False], 1.0),
        ([False, True], -1.0),
        ([True, True, True, True], 0.0),
        ([True, True, False, True, False, False], 1.0),
    ],
)
def test_discrimination(ranked: list[bool], expected: float | None) -> None:
    assert discrimination(ranked) == expected


# (question, answered, correct, facility, discrimination, wrong answer, its count, note)
# q1: correct 1,2,3,5,9 -> 5/10. Upper (1,2,3) 3/3, lower (8,9,10) 1/3: D = 2/3.
#     Wrong: a by 4,7,8,10 (4 times), c by 6 (once).
# q2: correct 1,2,4,5,6,8 -> 6/10. Upper 2/3 (3 wrong), lower 1/3 (8 right): D = 1/3.
# q3: correct 1,2,3,4,7 -> 5/10. Upper 3/3, lower 0/3: D = 1. «لندن» 3 times (one with a
#     trailing space: the same answer), «باريس» twice.
EXPECTED = [
    ("q1", 1, 10, 5, 0.5, 2 / 3, "a", 4, "ملاحظة أ"),
    ("q2", 2, 10, 6, 0.6, 1 / 3, "f", 4, None),
    ("q3", 3, 10, 5, 0.5, 1.0, "لندن", 3, None),
]


def test_item_analysis_matches_the_hand_computed_table() -> None:
    _, answers = rows()
    stats = item_analysis(answers, BANKS)
    got = [
        (
            s.question_id,
            s.number,
            s.answered,
            s.correct,
            s.facility,
            s.discrimination,
            s.wrong_answer,
            s.wrong_count,
            s.misconception,
        )
        for s in stats
    ]
    assert len(got) == len(EXPECTED)
    for actual, expected in zip(got, EXPECTED, strict=True):
        assert actual[:4] == expected[:4]
        assert actual[4] == pytest.approx(expected[4])
        assert actual[5] == pytest.approx(expected[5])
        assert actual[6:] == expected[6:]


def test_paragraph_stats_pool_the_questions_citing_each_paragraph() -> None:
    _, answers = rows()
    stats = paragraph_stats(item_analysis(answers, BANKS), BANKS, paragraph_count=4)
    # ¶1: q1 + q2 = 5 + 6 of 20. ¶2: q2 only (q4 is unscored). ¶3: q3. ¶4: nothing cites it.
    assert [(p.paragraph, p.questions, p.answered, p.correct) for p in stats] == [
        (1, 2, 20, 11),
        (2, 1, 10, 6),
        (3, 1, 10, 5),
        (4, 0, 0, 0),
    ]
    assert [p.facility for p in stats] == [0.55, 0.6, 0.5, None]


def test_student_summaries_and_class_stats() -> None:
    results, _ = rows()
    roster = [Member(1, "طالب 01"), Member(42, "غائب", "absent")]
    summaries = student_summaries(results, roster)
    # Nine identified students plus the absent one; the forgotten student 10 is nobody's.
    assert len(summaries) == 10
    by_id = {s.student.user_id: s for s in summaries}
    assert by_id[42].sessions == 0 and by_id[42].average_percent is None
    assert by_id[3].average_percent == pytest.approx(200 / 3)
    assert by_id[3].total_seconds == 103
    stats = class_stats(results, roster)
    assert (stats.members, stats.participants, stats.homework, stats.live, stats.results) == (
        10,
        9,
        1,
        0,
        10,
    )
    # Mean of 16 points out of 30 over ten rows, the forgotten student's included.
    assert stats.average_percent == pytest.approx(160 / 3)


def test_latest_session_and_discussion_answers() -> None:
    results, answers = rows()
    assert latest_session(results) == (SessionKind.HOMEWORK, 7)
    assert latest_session([]) is None
    responses = discussion_answers(answers, BANKS)
    assert [r.raw_text for r in responses] == [f"رأيي رقم {n}" for n in range(1, 10)]


NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3d", NOW + timedelta(days=3)),
        ("12h", NOW + timedelta(hours=12)),
        ("90m", NOW + timedelta(minutes=90)),
        ("٣ي", NOW + timedelta(days=3)),
        ("2 س", NOW + timedelta(hours=2)),
        ("2026-12-01", datetime(2026, 12, 1, 23, 59, tzinfo=UTC)),
        ("2026-12-01T18:00", datetime(2026, 12, 1, 18, 0, tzinfo=UTC)),
        ("2026-12-01 18:00", datetime(2026, 12, 1, 18, 0, tzinfo=UTC)),
        ("٢٠٢٦-١٢-٠١", datetime(2026, 12, 1, 23, 59, tzinfo=UTC)),
    ],
)
def test_deadline_formats(text: str, expected: datetime) -> None:
    assert parse_deadline(text, NOW) == expected


def test_deadline_is_read_in_the_teachers_time_zone() -> None:
    riyadh = ZoneInfo("Asia/Riyadh")  # UTC+3 all year
    assert parse_deadline("2026-12-01T18:00", NOW, riyadh) == datetime(
        2026, 12, 1, 15, 0, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("tomorrow", DeadlineProblem.FORMAT),
        ("", DeadlineProblem.FORMAT),
        ("2026-13-01", DeadlineProblem.FORMAT),
        ("3 weeks", DeadlineProblem.FORMAT),
        ("2026-11-19", DeadlineProblem.PAST),
        ("2026-11-20T09:59", DeadlineProblem.PAST),
        ("0h", DeadlineProblem.PAST),
        ("2028-01-01", DeadlineProblem.TOO_FAR),
        ("400d", DeadlineProblem.TOO_FAR),
    ],
)
def test_bad_deadlines(text: str, problem: DeadlineProblem) -> None:
    with pytest.raises(BadDeadline) as raised:
        parse_deadline(text, NOW)
    assert raised.value.problem is problem


def test_progress_keeps_roster_order() -> None:
    split = progress([5, 3, 9, 1], finished=[9, 5, 77])
    assert split.done == (5, 9) and split.pending == (3, 1)
