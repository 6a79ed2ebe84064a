"""Question kinds in a live session: how students answer each type of question (one press,
toggles then confirm, or a typed reply), how its options are ordered, how long it runs,
whether it is scored and how an answer is graded.

Questions of a type no kind handles are left out of a session (`LiveSession.left_out`), so a
new question type needs only a kind here to be asked live.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from quizzes.article import Article
from quizzes.grading import Verdict, grade_choice, grade_evidence_paste, grade_text
from quizzes.live.session import LiveRules
from quizzes.model import Bank, Question, QuestionType
from quizzes.typed import check_text


class InputStyle(StrEnum):
    """How students answer a kind of question in the group."""

    PRESS = "press"  # one press on an option is the answer
    SELECT = "select"  # presses toggle options privately; a confirm press submits them
    REPLY = "reply"  # a text message replying to the question message is the answer


@dataclass(frozen=True)
class Given:
    """What a student sent: the option keys they pressed, or the text of their reply."""

    keys: frozenset[str] = frozenset()
    text: str | None = None


class LiveKind(Protocol):
    """What the engine needs to know about one kind of question."""

    style: InputStyle
    scored: bool

    def order(self, question: Question, rng: random.Random) -> tuple[str, ...]: ...

    def seconds(self, question: Question, rules: LiveRules) -> int: ...

    def discussion(self, question: Question) -> int:
        """Seconds of discussion before a re-vote; 0 for a single round."""
        ...

    def valid(self, question: Question, given: Given) -> bool: ...

    def grade(self, question: Question, given: Given, article: Article | None) -> Verdict: ...


@dataclass(frozen=True)
class ChoiceKind:
    """Questions answered by choosing among the bank's options (with `revote`: peer rounds)."""

    style: InputStyle = InputStyle.PRESS
    shuffle: bool = True
    revote: bool = False
    scored: bool = True

    def order(self, question: Question, rng: random.Random) -> tuple[str, ...]:
        keys = [o.key for o in question.options]
        if self.shuffle:
            rng.shuffle(keys)
        return tuple(keys)

    def seconds(self, question: Question, rules: LiveRules) -> int:
        return question.time_limit or rules.default_time_limit

    def discussion(self, question: Question) -> int:
        return question.discussion_seconds if self.revote else 0

    def valid(self, question: Question, given: Given) -> bool:
        keys = given.keys
        if given.text is not None or not keys or not keys <= {o.key for o in question.options}:
            return False
        return self.style is InputStyle.SELECT or len(keys) == 1

    def grade(self, question: Question, given: Given, article: Article | None) -> Verdict:
        return grade_choice(question, given.keys)


@dataclass(frozen=True)
class TextKind:
    """Questions answered by replying with text: short answers and evidence pastes (graded
    like in private, with the same Arabic-aware matching) and discussion prompts (unscored).
    A reply that cannot be an answer (empty, over-long, not Arabic, below a discussion
    prompt's minimum length: quizzes.typed.check_text) is invalid and recorded nowhere."""

    scored: bool = True
    style: InputStyle = InputStyle.REPLY

    def order(self, question: Question, rng: random.Random) -> tuple[str, ...]:
        return ()

    def seconds(self, question: Question, rules: LiveRules) -> int:
        if question.time_limit:
            return question.time_limit
        return rules.text_time_limit if self.scored else rules.discussion_time_limit

    def discussion(self, question: Question) -> int:
        return 0

    def valid(self, question: Question, given: Given) -> bool:
        return not given.keys and given.text is not None and not check_text(question, given.text)

    def grade(self, question: Question, given: Given, article: Article | None) -> Verdict:
        assert given.text is not None
        if question.type is QuestionType.EVIDENCE and article is not None:
            # Also full credit for the whole article sentence around a shorter cited quote.
            return grade_evidence_paste(question, article, given.text)[0]
        return grade_text(question, given.text)


LIVE_KINDS: dict[QuestionType, LiveKind] = {
    QuestionType.SINGLE: ChoiceKind(),
    QuestionType.PEER: ChoiceKind(revote=True),
    QuestionType.TRUE_FALSE: ChoiceKind(shuffle=False),
    QuestionType.MULTI: ChoiceKind(InputStyle.SELECT),
    QuestionType.SHORT: TextKind(),
    QuestionType.EVIDENCE: TextKind(),
    QuestionType.DISCUSSION: TextKind(scored=False),
}


def live_kind(question: Question) -> LiveKind | None:
    """The kind that runs this question in a live session, or None if none does yet."""
    return LIVE_KINDS.get(question.type)


def live_questions(bank: Bank) -> tuple[Question, ...]:
    """The questions of a bank a live session can ask, in bank order."""
    return tuple(q for q in bank.questions if live_kind(q) is not None)


def toggle_selection(selection: frozenset[str], key: str) -> frozenset[str]:
    """A private multi-select choice: pressing an option adds or removes it."""
    return selection ^ {key}
