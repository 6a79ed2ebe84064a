"""A review item as a Telegram quiz poll, within Telegram's limits, or the reason it is not one.

Telegram refuses a poll whose question is over 300 characters, an option over 100, more than
12 options, or an explanation over 200 characters (2 line feeds). An option is never cut: a
shortened option could read as another answer. An item that does not fit goes out as buttons.
The explanation is the passage's paragraph and its quote; a quote too long for it is cut at a
word and marked, and then the full passage follows the answer in a message of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Poll

from bot import texts
from bot.formatting import Formatter
from bot.render import option_text
from quizzes.model import Question, QuestionType

ELLIPSIS = "…"


@dataclass(frozen=True)
class Evidence:
    """What the explanation shows, and the passage in full when it had to be cut."""

    explanation: str
    paragraph: int
    passage: str
    cut: bool


@dataclass(frozen=True)
class PollPlan:
    question: str
    options: tuple[str, ...]
    keys: tuple[str, ...]  # option keys, in the order of `options`
    correct_ids: tuple[int, ...]
    multiple: bool
    evidence: Evidence


def evidence(fmt: Formatter, question: Question) -> Evidence:
    """The explanation (≤ 200 characters): the first cited paragraph and a short quote."""
    citation = question.citations[0]
    full = (citation.sentence or citation.passage).text
    for quote, cut in ((full, False), (citation.quote, citation.quote != full)):
        text = texts.REVIEW_EXPLANATION.format(paragraph=fmt.num(citation.paragraph), quote=quote)
        if len(text) <= Poll.MAX_EXPLANATION_LENGTH:
            return Evidence(text, citation.paragraph, full, cut)
    words = citation.quote.split()
    while words:
        words.pop()
        quote = " ".join(words) + ELLIPSIS
        text = texts.REVIEW_EXPLANATION.format(paragraph=fmt.num(citation.paragraph), quote=quote)
        if len(text) <= Poll.MAX_EXPLANATION_LENGTH:
            return Evidence(text, citation.paragraph, full, True)
    return Evidence("", citation.paragraph, full, True)


def plan(fmt: Formatter, question: Question) -> PollPlan | None:
    """The quiz poll for a choice item, or None when it cannot be one without cutting it."""
    options = tuple(option_text(question, o) for o in question.options)
    if (
        not question.is_choice
        or len(question.prompt) > Poll.MAX_QUESTION_LENGTH
        or not Poll.MIN_OPTION_NUMBER <= len(options) <= Poll.MAX_OPTION_NUMBER
        or any(not 1 <= len(o) <= Poll.MAX_OPTION_LENGTH for o in options)
    ):
        return None
    keys = tuple(o.key for o in question.options)
    return PollPlan(
        question=question.prompt,
        options=options,
        keys=keys,
        correct_ids=tuple(i for i, k in enumerate(keys) if k in question.answer),
        multiple=question.type is QuestionType.MULTI,
        evidence=evidence(fmt, question),
    )
