"""The bank model: frozen dataclasses for banks, questions, options and citations."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from quizzes.article import Passage


class QuestionType(StrEnum):
    SINGLE = "single"
    MULTI = "multi"
    TRUE_FALSE = "true_false"
    SHORT = "short"
    DISCUSSION = "discussion"
    PEER = "peer"
    EVIDENCE = "evidence"


CHOICE_TYPES = frozenset(
    {QuestionType.SINGLE, QuestionType.MULTI, QuestionType.TRUE_FALSE, QuestionType.PEER}
)
TEXT_TYPES = frozenset({QuestionType.SHORT, QuestionType.DISCUSSION, QuestionType.EVIDENCE})
SCORED_TYPES = frozenset(QuestionType) - {QuestionType.DISCUSSION}

TRUE_KEY = "t"
FALSE_KEY = "f"


@dataclass(frozen=True)
class Citation:
    """A cited passage: the paragraph number and the article's own text there."""

    paragraph: int
    quote: str
    passage: Passage


@dataclass(frozen=True)
class Option:
    """One answer option. True/false options have empty text; the bot labels them."""

    key: str
    text: str
    misconception: str | None = None


@dataclass(frozen=True)
class MatchRules:
    """How lenient short-answer matching is, as the bank allows."""

    optional_article: bool = False
    optional_waw: bool = False
    typos: bool = False


@dataclass(frozen=True)
class Point:
    """A point to consider after a discussion prompt, with its passages."""

    text: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Question:
    """One question of a bank."""

    id: str
    type: QuestionType
    prompt: str
    explanation: str
    citations: tuple[Citation, ...]
    options: tuple[Option, ...] = ()
    answer: frozenset[str] = frozenset()
    difficulty: str | None = None
    skill: str | None = None
    time_limit: int | None = None
    accepted: tuple[str, ...] = ()
    match: MatchRules = field(default_factory=MatchRules)
    points: tuple[Point, ...] = ()
    min_length: int = 0
    discussion_seconds: int = 60

    @property
    def is_choice(self) -> bool:
        return self.type in CHOICE_TYPES

    @property
    def is_scored(self) -> bool:
        return self.type in SCORED_TYPES

    def option(self, key: str) -> Option:
        for option in self.options:
            if option.key == key:
                return option
        raise KeyError(key)

    @property
    def correct_options(self) -> tuple[Option, ...]:
        return tuple(o for o in self.options if o.key in self.answer)

    @property
    def paragraphs(self) -> tuple[int, ...]:
        """Paragraphs this question rests on, in citation order, without repeats."""
        return tuple(dict.fromkeys(c.paragraph for c in self.citations))


@dataclass(frozen=True)
class Bank:
    """A question bank written from one article."""

    id: str
    title: str
    description: str
    article_id: str
    article_sha256: str
    level: int
    questions: tuple[Question, ...]
    source: str = ""

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    @property
    def scored_count(self) -> int:
        return sum(1 for q in self.questions if q.is_scored)
