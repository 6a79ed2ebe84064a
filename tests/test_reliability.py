"""First attempts, score spread, Cronbach's alpha and the corrected item-total r, by hand.

Two classes of ten students. Every expected figure below was worked out on paper from the
score tables in the comments (sums of squares written out), not with the code under test.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from quizzes.analysis import AnswerRow, ResultRow, SessionKind, item_analysis
from quizzes.model import Bank, Question, QuestionType
from quizzes.reliability import (
    MIN_TAKERS,
    Attempts,
    Reading,
    bank_stats,
    cronbach_alpha,
    item_rest,
    reading,
    select,
)
from tests.test_analysis import BANKS, T0, cite, rows

# --- class 1: the ten students of tests/test_analysis.py, three right/wrong items ------------
#
#  student  q1 q2 q3  total      total - mean (1.6)   squared
#     1      1  1  1    3            1.4              1.96
#     2      1  1  1    3            1.4              1.96
#     3      1  0  1    2            0.4              0.16
#     4      0  1  1    2            0.4              0.16
#     5      1  1  0    2            0.4              0.16
#     6      0  1  0    1           -0.6              0.36
#     7      0  0  1    1           -0.6              0.36
#     8      0  1  0    1           -0.6              0.36
#     9      1  0  0    1           -0.6              0.36
#    10      0  0  0    0           -1.6              2.56
#                                       sum of squares 8.40
#
# Variance of totals (over n) 8.4/10 = 0.84. p = 0.5, 0.6, 0.5; sum of pq = .25+.24+.25 = .74.
# KR-20 = 3/2 * (1 - .74/.84) = 1.5 * .10/.84 = 5/28 = 0.1786: unsatisfactory (< 0.64).
# Mean 16/30 = 53.33%. SD with n - 1: sqrt(8.4/9) = 0.96609 points = 32.203% of 3.
#
# Corrected r of q1: rest = total - q1 = 2 2 1 2 1 1 1 1 0 0 (mean 1.1).
#   sum (x - .5)(rest - 1.1) = .45+.45-.05-.45-.05+.05+.05+.05-.55+.55 = 0.5
#   sum (x - .5)^2 = 2.5; sum (rest - 1.1)^2 = 3(.81) + 5(.01) + 2(1.21) = 4.9
#   r = 0.5 / sqrt(2.5 * 4.9) = 0.5 / 3.5 = 1/7.
# q2: rest = 2 2 2 1 1 0 1 0 1 0 (mean 1); sum (x - .6)(rest - 1) = .4+.4-.6-.4-.4+.6 = 0: r = 0.
# q3: rest = 2 2 1 1 2 1 0 1 1 0 (mean 1.1); the products sum to 0.5 again, and
#   sum (rest - 1.1)^2 = 4.9: r = 1/7.
CLASS1 = {"mean": 160 / 3, "sd": 100 * (8.4 / 9) ** 0.5 / 3, "alpha": 5 / 28}
CLASS1_R = {"q1": 1 / 7, "q2": 0.0, "q3": 1 / 7}


def test_class1_by_hand() -> None:
    results, answers = rows()
    (stats,) = bank_stats(results, answers, BANKS)
    assert (stats.bank_id, stats.takers, stats.items, stats.meaningful) == ("t", 10, 3, True)
    assert stats.mean == pytest.approx(CLASS1["mean"])
    assert stats.sd == pytest.approx(CLASS1["sd"]) == pytest.approx(32.203, abs=1e-3)
    assert stats.alpha == pytest.approx(CLASS1["alpha"])
    assert stats.reading is Reading.UNSATISFACTORY
    got = {i.question_id: i.corrected_r for i in stats.item_stats}
    assert got == pytest.approx(CLASS1_R)
    assert stats.flagged == ()  # r = 0 is no evidence of a flawed key


# --- class 2: four items, one with half credit, one with a flawed key -------------------------
#
#  student  i1 i2  i3  i4  total  (i4: the weaker students get it "right")
#     1      1  1  1    0   3
#     2      1  1  1    0   3
#     3      1  1  .5   0   2.5
#     4      1  0  1    0   2
#     5      1  1  .5   1   3.5
#     6      0  1  .5   0   1.5
#     7      1  0  0    1   2
#     8      0  0  .5   1   1.5
#     9      0  1  0    1   2
#    10      0  0  0    1   1
#
# Item variances (over n): i1 .6*.4 = .24, i2 .24, i3 4/10 - .5^2 = .15 (squares sum to 4),
# i4 .25; sum .88. Totals sum 22 (mean 2.2), squares 9+9+6.25+4+12.25+2.25+4+2.25+4+1 = 54,
# variance 5.4 - 4.84 = .56. alpha = 4/3 * (1 - .88/.56) = 4/3 * (-4/7) = -16/21 = -0.7619.
# It is Cronbach's alpha, not KR-20: i3's half credit enters as 0.5.
# Mean 2.2/4 = 55%. SD with n - 1: sqrt((54 - 48.4)/9) = sqrt(5.6/9) = .78881 = 19.720% of 4.
#
# i4: rest = total - i4 = 3 3 2.5 2 2.5 1.5 1 .5 1 0 (sum 17, mean 1.7).
#   x - .5 is -.5 for students 1-4 and 6: their rest - 1.7 sums to 1.3+1.3+.8+.3-.2 = 3.5;
#   +.5 for 5 and 7-10: .8-.7-1.2-.7-1.7 = -3.5. Products: -1.75 - 1.75 = -3.5.
#   sum (rest - 1.7)^2 = 1.69+1.69+.64+.09+.64+.04+.49+1.44+.49+2.89 = 10.1
#   r = -3.5 / sqrt(2.5 * 10.1) = -3.5 / sqrt(25.25) = -0.69652: flagged.
# i3: rest = 2 2 2 1 3 1 2 1 2 1 (mean 1.7); products .15+.15+0-.35+0+0-.15+0-.15+.35 = 0.
# i2: rest = 2 2 1.5 2 2.5 .5 2 1.5 1 1 (mean 1.6); x - .6 = .4 .4 .4 -.6 .4 .4 -.6 -.6 .4 -.6
#   products .16+.16-.04-.24+.36-.44-.24+.06-.24+.36 = -.10; sum (x - .6)^2 = 2.4;
#   sum (rest - 1.6)^2 = .16+.16+.01+.16+.81+1.21+.16+.01+.36+.36 = 3.4
#   r = -.1 / sqrt(2.4 * 3.4) = -.1 / sqrt(8.16) = -0.035007: the flawed i4 in the total drags
#   it below zero, so it is flagged too (weakly).
CLASS2 = [
    (1, 1, 1, 0),
    (1, 1, 1, 0),
    (1, 1, 0.5, 0),
    (1, 0, 1, 0),
    (1, 1, 0.5, 1),
    (0, 1, 0.5, 0),
    (1, 0, 0, 1),
    (0, 0, 0.5, 1),
    (0, 1, 0, 1),
    (0, 0, 0, 1),
]
ITEMS = ("i1", "i2", "i3", "i4")
BANK2 = Bank(
    id="b2",
    title="بنك ٢",
    description="",
    article_id="a",
    article_sha256="",
    level=1,
    questions=tuple(
        Question(
            id=q,
            type=QuestionType.SHORT,
            prompt=q,
            explanation="",
            citations=(cite(1),),
            accepted=("x",),
        )
        for q in ITEMS
    ),
    source="banks/b2.yaml",
)


def class2(scores=CLASS2, start: int = 0) -> tuple[list[ResultRow], list[AnswerRow]]:
    results, answers = [], []
    for n, row in enumerate(scores, start=1):
        result = ResultRow(
            key=f"a{start + n}",
            class_chat_id=-1,
            kind=SessionKind.HOMEWORK,
            session_id=1,
            bank_id="b2",
            student=None,
            date=T0 + timedelta(minutes=start + n),
            score=sum(row),
            out_of=len(row),
            seconds=60,
            user_id=n,
        )
        results.append(result)
        answers += [
            AnswerRow(result, q, "", s > 0, s, "x", result.date, 1000)
            for q, s in zip(ITEMS, row, strict=True)
        ]
    return results, answers


def test_class2_by_hand_with_half_credit_and_a_flawed_key() -> None:
    results, answers = class2()
    (stats,) = bank_stats(results, answers, {"b2": BANK2})
    assert stats.mean == pytest.approx(55.0)
    assert stats.sd == pytest.approx(100 * (5.6 / 9) ** 0.5 / 4) == pytest.approx(19.720, abs=1e-3)
    assert stats.alpha == pytest.approx(-16 / 21)
    got = {i.question_id: i.corrected_r for i in stats.item_stats}
    assert got["i4"] == pytest.approx(-3.5 / 25.25**0.5) == pytest.approx(-0.69652, abs=1e-5)
    assert got["i3"] == pytest.approx(0.0, abs=1e-12)
    assert got["i2"] == pytest.approx(-0.1 / 8.16**0.5) == pytest.approx(-0.035007, abs=1e-6)
    assert [i.question_id for i in stats.flagged] == ["i2", "i4"]


def test_unanswered_counts_zero() -> None:
    """Student 10 skipped i4 here instead of getting it right: a 0 in the matrix, as Moodle's
    first approach to incomplete attempts, so alpha is that of the table with a 0 there."""
    results, answers = class2()
    kept = [a for a in answers if not (a.result.key == "a10" and a.question_id == "i4")]
    patched = [*CLASS2[:9], (0, 0, 0, 0)]
    expected = bank_stats(*class2(patched), {"b2": BANK2})[0].alpha
    assert bank_stats(results, kept, {"b2": BANK2})[0].alpha == pytest.approx(expected)


def test_fewer_than_ten_students_are_not_yet_meaningful() -> None:
    assert MIN_TAKERS == 10
    results, answers = class2(CLASS2[:9])
    (stats,) = bank_stats(results, answers, {"b2": BANK2})
    assert (stats.takers, stats.meaningful) == (9, False)
    assert (stats.mean, stats.sd, stats.alpha, stats.reading) == (None, None, None, None)
    assert all(i.corrected_r is None for i in stats.item_stats) and stats.flagged == ()


def test_first_attempts_by_default_and_every_attempt_on_request() -> None:
    """Each student redoes the homework later and gets every item right: the first attempts
    are class 2 as computed above; with every attempt the retakes are twenty rows."""
    first, first_answers = class2()
    retake = [(1, 1, 1, 1)] * 10
    again, again_answers = class2(retake, start=100)
    # The retakes belong to the same students (user ids 1..10).
    results, answers = first + again, first_answers + again_answers
    chosen, chosen_answers = select(results, answers, Attempts.FIRST)
    assert [r.key for r in chosen] == [r.key for r in first]
    assert len(chosen_answers) == 40
    (stats,) = bank_stats(chosen, chosen_answers, {"b2": BANK2})
    assert stats.alpha == pytest.approx(-16 / 21)
    every, every_answers = select(results, answers, Attempts.ALL)
    assert len(every) == 20 and len(every_answers) == 80
    assert bank_stats(every, every_answers, {"b2": BANK2})[0].takers == 20
    # The item analysis follows the same rows: i4 right 5 of 10 first time, 15 of 20 in all.
    (i4,) = [s for s in item_analysis(chosen_answers, {"b2": BANK2}) if s.question_id == "i4"]
    assert (i4.answered, i4.correct) == (10, 5)
    (i4,) = [s for s in item_analysis(every_answers, {"b2": BANK2}) if s.question_id == "i4"]
    assert (i4.answered, i4.correct) == (20, 15)


def test_first_attempt_is_per_bank_and_forgotten_students_keep_theirs() -> None:
    results, answers = class2()
    other = [
        ResultRow("z1", -1, SessionKind.LIVE, 2, "other", None, T0, 1, 1, 60, user_id=1),
        ResultRow("z2", -1, SessionKind.LIVE, 2, "other", None, T0, 1, 1, 60, user_id=-7),
        ResultRow("z3", -1, SessionKind.LIVE, 3, "other", None, T0 + timedelta(1), 1, 1, 9, -7),
    ]
    chosen, _ = select(results + other, answers, Attempts.FIRST)
    # Student 1's first attempt at another bank is kept; the anonymous -7's retake is not.
    assert {r.key for r in chosen} == {r.key for r in results} | {"z1", "z2"}


@pytest.mark.parametrize(
    ("alpha", "expected"),
    [
        (-0.5, Reading.UNSATISFACTORY),
        (0.6399, Reading.UNSATISFACTORY),
        (0.64, Reading.NEEDS_CHECKING),
        (0.75, Reading.NEEDS_CHECKING),
        (0.7501, Reading.SATISFACTORY),
        (0.95, Reading.SATISFACTORY),
    ],
)
def test_moodle_reading(alpha: float, expected: Reading) -> None:
    assert reading(alpha) is expected


def test_edge_cases() -> None:
    assert cronbach_alpha([[1.0], [0.0]]) is None  # one item: no internal consistency
    assert cronbach_alpha([[1.0, 1.0], [1.0, 1.0]]) is None  # totals do not vary
    assert item_rest([[1.0, 0.0], [1.0, 1.0]], 0) is None  # everyone got the item right
