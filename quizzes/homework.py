"""Homework: a bank given to a class by link, with an optional deadline that teachers type.

Pure: no Telegram, no database. The bot turns BadDeadline reasons into Arabic notices.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from enum import StrEnum

from quizzes.arabic import western_digits
from quizzes.errors import QuizError
from quizzes.model import ContentVersion

# A start payload may hold A-Z a-z 0-9 _ - (64 at most); the prefix routes it to homework.
CODE_PREFIX = "hw-"
CODE_PATTERN = re.compile(r"^hw-[A-Za-z0-9_-]{8,40}$")
MAX_AHEAD = timedelta(days=366)

# 3d, 12h, 90m; also Arabic unit letters: ي (يوم), س (ساعة), د (دقيقة).
_DURATION = re.compile(r"^(\d{1,4})\s*([dhmيسد])$", re.IGNORECASE)
_UNITS = {"d": "days", "ي": "days", "h": "hours", "س": "hours", "m": "minutes", "د": "minutes"}
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DATE_TIME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{2})$", re.IGNORECASE)
# A date alone means the end of that day: a teacher who writes 2026-12-01 means "by then".
END_OF_DAY = time(23, 59)


class DeadlineProblem(StrEnum):
    FORMAT = "format"
    PAST = "past"
    TOO_FAR = "too_far"


class BadDeadline(QuizError):
    """A deadline a teacher typed that cannot be used, and why."""

    def __init__(self, text: str, problem: DeadlineProblem) -> None:
        super().__init__(f"deadline {text!r}: {problem.value}")
        self.text = text
        self.problem = problem


@dataclass(frozen=True)
class Homework:
    """A bank given to one class (a group chat), opened by a deep link."""

    id: int | None
    code: str
    chat_id: int
    bank_id: str
    teacher_id: int | None
    created_at: datetime
    deadline: datetime | None = None
    version: ContentVersion | None = None  # what was given; None for homework stored before

    def is_open(self, now: datetime) -> bool:
        return self.deadline is None or now < self.deadline


def new_code() -> str:
    """An unguessable link code: a guessed code would let strangers into a class's results."""
    return CODE_PREFIX + secrets.token_urlsafe(9)


def parse_deadline(text: str, now: datetime, tz: tzinfo = UTC) -> datetime:
    """Read `3d` / `12h` / `90m`, `2026-12-01` or `2026-12-01T18:00` (local time in `tz`).

    Returns an aware UTC time; raises BadDeadline when it is unreadable, past, or over a year.
    """
    raw = western_digits(text).strip()
    try:
        deadline = _read(raw, now, tz)
    except ValueError:
        raise BadDeadline(text, DeadlineProblem.FORMAT) from None
    if deadline <= now:
        raise BadDeadline(text, DeadlineProblem.PAST)
    if deadline - now > MAX_AHEAD:
        raise BadDeadline(text, DeadlineProblem.TOO_FAR)
    return deadline.astimezone(UTC)


def _read(raw: str, now: datetime, tz: tzinfo) -> datetime:
    if match := _DURATION.match(raw):
        amount, unit = int(match.group(1)), match.group(2).lower()
        return now + timedelta(**{_UNITS[unit]: amount})
    if match := _DATE_TIME.match(raw):
        year, month, day, hour, minute = (int(g) for g in match.groups())
        return datetime(year, month, day, hour, minute, tzinfo=tz)
    if match := _DATE.match(raw):
        year, month, day = (int(g) for g in match.groups())
        return datetime.combine(datetime(year, month, day).date(), END_OF_DAY, tzinfo=tz)
    raise ValueError(raw)


@dataclass(frozen=True)
class Progress:
    """Who in a class has finished a homework, and who has not."""

    done: tuple[int, ...]
    pending: tuple[int, ...]


def progress(roster: Sequence[int], finished: Iterable[int]) -> Progress:
    """Split a class roster (user ids, in roster order) into done and pending."""
    finished_set = set(finished)
    return Progress(
        done=tuple(u for u in roster if u in finished_set),
        pending=tuple(u for u in roster if u not in finished_set),
    )
