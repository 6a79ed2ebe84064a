"""What each question becomes in Moodle, and what of it cannot go along.

Both writers (GIFT and Moodle XML) follow one plan, so the two files always agree on types,
credit and feedback.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from quizzes.arabic import normalize
from quizzes.model import TRUE_KEY, Bank, Citation, Question, QuestionType

# How many accepted spellings a short answer may grow to once synonym and variant groups are
# spelled out: Moodle lists each one as an answer, and teachers read the list.
MAX_SHORT_ANSWERS = 24
# Moodle takes a wrong option's negative weight off the total and clamps at zero: -100 makes
# one wrong tick cost everything, as in the bot, where a multi answer is all or nothing.
WRONG_MULTI_FRACTION = -100.0


class Kind(StrEnum):
    """Moodle question types the export writes."""

    MULTICHOICE = "multichoice"
    TRUEFALSE = "truefalse"
    SHORTANSWER = "shortanswer"
    ESSAY = "essay"


@dataclass(frozen=True)
class Wording:
    """The Arabic around exported feedback (from bot/texts.py): a cited passage, a heading
    before a discussion's points, one point, and the heading of an evidence item's passage.

    `quote` has {quote} and {paragraph}; `point` has {text}; `number` writes a paragraph number.
    """

    quote: str
    points: str
    point: str
    evidence: str
    number: Callable[[int], str] = str


@dataclass(frozen=True)
class Answer:
    """One Moodle answer: its text, its fraction in percent, and its feedback."""

    text: str
    fraction: float
    feedback: str = ""


@dataclass(frozen=True)
class Planned:
    """One question as Moodle will hold it, or why it is left out (`kind` None)."""

    question: Question
    kind: Kind | None
    answers: tuple[Answer, ...] = ()
    single: bool = True
    truth: bool | None = None
    general_feedback: str = ""
    grader_info: str = ""
    scored: bool = True
    lost: str = ""


@dataclass
class Summary:
    """What an export wrote: counts per Moodle type, and each question carried in part or not."""

    kinds: Counter[str] = field(default_factory=Counter)
    partial: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def exported(self) -> int:
        return sum(self.kinds.values())

    def lines(self, bank_id: str, fmt: str) -> list[str]:
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(self.kinds.items()))
        out = [f"{bank_id}: {self.exported} exported as {fmt} ({kinds or 'none'})"]
        out += [f"  carried in part, {why}: {ids}" for why, ids in _grouped(self.partial)]
        out.append(f"{bank_id}: {len(self.skipped)} skipped")
        out += [f"  not exported, {why}: {ids}" for why, ids in _grouped(self.skipped)]
        return out

    def add(self, planned: Planned) -> None:
        if planned.kind is None:
            self.skipped.append((planned.question.id, planned.lost))
            return
        self.kinds[planned.kind.value] += 1
        if planned.lost:
            self.partial.append((planned.question.id, planned.lost))


def _grouped(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    by_reason: dict[str, list[str]] = {}
    for qid, why in items:
        by_reason.setdefault(why, []).append(qid)
    return [(why, ", ".join(ids)) for why, ids in by_reason.items()]


def category_name(bank: Bank) -> str:
    """The Moodle question category for a bank: its title (a slash would nest categories)."""
    return " ".join(bank.title.replace("/", "-").split())


def citation_lines(citations: tuple[Citation, ...], wording: Wording) -> list[str]:
    """Each cited passage in the article's own words, with its paragraph number."""
    return [
        wording.quote.format(quote=c.passage.text, paragraph=wording.number(c.paragraph))
        for c in citations
    ]


def _feedback(question: Question, wording: Wording) -> str:
    lines = [question.explanation, *citation_lines(question.citations, wording)]
    return "\n".join(line for line in lines if line)


def _points(question: Question, wording: Wording) -> list[str]:
    if not question.points:
        return []
    lines = [wording.points]
    for point in question.points:
        lines.append(wording.point.format(text=point.text))
        lines += citation_lines(point.citations, wording)
    return lines


def spellings(question: Question) -> tuple[str, ...]:
    """The accepted answers, then the spellings their synonym and variant groups allow."""
    groups = [*question.match.synonyms, *question.match.variants]
    by_word = {normalize(w): group for group in groups for w in group}
    found: dict[str, None] = dict.fromkeys(question.accepted)
    for accepted in question.accepted:
        choices = [by_word.get(normalize(word), (word,)) for word in accepted.split()]
        for combo in itertools.product(*choices):
            if len(found) >= MAX_SHORT_ANSWERS:
                return tuple(found)
            found.setdefault(" ".join(combo))
    return tuple(found)


def _choice(question: Question, wording: Wording) -> Planned:
    multi = question.type is QuestionType.MULTI
    share = 100.0 / len(question.answer) if multi else 100.0
    answers = tuple(
        Answer(
            option.text,
            share if option.key in question.answer else (WRONG_MULTI_FRACTION if multi else 0.0),
            option.misconception or "",
        )
        for option in question.options
    )
    lost = ""
    if question.type is QuestionType.PEER:
        lost = (
            "peer round (first vote, discussion, second vote) not carried: a plain multiple choice"
        )
    elif multi:
        lost = "Moodle gives part credit for some of the right options; the bot gives none"
    return Planned(
        question,
        Kind.MULTICHOICE,
        answers=answers,
        single=not multi,
        general_feedback=_feedback(question, wording),
        lost=lost,
    )


def plan(question: Question, wording: Wording, *, essays: bool = True) -> Planned:
    """How one question goes to Moodle (see docs/bank-format.md, "Moodle and GIFT")."""
    kind = question.type
    if kind in (QuestionType.SINGLE, QuestionType.MULTI, QuestionType.PEER):
        return _choice(question, wording)
    if kind is QuestionType.TRUE_FALSE:
        return Planned(
            question,
            Kind.TRUEFALSE,
            truth=TRUE_KEY in question.answer,
            general_feedback=_feedback(question, wording),
        )
    if kind is QuestionType.SHORT:
        answers = tuple(Answer(text, 100.0) for text in spellings(question))
        return Planned(
            question,
            Kind.SHORTANSWER,
            answers=answers,
            general_feedback=_feedback(question, wording),
            lost="Moodle matches only the listed spellings: the bot's Arabic matching "
            "(particles, titles, hamza and typos) is not carried",
        )
    if not essays:
        why = {
            QuestionType.DISCUSSION: "open discussion prompt (not scored in the bot)",
            QuestionType.EVIDENCE: "evidence item (the bot grades the pasted passage)",
        }[kind]
        return Planned(question, None, lost=why)
    if kind is QuestionType.DISCUSSION:
        points = _points(question, wording)
        return Planned(
            question,
            Kind.ESSAY,
            general_feedback="\n".join([_feedback(question, wording), *points]),
            grader_info="\n".join(points),
            scored=False,
            lost="open discussion prompt: an essay with mark 0, the points go into the feedback",
        )
    expected = "\n".join([wording.evidence, *citation_lines(question.citations, wording)])
    return Planned(
        question,
        Kind.ESSAY,
        general_feedback=_feedback(question, wording),
        grader_info=expected,
        lost="evidence item: an essay graded by hand; the bot's passage matching is not carried",
    )
