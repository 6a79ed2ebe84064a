"""Test statistics a teacher can trust: first attempts, score spread, reliability, item-rest r.

Pure and synchronous, over the ResultRow and AnswerRow records of quizzes/analysis.py. The
choices follow Moodle's quiz statistics (docs/statistics.md cites them):

- By default only each student's first attempt counts: later attempts build on the first and
  break the assumptions item analysis rests on. With every attempt, each one is treated as if
  a different student made it.
- A question a student was asked but did not answer counts 0 (Moodle's first approach to
  incomplete attempts). Partial credit (0.5 for an evidence fragment) enters as is, so the
  reliability is Cronbach's alpha; with right/wrong items only it equals KR-20.
- With fewer than MIN_TAKERS results the figures move too much from one student to the next to
  mean anything, so they are withheld (None) rather than shown.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from quizzes.analysis import AnswerRow, ResultRow
from quizzes.model import Bank

MIN_TAKERS = 10
# Moodle's reading of the coefficient of internal consistency.
UNSATISFACTORY_BELOW = 0.64
SATISFACTORY_ABOVE = 0.75


class Attempts(StrEnum):
    """Which attempts item statistics are computed from."""

    FIRST = "first"
    ALL = "all"


class Reading(StrEnum):
    """Moodle's reading of a test's reliability."""

    UNSATISFACTORY = "unsatisfactory"
    NEEDS_CHECKING = "needs_checking"
    SATISFACTORY = "satisfactory"


def reading(alpha: float) -> Reading:
    """Below 0.64 unsatisfactory, above 0.75 satisfactory, in between worth a look."""
    if alpha < UNSATISFACTORY_BELOW:
        return Reading.UNSATISFACTORY
    return Reading.SATISFACTORY if alpha > SATISFACTORY_ABOVE else Reading.NEEDS_CHECKING


def _taker(row: ResultRow) -> tuple[str, int | str]:
    """Who made an attempt: the student's id (forgotten students keep one anonymous id)."""
    return ("u", row.user_id) if row.user_id is not None else ("r", row.key)


def select(
    results: Iterable[ResultRow], answers: Iterable[AnswerRow], attempts: Attempts
) -> tuple[list[ResultRow], list[AnswerRow]]:
    """The rows item statistics use: every attempt, or each student's first at each bank."""
    results, answers = list(results), list(answers)
    if attempts is Attempts.ALL:
        return results, answers
    first: dict[tuple[tuple[str, int | str], str], ResultRow] = {}
    for row in sorted(results, key=lambda r: (r.date, r.key)):
        first.setdefault((_taker(row), row.bank_id), row)
    keys = {row.key for row in first.values()}
    return (
        [r for r in results if r.key in keys],
        [a for a in answers if a.result.key in keys],
    )


# --- plain statistics (population moments; the ratios in alpha and r do not depend on n) -----


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def _pvariance(values: Sequence[float]) -> float:
    m = _mean(values)
    return sum((v - m) ** 2 for v in values) / len(values)


def sample_sd(values: Sequence[float]) -> float | None:
    """The standard deviation with n - 1, as Moodle reports it; None under two values."""
    if len(values) < 2:
        return None
    m = _mean(values)
    return math.sqrt(sum((v - m) ** 2 for v in values) / (len(values) - 1))


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's r; None when either side does not vary (everyone right, or everyone wrong)."""
    mx, my = _mean(xs), _mean(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sxy / math.sqrt(sxx * syy)


def cronbach_alpha(matrix: Sequence[Sequence[float]]) -> float | None:
    """alpha = k/(k-1) * (1 - sum of item variances / variance of totals), rows = students.

    None with fewer than two items or when the totals do not vary."""
    if not matrix or len(matrix[0]) < 2:
        return None
    k = len(matrix[0])
    totals = [sum(row) for row in matrix]
    total_variance = _pvariance(totals)
    if total_variance <= 1e-12:
        return None
    item_variance = sum(_pvariance([row[i] for row in matrix]) for i in range(k))
    return k / (k - 1) * (1 - item_variance / total_variance)


def item_rest(matrix: Sequence[Sequence[float]], item: int) -> float | None:
    """The corrected item-total correlation: the item against the total of the other items."""
    return pearson([row[item] for row in matrix], [sum(row) - row[item] for row in matrix])


# --- per bank ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemReliability:
    """One scored question's corrected item-total correlation (None if not yet meaningful)."""

    bank_id: str
    question_id: str
    corrected_r: float | None

    @property
    def negative(self) -> bool:
        """Stronger students got it wrong more often: usually a flawed key or a misleading
        prompt."""
        return self.corrected_r is not None and self.corrected_r < 0


@dataclass(frozen=True)
class BankStats:
    """Score spread and reliability of one bank over the selected attempts.

    mean and sd are percents of the maximum; mean, sd and alpha are None when there are fewer
    than MIN_TAKERS results (`meaningful` False), alpha also with fewer than two items."""

    bank_id: str
    takers: int
    items: int
    mean: float | None
    sd: float | None
    alpha: float | None
    item_stats: tuple[ItemReliability, ...]

    @property
    def meaningful(self) -> bool:
        return self.takers >= MIN_TAKERS

    @property
    def reading(self) -> Reading | None:
        return None if self.alpha is None else reading(self.alpha)

    @property
    def flagged(self) -> tuple[ItemReliability, ...]:
        return tuple(i for i in self.item_stats if i.negative)


def score_matrix(
    results: Sequence[ResultRow], answers: Iterable[AnswerRow], bank: Bank
) -> tuple[list[str], list[list[float]]]:
    """Question ids (bank order) and one row of item scores per result; unanswered is 0.

    The items are the bank's scored questions that someone among `results` answered."""
    keys = {r.key: n for n, r in enumerate(results)}
    scores: defaultdict[str, dict[int, float]] = defaultdict(dict)
    for a in answers:
        if a.correct is not None and a.result.key in keys:
            scores[a.question_id][keys[a.result.key]] = a.score
    ids = [q.id for q in bank.questions if q.is_scored and q.id in scores]
    return ids, [[scores[q].get(n, 0.0) for q in ids] for n in range(len(results))]


def bank_stats(
    results: Iterable[ResultRow], answers: Iterable[AnswerRow], banks: Mapping[str, Bank]
) -> list[BankStats]:
    """Per bank with graded results (banks by level, then id), over the rows given: pass them
    through `select` first."""
    graded: defaultdict[str, list[ResultRow]] = defaultdict(list)
    for row in results:
        if row.graded and row.bank_id in banks:
            graded[row.bank_id].append(row)
    answers = list(answers)
    stats = []
    for bank in sorted(banks.values(), key=lambda b: (b.level, b.id)):
        rows = graded.get(bank.id)
        if not rows:
            continue
        ids, matrix = score_matrix(rows, answers, bank)
        meaningful = len(rows) >= MIN_TAKERS
        percents = [r.percent for r in rows]
        stats.append(
            BankStats(
                bank_id=bank.id,
                takers=len(rows),
                items=len(ids),
                mean=_mean(percents) if meaningful else None,
                sd=sample_sd(percents) if meaningful else None,
                alpha=cronbach_alpha(matrix) if meaningful and ids else None,
                item_stats=tuple(
                    ItemReliability(bank.id, q, item_rest(matrix, i) if meaningful else None)
                    for i, q in enumerate(ids)
                ),
            )
        )
    return stats


def corrected_by_item(stats: Iterable[BankStats]) -> dict[tuple[str, str], ItemReliability]:
    """Each item's reliability figures by (bank id, question id)."""
    return {(i.bank_id, i.question_id): i for s in stats for i in s.item_stats}
