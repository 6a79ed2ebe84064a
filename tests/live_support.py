"""Helpers for live-session tests: a fake clock, classes of students, and a Room that drives
one group's session through the real Application (the harness)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot import live_engine
from bot.config import Config
from quizzes.live import LiveSession
from quizzes.model import Question, QuestionType
from tests.factories import Person
from tests.fakes import Call
from tests.harness import Harness, make_config

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
TEACHER = Person(7001, "سمير", "المعلم", "teacher_samir")
GROUP = -100500


class FakeClock:
    """An injectable clock (services.clock) the test moves by hand."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def live_config(tmp_path: Path, *teachers: int, **overrides: Any) -> Config:
    return make_config(tmp_path, teacher_ids=frozenset({TEACHER.id, *teachers}), **overrides)


def make_class(size: int, first_id: int = 8000, prefix: str = "طالب") -> list[Person]:
    return [Person(first_id + i, f"{prefix}{i}", "الصف") for i in range(size)]


class Room:
    """One group's live session, driven the way Telegram would deliver it."""

    def __init__(
        self, h: Harness, clock: FakeClock, chat_id: int = GROUP, teacher: Person = TEACHER
    ) -> None:
        self.h = h
        self.clock = clock
        self.chat_id = chat_id
        self.teacher = teacher
        self.session_id = 0

    async def open(self, bank_id: str, lobby_message_id: int = 555) -> LiveSession:
        """/quiz, then the bank button: the bank list (message `lobby_message_id`) becomes the
        lobby."""
        await self.h.send("/quiz", self.teacher, chat_id=self.chat_id)
        await self.h.press(
            f"lq:{bank_id}", self.teacher, chat_id=self.chat_id, message_id=lobby_message_id
        )
        session = await self.h.repo.open_live_in(self.chat_id)
        assert session is not None
        self.session_id = session.id
        return session

    async def session(self) -> LiveSession:
        session = await self.h.repo.get_live(self.session_id)
        assert session is not None
        return session

    def question(self, session: LiveSession) -> Question:
        return self.h.app.bot_data.banks[session.bank_id].question(session.current.question_id)

    async def join(self, person: Person) -> str:
        calls = await self.h.press(f"lj:{self.session_id}", person, chat_id=self.chat_id)
        return self.h.toast(calls)

    async def control(self, action: str, person: Person | None = None) -> list[Call]:
        """A control button as drawn now (with the current step)."""
        session = await self.session()
        data = f"lc:{session.id}:{session.step}:{action}"
        return await self.h.press(
            data, person or self.teacher, chat_id=self.chat_id, message_id=session.message_id or 1
        )

    async def answer(self, person: Person, key: str, position: int | None = None) -> str:
        """One press on option `key` of the question at `position` (default: the current one)."""
        session = await self.session()
        where = session.position if position is None else position
        calls = await self.h.press(
            f"la:{session.id}:{where}:{key}",
            person,
            chat_id=self.chat_id,
            message_id=session.message_id or 1,
        )
        return self.h.toast(calls)

    async def choose(self, person: Person, keys: list[str]) -> str:
        """A multi-select answer: one private toggle per key, then confirm."""
        session = await self.session()
        for key in keys:
            await self.h.press(
                f"ls:{session.id}:{session.position}:{key}", person, chat_id=self.chat_id
            )
        calls = await self.h.press(
            f"lk:{session.id}:{session.position}", person, chat_id=self.chat_id
        )
        return self.h.toast(calls)

    async def respond(self, person: Person, correct: bool) -> str:
        """Answer the current question right or wrong, whatever its kind."""
        session = await self.session()
        q = self.question(session)
        right = sorted(q.answer)
        wrong = [k for k in session.current.order if k not in q.answer]
        if q.type is QuestionType.MULTI:
            return await self.choose(person, right if correct else wrong[:1])
        return await self.answer(person, right[0] if correct else wrong[0])

    async def timers(self, seconds: float = 0) -> list[Call]:
        """Move the clock, then do what the job queue's timers would do now."""
        self.clock.advance(seconds)
        start = len(self.h.request.calls)
        await live_engine.run_timers(self.h.app)
        return self.h.request.calls[start:]

    def group_calls(self, calls: list[Call] | None = None) -> list[Call]:
        """Bot API calls addressed to this group (toasts have no chat: they are private)."""
        return [
            c
            for c in (self.h.request.calls if calls is None else calls)
            if c.chat_id == self.chat_id
        ]
