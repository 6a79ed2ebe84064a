"""Helpers for the `quizbot play` tests: the shipped banks, scripted answers, a run's transcript."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from bot.config import DEFAULT_BANKS, DEFAULT_SEEDS
from bot.terminal import play
from quizzes.article import Article, load_article
from quizzes.attempt import new_attempt
from quizzes.loader import bank_files, load_banks
from quizzes.model import Bank, Question, QuestionType

SEED = 7
# Long enough for any discussion minimum in the shipped banks, and Arabic.
OPINION = "أرى أن المقال يبيّن حدود التحالف بين موسكو وحلفائها حين تشتد الأزمات عليهم."


def shipped() -> dict[str, Bank]:
    return {b.id: b for b in load_banks(bank_files(DEFAULT_BANKS), DEFAULT_SEEDS)}


def article_of(bank: Bank) -> Article:
    return load_article(DEFAULT_SEEDS, bank.article_id)


def only(bank: Bank, *questions: Question) -> Bank:
    """The bank cut down to the given questions, in that order."""
    return replace(bank, questions=tuple(questions))


def orders(bank: Bank, seed: int = SEED) -> list[tuple[str, ...]]:
    """The option order play() shows at each position for this seed."""
    return list(new_attempt(bank, 0, 0, datetime.now(UTC), random.Random(seed)).option_orders)


def number_of(order: tuple[str, ...], key: str) -> str:
    return str(order.index(key) + 1)


def right_answer(question: Question, order: tuple[str, ...]) -> list[str]:
    """Lines that answer `question` correctly (a peer item: the same right vote twice)."""
    if question.type is QuestionType.TRUE_FALSE:
        return ["ص" if "t" in question.answer else "خ"]
    if question.type is QuestionType.PEER:
        (key,) = question.answer
        return [number_of(order, key)] * 2
    if question.is_choice:
        return [" ".join(number_of(order, k) for k in sorted(question.answer))]
    if question.type is QuestionType.SHORT:
        return [question.accepted[0]]
    if question.type is QuestionType.EVIDENCE:
        return [question.citations[0].passage.text]
    return [OPINION]


def wrong_key(question: Question) -> str:
    return next(o.key for o in question.options if o.key not in question.answer)


@dataclass(frozen=True)
class Run:
    code: int
    out: str


def run(bank: Bank, lines: list[str], *, bidi: str = "logical", width: int | None = None) -> Run:
    out = io.StringIO()
    stdin = io.StringIO("".join(line + "\n" for line in lines))
    code = play(bank, article_of(bank), stdin, out, seed=SEED, bidi=bidi, width=width)
    return Run(code, out.getvalue())
