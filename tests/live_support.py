"""Helpers for live-session tests: a fake clock, classes of students, and a Room that drives
one group's session through the real Application (the harness): taps on the buttons the bot
drew (found by their labels), peer re-votes and typed replies to the question message."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from telegram import Update

from bot import texts
from bot.config import Config
from bot.live import api as live_engine
from quizzes.live import LiveSession
from quizzes.model import Question, QuestionType
from tests import buttons, factories
from tests.buttons import Button, Matcher, OneOf
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


# The teacher's controls, named by what they do, with every label their button can have.
CONTROLS: dict[str, tuple[str, ...]] = {
    "go": (texts.LIVE_BUTTON_START,),
    "sp": (texts.LIVE_BUTTON_SPEED_ON, texts.LIVE_BUTTON_SPEED_OFF),
    "rs": (texts.LIVE_BUTTON_RESPONSES_ON, texts.LIVE_BUTTON_RESPONSES_OFF),
    "pa": (texts.LIVE_BUTTON_PAUSE,),
    "re": (texts.LIVE_BUTTON_RESUME,),
    "sk": (
        texts.LIVE_BUTTON_REVEAL,
        texts.LIVE_BUTTON_NEXT,
        texts.LIVE_BUTTON_CLOSE_VOTE,
        texts.LIVE_BUTTON_REVOTE,
    ),
    "st": (texts.LIVE_BUTTON_STOP, texts.LIVE_BUTTON_CANCEL),
}


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

    async def open(self, bank_id: str) -> LiveSession:
        """/quiz, then the bank's button: the bank list becomes the lobby."""
        await self.h.send("/quiz", self.teacher, chat_id=self.chat_id)
        title = self.h.app.bot_data.banks[bank_id].title
        await self.h.tap(self.teacher, f"{title} (", self.chat_id, contains=True)
        session = await self.h.repo.open_live_in(self.chat_id)
        assert session is not None
        self.session_id = session.id
        return session

    async def begin(self, bank_id: str, pupils: Iterable[Person]) -> LiveSession:
        """Open the lobby, let `pupils` join, and start: the first question is open."""
        await self.open(bank_id)
        for person in pupils:
            await self.join(person)
        await self.control("go")
        return await self.session()

    async def session(self) -> LiveSession:
        session = await self.h.repo.get_live(self.session_id)
        assert session is not None
        return session

    def question(self, session: LiveSession) -> Question:
        return self.h.app.bot_data.banks[session.bank_id].question(session.current.question_id)

    async def button(self, label: str | Matcher, stale: bool = False) -> Button:
        """A button of the session's message as shown now (to press now, or later as a late
        or repeated press); with `stale`, maybe as it was shown before."""
        session = await self.session()
        return self.h.button(
            label, chat_id=self.chat_id, message_id=session.message_id, stale=stale
        )

    async def tap(
        self, person: Person, label: str | Matcher | Button, stale: bool = False
    ) -> list[Call]:
        if not isinstance(label, Button):
            label = await self.button(label, stale)
        return await self.h.tap(person, label)

    async def join(self, person: Person) -> str:
        return self.h.toast(await self.tap(person, texts.LIVE_BUTTON_JOIN))

    async def control_button(self, action: str) -> Button:
        """The teacher's control button for `action` (CONTROLS), as drawn now."""
        return await self.button(OneOf(CONTROLS[action]))

    async def control(self, action: str, person: Person | None = None) -> list[Call]:
        """A press on the teacher's control button for `action` (CONTROLS), as drawn now."""
        return await self.tap(person or self.teacher, await self.control_button(action))

    async def option(self, key: str, stale: bool = False) -> Button:
        """The button of option `key` of the current question (in a peer round's re-vote,
        the re-vote's button), wherever the session's shuffle put it. With `stale`, maybe as
        shown before the question closed (a student whose screen has not caught up)."""
        q = self.question(await self.session())
        return await self.button(buttons.option(q, key), stale)

    async def answer(self, person: Person, key: str, stale: bool = False) -> str:
        """One press on option `key` of the current question; returns the toast."""
        return self.h.toast(await self.tap(person, await self.option(key, stale)))

    async def choose(self, person: Person, keys: list[str], stale: bool = False) -> str:
        """A multi-select answer: one private toggle per key, then confirm."""
        for key in keys:
            await self.tap(person, await self.option(key, stale))
        return self.h.toast(await self.tap(person, texts.LIVE_BUTTON_CONFIRM, stale))

    def reply_update(
        self, person: Person, text: str | None, message_id: int | None = None, **media: Any
    ) -> Update:
        """A message replying to `message_id` (default: the open question's message): text,
        or with no text the given media fields (sticker=..., photo=[...])."""
        payload = factories.message_payload(text or "", person, self.chat_id)
        if text is None:
            del payload["text"]
            payload.update(media)
        payload["reply_to_message"] = factories.bot_message(self.chat_id, message_id or 0)
        return Update.de_json(
            {"update_id": next(factories._update_ids), "message": payload}, self.h.bot
        )

    async def reply(
        self, person: Person, text: str | None, message_id: int | None = None, **media: Any
    ) -> list[Call]:
        """A reply to the open question's message (or to `message_id`); returns every Bot API
        call it caused (none is the rule: replies are never answered)."""
        if message_id is None:
            message_id = (await self.session()).message_id
        return await self.h.process(self.reply_update(person, text, message_id, **media))

    async def respond(self, person: Person, correct: bool, stale: bool = False) -> str:
        """Answer the current question right or wrong, whatever its kind (typed questions by a
        reply: the accepted answer or the cited sentence, or something wrong; a discussion
        prompt with a response long enough). Returns the toast ('' for a reply). With
        `stale`, a press may use the buttons as shown before the question closed."""
        session = await self.session()
        q = self.question(session)
        if q.type in (QuestionType.SHORT, QuestionType.EVIDENCE, QuestionType.DISCUSSION):
            await self.reply(person, typed_answer(q, correct))
            return ""
        right = sorted(q.answer)
        wrong = [k for k in session.current.order if k not in q.answer]
        if q.type is QuestionType.MULTI:
            return await self.choose(person, right if correct else wrong[:1], stale)
        return await self.answer(person, right[0] if correct else wrong[0], stale)

    async def timers(self, seconds: float = 0) -> list[Call]:
        """Move the clock, then do what the job queue's timers would do now."""
        self.clock.advance(seconds)
        start = len(self.h.request.calls)
        await live_engine.run_timers(self.h.app)
        return self.h.request.calls[start:]

    async def open_at(self, question_id: str) -> LiveSession:
        """Skip (as the teacher) until the question `question_id` is open for answers."""
        while True:
            s = await self.session()
            if s.current.question_id == question_id and s.accepting:
                return s
            await self.control("sk")

    def group_calls(self, calls: list[Call] | None = None) -> list[Call]:
        """Bot API calls addressed to this group (toasts have no chat: they are private)."""
        return [
            c
            for c in (self.h.request.calls if calls is None else calls)
            if c.chat_id == self.chat_id
        ]


