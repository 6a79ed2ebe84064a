"""Typed answers: which messages can be an answer to a text question, before any grading.

A message that cannot be an answer (nothing readable, far too long, in a script the question
cannot be answered in, a discussion response below its minimum length) is refused with a
reason and recorded nowhere, so the student can simply send it again.
"""

from __future__ import annotations

from enum import StrEnum

from quizzes.arabic import arabic_ratio, normalize
from quizzes.model import Question, QuestionType

# Telegram allows 4096 characters; an answer, a pasted sentence or a discussion response
# longer than this is a pasted paragraph or a mistake, and would not fit back in the feedback.
MAX_CHARS = 1000
# Discussion responses and evidence pastes are written in Arabic: at least half of the letters.
MIN_ARABIC_SHARE = 0.5


class TextProblem(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"
    NOT_ARABIC = "not_arabic"
    TOO_SHORT = "too_short"


def response_length(text: str) -> int:
    """Length that counts toward a minimum: letters, digits and single spaces (no padding)."""
    return len(normalize(text))


def _has_foreign_letters(text: str) -> bool:
    return any(char.isalpha() for char in text) and arabic_ratio(text) < 1.0


def check_text(question: Question, text: str) -> TextProblem | None:
    """Why `text` cannot be recorded as an answer to `question`, or None if it can."""
    if len(text) > MAX_CHARS:
        return TextProblem.TOO_LONG
    folded = normalize(text)
    if not folded:
        return TextProblem.EMPTY
    if question.type is QuestionType.SHORT:
        # Only refuse what cannot be an answer: Latin is fine where an accepted answer is Latin
        # (Buk-2MA), and digits are always fine (2011). Otherwise a Latin-only message is most
        # likely Arabic typed on the wrong keyboard layout.
        if (
            arabic_ratio(text) == 0.0
            and any(char.isalpha() for char in text)
            and not any(char.isdigit() for char in folded)
            and not any(_has_foreign_letters(a) for a in question.accepted)
        ):
            return TextProblem.NOT_ARABIC
        return None
    if arabic_ratio(text) < MIN_ARABIC_SHARE:
        return TextProblem.NOT_ARABIC
    if question.type is QuestionType.DISCUSSION and response_length(text) < question.min_length:
        return TextProblem.TOO_SHORT
    return None
