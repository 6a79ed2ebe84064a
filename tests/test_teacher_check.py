"""Who is a teacher when Telegram cannot say: getChatMember fails (5xx, timeout, network).

The answer is "not a teacher" (fail closed): nothing changes, the presser is told to try again,
the failure is not remembered, and once Telegram answers again the real answer counts.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot import texts
from quizzes.live import LiveSession
from tests.factories import Person
from tests.fault_support import TRANSIENT, Answer, Fault, api_error, count
from tests.harness import Harness, running
from tests.live_support import (
    GROUP,
    MESSAGE_METHODS,
    FakeClock,
    Room,
    live_config,
    make_class,
)

# Neither listed in QUIZBOT_TEACHER_IDS nor an administrator: only Telegram could say.
STRANGER = Person(8900, "زائر")
ADMIN = Person(7201, "هدى", "المشرفة")  # an administrator of GROUP, not listed


def failing_member_checks(h: Harness, answer: Callable[[], Answer]) -> Fault:
    fault = Fault("getChatMember", answer, times=100)
    h.request.responders.append(fault)
    return fault


def snapshot(s: LiveSession) -> tuple:
    return (s.step, s.phase, s.position, s.stage, s.paused, s.status, s.message_id)


@pytest.mark.parametrize("failure", sorted(TRANSIENT))
async def test_a_teacher_control_fails_closed_when_telegram_cannot_say(
    tmp_path: Path, failure: str
) -> None:
    clock, pupils = FakeClock(), make_class(2)
    async with running(live_config(tmp_path), clock=clock) as h:
        h.request.chat_members[(GROUP, ADMIN.id)] = "administrator"
        room = Room(h, clock)
        await room.begin("facts", pupils)
        before = await room.session()
        fault = failing_member_checks(h, TRANSIENT[failure])
        for person in (STRANGER, ADMIN):
            for action in ("sk", "pa", "st"):
                h.request.clear()
                calls = await room.control(action, person)
                assert h.toast(calls) == texts.TEACHER_CHECK_FAILED
                assert [c for c in calls if c.method in MESSAGE_METHODS] == []  # nothing drawn
                assert snapshot(await room.session()) == snapshot(before)
        assert fault.hits  # Telegram was asked, and failed
        assert count(h.app.bot_data.config.db_path, "live_scores") == 0

        # Telegram answers again: the failure was not remembered either way.
        h.request.responders.remove(fault)
        assert h.toast(await room.control("sk", STRANGER)) == texts.LIVE_TEACHERS_ONLY
        assert snapshot(await room.session()) == snapshot(before)
        assert h.toast(await room.control("sk", ADMIN)) == ""
        assert (await room.session()).step == before.step + 1


async def test_a_teacher_command_fails_closed_when_telegram_cannot_say(tmp_path: Path) -> None:
    async with running(live_config(tmp_path)) as h:
        h.request.chat_members[(GROUP, ADMIN.id)] = "administrator"
        fault = failing_member_checks(h, TRANSIENT["502"])
        for command in ("/quiz", "/homework facts", "/export", "/report", "/stats"):
            calls = await h.send(command, ADMIN, chat_id=GROUP)
            assert [c.text for c in calls if c.method == "sendMessage"] == [
                texts.TEACHER_CHECK_FAILED
            ], command
            assert not [c for c in calls if c.method in ("sendDocument", "sendPhoto")]
        assert len(fault.hits) == 5
        assert await h.repo.open_live_in(GROUP) is None
        h.request.responders.remove(fault)
        calls = await h.send("/quiz", ADMIN, chat_id=GROUP)
        assert calls[-1].text == texts.LIVE_CHOOSE_BANK and calls[-1].buttons


async def test_a_definite_refusal_means_not_a_teacher(tmp_path: Path) -> None:
    """Telegram answered, with an error asking again cannot change: not a teacher, as before."""
    clock, pupils = FakeClock(), make_class(1)
    async with running(live_config(tmp_path), clock=clock) as h:
        room = Room(h, clock)
        await room.begin("facts", pupils)
        before = await room.session()
        failing_member_checks(h, lambda: api_error(400, "Bad Request: user not found"))
        assert h.toast(await room.control("sk", STRANGER)) == texts.LIVE_TEACHERS_ONLY
        assert snapshot(await room.session()) == snapshot(before)
