"""Durability first: when a student's press is acknowledged, their answer is already committed.

The presses arrive at once: private answers share group commits (storage/base.py), a live
session's presses take turns under its lock. At the moment each answerCallbackQuery leaves,
another connection reads the database file, which shows it only committed rows.
"""

from __future__ import annotations

from pathlib import Path

from telegram import Update

from tests import backends
from tests.factories import Person
from tests.fakes import Call, RecordingRequest
from tests.harness import running
from tests.live_support import FakeClock, Room, live_config, make_class


class CheckingAcks(RecordingRequest):
    """On every acknowledgement of a watched press, looks for its row from another connection."""

    def __init__(self) -> None:
        super().__init__()
        self.path: Path | None = None
        self.watched: dict[str, tuple[str, tuple]] = {}  # query id -> (SQL, params)
        self.found: dict[str, bool] = {}

    def record(self, call: Call) -> None:
        super().record(call)
        query = str(call.params.get("callback_query_id", ""))
        if call.method == "answerCallbackQuery" and query in self.watched:
            sql, params = self.watched[query]
            # Another connection, as another process would see it, on either database.
            self.found[query] = bool(backends.read(self.path, sql, params))


async def test_live_answers_are_committed_before_their_toast(tmp_path: Path) -> None:
    clock, request = FakeClock(), CheckingAcks()
    pupils = make_class(30)
    config = live_config(tmp_path)
    request.path = config.db_path
    async with running(config, clock=clock, request=request) as h:
        room = Room(h, clock)
        s = await room.begin("facts", pupils)
        option = await room.option(s.current.order[0])
        presses: list[Update] = []
        for p in pupils:
            update = h.tap_update(option, p)
            request.watched[update.callback_query.id] = (
                "SELECT 1 FROM live_answers WHERE session_id = ? AND user_id = ?",
                (s.id, p.id),
            )
            presses.append(update)
        await h.deliver(presses)
    assert len(request.found) == 30 and all(request.found.values())


async def test_private_answers_are_committed_before_their_toast(tmp_path: Path) -> None:
    request = CheckingAcks()
    students = [Person(7000 + i, f"طالبة {i}") for i in range(20)]
    config = live_config(tmp_path)
    request.path = config.db_path
    async with running(config, request=request) as h:
        presses: list[Update] = []
        for student in students:
            await h.start_bank(student, "facts")
            attempt = await h.repo.active_attempt(student.id, student.id)
            update = h.tap_update(h.button(position=0, chat_id=student.id), student)
            request.watched[update.callback_query.id] = (
                "SELECT 1 FROM answers WHERE attempt_id = ?",
                (attempt.id,),
            )
            presses.append(update)
        await h.deliver(presses)
    assert len(request.found) == 20 and all(request.found.values())
