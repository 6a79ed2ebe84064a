"""Spaced review: which answers come back, when, and in which hours of the student's day.

A Leitner scheme: an item enters box 1 and comes back 1 day later; a right answer moves it to
the next box (3, 7, then 16 days), a wrong one back to box 1; right in the last box, it is done.
Days are the class's calendar days: an item is due from the start of its day, local time, so a
student who chose evenings gets it that evening whatever the hour of the answer that put it there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from quizzes.grading import grade_short
from quizzes.model import Question, QuestionType

BOX_DAYS = (1, 3, 7, 16)


class Window(StrEnum):
    """The hours a student lets the daily review message arrive in (local time)."""

    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"


HOURS: dict[Window, tuple[int, int]] = {
    Window.MORNING: (8, 12),
    Window.AFTERNOON: (12, 17),
    Window.EVENING: (17, 21),
}


@dataclass(frozen=True)
class ReviewItem:
    """One question on a student's schedule. `box` is 0-based into BOX_DAYS; `done` once the
    item was answered right in the last box."""

    user_id: int
    bank_id: str
    question_id: str
    box: int
    due_at: datetime
    reviews: int = 0
    done: bool = False


def needs_review(
    question: Question, correct: bool | None, score: float, raw_text: str | None
) -> bool:
    """Missed, half credit, or right only thanks to the typo tolerance (a hint of doubt)."""
    if not question.is_scored:
        return False
    if not correct or score < 1.0:
        return True
    if question.type is QuestionType.SHORT and raw_text:
        return grade_short(question, raw_text).fuzzy
    return False


def local_day(moment: datetime, tz: tzinfo) -> date:
    return moment.astimezone(tz).date()


def due_after(moment: datetime, days: int, tz: tzinfo) -> datetime:
    """The start (local midnight) of the day `days` after `moment`'s local day."""
    day = local_day(moment, tz) + timedelta(days=days)
    return datetime.combine(day, time(0), tzinfo=tz)


def schedule(user_id: int, bank_id: str, question_id: str, now: datetime, tz: tzinfo) -> ReviewItem:
    """A newly missed item: box 1, due the next day."""
    return ReviewItem(user_id, bank_id, question_id, 0, due_after(now, BOX_DAYS[0], tz))


def answered(item: ReviewItem, correct: bool, now: datetime, tz: tzinfo) -> ReviewItem:
    """The item after a review answer: up one box if right (done past the last), else box 1."""
    reviews = item.reviews + 1
    if not correct:
        return ReviewItem(
            item.user_id,
            item.bank_id,
            item.question_id,
            0,
            due_after(now, BOX_DAYS[0], tz),
            reviews,
        )
    box = item.box + 1
    if box >= len(BOX_DAYS):
        return ReviewItem(
            item.user_id, item.bank_id, item.question_id, item.box, item.due_at, reviews, True
        )
    return ReviewItem(
        item.user_id,
        item.bank_id,
        item.question_id,
        box,
        due_after(now, BOX_DAYS[box], tz),
        reviews,
    )


def in_window(window: Window, now: datetime, tz: tzinfo) -> bool:
    start, end = HOURS[window]
    return start <= now.astimezone(tz).hour < end


class PromptKind(StrEnum):
    POLL = "poll"  # a Telegram quiz poll; the answer comes as a poll_answer
    BUTTONS = "buttons"  # a choice item too long for a poll: one button per option
    TEXT = "text"  # a typed item: the next text message answers it


@dataclass(frozen=True)
class ReviewPrompt:
    """One sending of an item to its student. `sighting` counts the attempt's miss as the
    first, so the first review is the second sighting."""

    id: int | None
    user_id: int
    bank_id: str
    question_id: str
    sighting: int
    kind: PromptKind
    sent_at: datetime
    poll_id: str | None = None
    option_order: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReviewSettings:
    """A student's delivery choice: no window means no daily message."""

    window: Window | None = None
    last_sent_on: date | None = None
    blocked: bool = False


@dataclass(frozen=True)
class ReviewAnswer:
    """A review answer, as recorded: once per item and sighting."""

    prompt_id: int
    user_id: int
    bank_id: str
    question_id: str
    sighting: int
    choice: str
    correct: bool
    score: float
    answered_at: datetime
    raw_text: str | None = None


def windows_at(now: datetime, tz: tzinfo) -> tuple[Window, ...]:
    """The windows open at this moment (the class's local hour)."""
    return tuple(w for w in Window if in_window(w, now, tz))


@dataclass(frozen=True)
class ReviewRow:
    """One review answer as the teacher's export lists it."""

    user_id: int
    name: str
    bank_id: str
    question_id: str
    sighting: int
    correct: bool
    answered_at: datetime