# Message methods: what Telegram's limit of about 20 bot messages a minute in a group counts.
MESSAGE_METHODS = frozenset(
    {"sendMessage", "editMessageText", "editMessageReplyMarkup", "sendPhoto", "deleteMessage"}
)


def typed_answer(q: Question, correct: bool) -> str:
    """A reply to a typed question: right (the accepted answer, the cited sentence, a long
    enough opinion) or wrong."""
    if q.type is QuestionType.SHORT:
        return q.accepted[0] if correct else "لا أعرف الجواب"
    if q.type is QuestionType.EVIDENCE:
        return q.citations[0].passage.text if correct else "جملة لا صلة لها بالمقال أبدًا"
    opinion = "أرى أن المقال يعرض وقائع وتفسيرات منسوبة إلى محللين، ويجب التمييز بينها بدقة."
    return opinion if correct else opinion + " وهذا رأيي."


DISCUSSION_BANK = (
    Path(__file__).resolve().parent.parent / "quizzes" / "banks" / "04_discussion.yaml"
)


# A band no first vote can leave: every live peer round discusses, as before rounds adapted.
ALWAYS_DISCUSS = {"low": 0, "high": 100}


def bank_dir(
    tmp_path: Path,
    question_ids: tuple[str, ...],
    bank_id: str = "live4",
    peer: dict[str, Any] | None = None,
) -> Path:
    """A banks folder holding one bank: the discussion bank's questions `question_ids`, in that
    order (a controlled session without skipping through the whole bank), with the bank-level
    `peer` band if given."""
    data = yaml.safe_load(DISCUSSION_BANK.read_text(encoding="utf-8"))
    by_id = {q["id"]: q for q in data["questions"]}
    data["id"] = bank_id
    if peer is not None:
        data["peer"] = peer
    data["questions"] = [by_id[q] for q in question_ids]
    folder = tmp_path / "banks"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{bank_id}.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return folder
