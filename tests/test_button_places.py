"""Every button kind pressed where it was not drawn: the stale notice, and nothing else.

Callback data comes from the client, so a button can be forged, or copied onto another message
or into another chat. For every kind in the router's table (bot/app.py BUTTONS), a scenario gets
a button the bot really drew, presses it in each place it is not valid in (a group for the
private kinds, a private chat for the group kinds, another group or another message for a live
session's), and checks that the presser got the stale notice, that no other Bot API call was
made and that SQLite is byte for byte as before. Then the same press where it was drawn does
what it is for, which shows that the place, not the data, was refused.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot import texts
from bot.app import BUTTONS
from quizzes.attempt import new_attempt
from quizzes.live import Stage
from quizzes.model import Option
from quizzes.review import schedule
from tests import backends
from tests.article_support import two_article_config
from tests.factories import Person
from tests.fakes import Call
from tests.harness import Harness, running
from tests.live_support import (
    GROUP,
    TEACHER,
    FakeClock,
    Room,
    bank_dir,
    live_config,
    make_class,
)

OTHER = -100777  # a second group, with no session unless a scenario opens one
STUDENT = Person(5601, "رنا", "الطالبة")
ELSEWHERE = 4242  # a message id the bot never drew a session on


@dataclass(frozen=True)
class Where:
    chat_id: int
    message_id: int


@dataclass(frozen=True)
class Case:
    data: str
    person: Person
    right: Where
    wrong: tuple[Where, ...]


@dataclass
class World:
    """A running bot: a live session in GROUP open at a question, STUDENT known in private,
    and STUDENT and TEACHER seen in both groups (so a press records nobody on a roster)."""

    h: Harness
    clock: FakeClock
    room: Room

    async def live_message(self) -> Where:
        return Where(GROUP, (await self.room.session()).message_id)

    async def private_wrong(self) -> tuple[Where, ...]:
        """Where a private kind does not belong: the group's live question, another group."""
        return (await self.live_message(), Where(OTHER, ELSEWHERE))


def drawn(calls: list[Call], kind: str, index: int = 0) -> str:
    """The callback data of the `index`th button of `kind` in the last keyboard that has one."""
    for call in reversed(calls):
        found = [data for _, data in call.buttons if data.split(":", 1)[0] == kind]
        if found:
            return found[index]
    raise AssertionError(f"the bot drew no {kind!r} button")


def private(person: Person) -> Where:
    return Where(person.id, 1)


async def private_question(w: World, bank_id: str, question_id: str) -> list[Call]:
    """STUDENT's attempt at one question, drawn by the bot (continued from /start)."""
    bank = w.h.app.bot_data.banks[bank_id]
    await w.h.repo.start_attempt(
        new_attempt(bank, STUDENT.id, STUDENT.id, w.clock(), random.Random(1), only=(question_id,))
    )
    menu = await w.h.send("/start", STUDENT)
    return await w.h.press_data(drawn(menu, "rs"), STUDENT)


# --- the private kinds -------------------------------------------------------------------------


async def bank_case(w: World) -> Case:
    calls = await w.h.send("/start", STUDENT)
    return Case(drawn(calls, "bk"), STUDENT, private(STUDENT), await w.private_wrong())


async def resume_case(w: World) -> Case:
    bank = w.h.app.bot_data.banks["facts"]
    await w.h.repo.start_attempt(
        new_attempt(bank, STUDENT.id, STUDENT.id, w.clock(), random.Random(1), only=("f01",))
    )
    calls = await w.h.send("/start", STUDENT)
    return Case(drawn(calls, "rs"), STUDENT, private(STUDENT), await w.private_wrong())


async def answer_case(w: World) -> Case:
    calls = await private_question(w, "facts", "f01")
    return Case(drawn(calls, "an"), STUDENT, private(STUDENT), await w.private_wrong())


async def toggle_case(w: World) -> Case:
    calls = await private_question(w, "facts", "f13")
    return Case(drawn(calls, "tg"), STUDENT, private(STUDENT), await w.private_wrong())


async def confirm_case(w: World) -> Case:
    calls = await private_question(w, "facts", "f13")
    await w.h.press_data(drawn(calls, "tg"), STUDENT)
    return Case(drawn(calls, "ok"), STUDENT, private(STUDENT), await w.private_wrong())


async def next_case(w: World) -> Case:
    calls = await w.h.press_data(drawn(await private_question(w, "facts", "f01"), "an"), STUDENT)
    return Case(drawn(calls, "nx"), STUDENT, private(STUDENT), await w.private_wrong())


async def _summary(w: World) -> list[Call]:
    """A finished attempt with its one question missed: the summary offers retry and menu."""
    question = await private_question(w, "facts", "f01")
    answer = w.h.app.bot_data.banks["facts"].question("f01").answer
    wrong = next(d for _, d in question[-1].buttons if d.split(":")[-1] not in answer)
    feedback = await w.h.press_data(wrong, STUDENT)
    return await w.h.press_data(drawn(feedback, "nx"), STUDENT)


async def retry_case(w: World) -> Case:
    calls = await _summary(w)
    return Case(drawn(calls, "rt"), STUDENT, private(STUDENT), await w.private_wrong())


async def menu_case(w: World) -> Case:
    calls = await _summary(w)
    return Case(drawn(calls, "mn"), STUDENT, private(STUDENT), await w.private_wrong())


async def first_vote_case(w: World) -> Case:
    calls = await private_question(w, "discuss", "p01")
    return Case(drawn(calls, "v1"), STUDENT, private(STUDENT), await w.private_wrong())


async def second_vote_case(w: World) -> Case:
    first = await w.h.press_data(drawn(await private_question(w, "discuss", "p01"), "v1"), STUDENT)
    return Case(drawn(first, "v2"), STUDENT, private(STUDENT), await w.private_wrong())


async def _due_review(w: World) -> list[Call]:
    """An item of STUDENT's due for review: /review offers to start."""
    tz = w.h.app.bot_data.config.tz
    earlier = w.clock() - timedelta(days=2)
    await w.h.repo.schedule_reviews([schedule(STUDENT.id, "facts", "f01", earlier, tz)], earlier)
    return await w.h.send("/review", STUDENT)


async def review_window_case(w: World) -> Case:
    calls = await w.h.send("/review", STUDENT)
    return Case(drawn(calls, "rw"), STUDENT, private(STUDENT), await w.private_wrong())


async def review_start_case(w: World) -> Case:
    calls = await _due_review(w)
    return Case(drawn(calls, "rv"), STUDENT, private(STUDENT), await w.private_wrong())


async def review_option_case(w: World) -> Case:
    """An item too long for a quiz poll comes with option buttons."""
    banks = w.h.app.bot_data.banks
    long = replace(
        banks["facts"].question("f01"),
        options=(Option("a", "«لا نتخلى عن أهلنا» " * 8), Option("b", "«صداقة أبدية»")),
    )
    banks["facts"] = replace(banks["facts"], questions=(long, *banks["facts"].questions[1:]))
    calls = await w.h.press_data(drawn(await _due_review(w), "rv"), STUDENT)
    return Case(drawn(calls, "ra"), STUDENT, private(STUDENT), await w.private_wrong())


async def forget_case(w: World) -> Case:
    calls = await w.h.send("/forgetme", STUDENT)
    return Case(drawn(calls, "fg"), STUDENT, private(STUDENT), await w.private_wrong())


async def _class_picker(w: World, command: str, kind: str) -> Case:
    """A teacher of both groups asks in private: the bot offers the classes."""
    calls = await w.h.send(command, TEACHER)
    return Case(drawn(calls, kind), TEACHER, private(TEACHER), await w.private_wrong())


async def export_case(w: World) -> Case:
    return await _class_picker(w, "/export", "xc")


async def report_case(w: World) -> Case:
    return await _class_picker(w, "/report", "rc")


# --- the group kinds -----------------------------------------------------------------------


async def live_bank_case(w: World) -> Case:
    calls = await w.h.send("/quiz", TEACHER, chat_id=OTHER)
    return Case(drawn(calls, "lq"), TEACHER, Where(OTHER, ELSEWHERE), (private(TEACHER),))


async def homework_case(w: World) -> Case:
    calls = await w.h.send("/homework facts", TEACHER, chat_id=GROUP)
    return Case(
        drawn(calls, "hp"),
        TEACHER,
        Where(GROUP, ELSEWHERE),
        (private(TEACHER), Where(OTHER, ELSEWHERE)),
    )


# --- a live session's kinds: its group, on its message ---------------------------------------


async def _live(w: World, kind: str, person: Person, index: int = 0) -> Case:
    here = await w.live_message()
    return Case(
        drawn(w.h.request.calls, kind, index),
        person,
        here,
        (private(person), Where(OTHER, here.message_id), Where(GROUP, ELSEWHERE)),
    )


async def join_case(w: World) -> Case:
    lobby = await Room(w.h, w.clock, chat_id=OTHER).open("facts")
    here = Where(OTHER, lobby.message_id)
    return Case(
        drawn(w.h.request.calls, "lj"),
        STUDENT,
        here,
        (private(STUDENT), Where(GROUP, lobby.message_id), Where(OTHER, ELSEWHERE)),
    )


async def live_answer_case(w: World) -> Case:
    return await _live(w, "la", STUDENT)


async def select_case(w: World) -> Case:
    await w.room.open_at("f13")
    return await _live(w, "ls", STUDENT)


async def live_confirm_case(w: World) -> Case:
    await w.room.open_at("f13")
    return await _live(w, "lk", STUDENT)


async def control_case(w: World) -> Case:
    return await _live(w, "lc", TEACHER, index=1)  # reveal now


async def revote_case(w: World) -> Case:
    await w.room.control("sk")  # the first vote closes: the discussion
    await w.room.control("sk")  # the re-vote opens, on a new message
    assert (await w.room.session()).stage is Stage.REVOTE
    return await _live(w, "lr", STUDENT)


async def article_case(w: World) -> Case:
    # Valid in any private chat or group (it only shows a paragraph): no wrong place to try.
    calls = await w.h.send("/article 2", STUDENT)
    return Case(drawn(calls, "ar"), STUDENT, private(STUDENT), ())


Scenario = Callable[[World], Awaitable[Case]]
# kind -> (scenario, the bank the group's session plays)
SCENARIOS: dict[str, tuple[Scenario, str]] = {
    "bk": (bank_case, "facts"),
    "an": (answer_case, "facts"),
    "tg": (toggle_case, "facts"),
    "ok": (confirm_case, "facts"),
    "nx": (next_case, "facts"),
    "rt": (retry_case, "facts"),
    "mn": (menu_case, "facts"),
    "rs": (resume_case, "facts"),
    "v1": (first_vote_case, "facts"),
    "v2": (second_vote_case, "facts"),
    "fg": (forget_case, "facts"),
    "rw": (review_window_case, "facts"),
    "rv": (review_start_case, "facts"),
    "ra": (review_option_case, "facts"),
    "xc": (export_case, "facts"),
    "rc": (report_case, "facts"),
    "lq": (live_bank_case, "facts"),
    "hp": (homework_case, "facts"),
    "lj": (join_case, "facts"),
    "la": (live_answer_case, "facts"),
    "ls": (select_case, "facts"),
    "lk": (live_confirm_case, "facts"),
    "lc": (control_case, "facts"),
    "lr": (revote_case, "live4"),
    "ar": (article_case, "water"),  # the article choice needs two articles
}
KINDS = [kind.prefix for kind, _ in BUTTONS]


def stored(db_path: Path) -> list[str]:
    """Everything stored, as text (read through a connection of its own)."""
    return backends.dump(db_path)


async def world(h: Harness, clock: FakeClock, bank_id: str) -> World:
    await h.send("/start", STUDENT)
    for chat in (GROUP, OTHER):
        for person in (STUDENT, TEACHER):
            await h.send("السلام عليكم", person, chat_id=chat)
    room = Room(h, clock)
    await room.begin(bank_id, [STUDENT, *make_class(2)])
    if bank_id == "facts":
        await room.open_at("f01")
    return World(h, clock, room)


def config(tmp_path: Path, bank_id: str) -> Any:
    if bank_id == "live4":
        return live_config(tmp_path, banks_dir=bank_dir(tmp_path, ("p01", "s01")))
    if bank_id == "water":
        return two_article_config(tmp_path, teacher_ids=frozenset({TEACHER.id}))
    return live_config(tmp_path)


@pytest.mark.parametrize("kind", KINDS)
async def test_a_button_pressed_where_it_was_not_drawn_changes_nothing(
    tmp_path: Path, kind: str
) -> None:
    assert kind in SCENARIOS, f"button kind {kind!r} is routed but has no scenario here"
    scenario, bank_id = SCENARIOS[kind]
    clock = FakeClock()
    async with running(config(tmp_path, bank_id), clock=clock) as h:
        w = await world(h, clock, bank_id)
        case = await scenario(w)
        assert case.data.split(":", 1)[0] == kind
        db = h.app.bot_data.config.db_path
        for where in case.wrong:
            before = stored(db)
            calls = await h.press_data(case.data, case.person, where.chat_id, where.message_id)
            assert [c.method for c in calls] == ["answerCallbackQuery"], where
            assert h.toast(calls) == texts.STALE, where
            assert stored(db) == before, where
        # Where it was drawn, the same press is taken.
        calls = await h.press_data(
            case.data, case.person, case.right.chat_id, case.right.message_id
        )
        assert h.toast(calls) != texts.STALE


def test_every_routed_kind_has_a_scenario() -> None:
    assert set(SCENARIOS) == set(KINDS)
