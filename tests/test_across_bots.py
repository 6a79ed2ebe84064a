"""Two bots of one district (two tokens) on one database: a teacher's classes through any of
them, and a student's /forgetme reaching what the other bot keeps.

Each bot is in its own group only: Telegram answers the other bot's getChatMember about that
group with "chat not found", as it does for a bot that is not a member. On SQLite both bots
open the same file (not how a district runs, but the teacher logic is the same).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import pytest
from telegram import Update

from bot import bidi, texts
from tests import factories
from tests.factories import Person
from tests.fakes import Call, RecordingRequest
from tests.fault_support import STUDENT, api_error, begin, right
from tests.harness import Harness, make_config, running
from tests.live_support import FakeClock, Room

G1, G2 = -100701, -100702  # served by bot A and by bot B
TITLES = {G1: "الصف الأول", G2: "الصف الثاني"}
TOKENS = ("111:AAA", "222:BBB")
T = Person(7301, "رنا", "المعلمة", "rana")  # administers G1 and G2
OTHER = Person(7302, "وليد", None, "walid")  # administers G1 only
CO = Person(7303, "هالة", None, "hala")  # administers G2 only
HEAD = Person(7300, "المديرة", None, "head")  # configured on bot A: a teacher of its classes


def not_in(chat_id: int):
    """Telegram's answer to a bot that is not a member of `chat_id`."""

    def respond(call: Call) -> tuple[int, dict] | None:
        if call.method.startswith("getChat") and call.chat_id == chat_id:
            return api_error(400, "Bad Request: chat not found")
        return None

    return respond


@asynccontextmanager
async def two_bots(
    tmp_path: Path, clock: FakeClock | None = None
) -> AsyncIterator[tuple[Harness, Harness]]:
    """Bot A serving G1 (HEAD in its QUIZBOT_TEACHER_IDS) and bot B serving G2, over the same
    database."""
    async with AsyncExitStack() as stack:
        bots = []
        for token, own, foreign in zip(TOKENS, (G1, G2), (G2, G1), strict=True):
            request = RecordingRequest(responders=[not_in(foreign)])
            request.chat_members[(own, T.id)] = "administrator"
            request.chat_members[(own, OTHER.id if own == G1 else CO.id)] = "administrator"
            teachers = frozenset({HEAD.id} if own == G1 else ())
            config = make_config(tmp_path, token=token, teacher_ids=teachers)
            bots.append(
                await stack.enter_async_context(running(config, request=request, clock=clock))
            )
        yield bots[0], bots[1]


async def say(h: Harness, person: Person, chat_id: int, text: str = "السلام عليكم") -> None:
    """A message in a group, with the group's title (so the bot stores the class)."""
    payload = factories.message_payload(text, person, chat_id)
    payload["chat"]["title"] = TITLES[chat_id]
    await h.process(
        Update.de_json({"update_id": 990_000 + payload["message_id"], "message": payload}, h.bot)
    )


def class_buttons(calls: list[Call]) -> list[str]:
    assert calls[-1].text == texts.CHOOSE_CLASS, calls[-1].text
    return sorted(data for _, data in calls[-1].buttons)


async def seat(a: Harness, b: Harness) -> None:
    """Everyone speaks in their groups; T uses bot B in G2 once, so bot B checks T there."""
    for person in (T, OTHER, STUDENT):
        await say(a, person, G1)
    for person in (T, STUDENT):
        await say(b, person, G2)
    calls = await b.send("/stats", T, chat_id=G2)
    assert calls[-1].text != texts.NOT_TEACHER


async def test_a_teacher_sees_the_classes_of_both_bots_and_nobody_else_does(
    tmp_path: Path,
) -> None:
    async with two_bots(tmp_path) as (a, b):
        await seat(a, b)
        # Bot A cannot ask about G2, yet lists it: bot B marked T a teacher there.
        calls = await a.send("/export", T)
        assert class_buttons(calls) == sorted([f"xc:{G1}:first", f"xc:{G2}:first"])
        calls = await a.tap(T, TITLES[G2])
        assert a.toast(calls) == ""
        assert calls[-1].text == texts.EXPORT_EMPTY.format(title=bidi.name(TITLES[G2]))
        calls = await a.send("/stats", T)
        assert calls[-1].text.count("طلاب الصف المعروفون") == 2

        # An admin of G1 only, and a student of both, see nothing of G2 through bot A, even
        # though someone (T) is marked a teacher there; not by a forged button either.
        calls = await a.send("/export", OTHER)
        assert calls[-1].text == texts.EXPORT_EMPTY.format(title=bidi.name(TITLES[G1]))
        calls = await a.send("/stats", OTHER)
        assert calls[-1].text.count("طلاب الصف المعروفون") == 1
        calls = await a.send("/export", STUDENT)
        assert calls[-1].text == texts.NOT_TEACHER_ANYWHERE
        for person in (OTHER, STUDENT):
            calls = await a.press_data(f"xc:{G2}:first", person)
            assert a.toast(calls) == texts.NOT_TEACHER_BUTTON
        # Bot B, for its part, lists G1 for T by bot A's mark, and nothing for the student.
        calls = await b.send("/export", T)
        assert class_buttons(calls) == sorted([f"xc:{G1}:first", f"xc:{G2}:first"])
        calls = await b.send("/export", STUDENT)
        assert calls[-1].text == texts.NOT_TEACHER_ANYWHERE


async def test_a_configured_teacher_of_one_bot_gets_only_that_bots_classes(
    tmp_path: Path,
) -> None:
    async with two_bots(tmp_path) as (a, b):
        await seat(a, b)
        await say(a, HEAD, G1)
        # Bot A's list of teachers is its school's: G2 is bot B's, and nobody marked HEAD there.
        calls = await a.send("/export", HEAD)
        assert calls[-1].text == texts.EXPORT_EMPTY.format(title=bidi.name(TITLES[G1]))
        calls = await a.press_data(f"xc:{G2}:first", HEAD)
        assert a.toast(calls) == texts.NOT_TEACHER_BUTTON
        # Bot B lists G1 for HEAD by the mark bot A wrote, and not G2.
        calls = await b.send("/export", HEAD)
        assert calls[-1].text == texts.EXPORT_EMPTY.format(title=bidi.name(TITLES[G1]))


async def test_a_teacher_removed_as_admin_loses_the_class_on_every_bot(tmp_path: Path) -> None:
    async with two_bots(tmp_path) as (a, b):
        await seat(a, b)
        calls = await a.send("/export", T)
        g2 = a.button(TITLES[G2], chat_id=T.id)
        # T is no longer an admin of G2; bot B sees it at its next check (its cached answer
        # has expired), and clears the mark.
        b.request.chat_members[(G2, T.id)] = "member"
        b.app.bot_data.admin_cache.clear()
        calls = await b.send("/stats", T, chat_id=G2)
        assert calls[-1].text == texts.NOT_TEACHER
        # Bot A lists only G1 now (one class: its files come at once), and the old button
        # for G2 no longer works.
        calls = await a.send("/export", T)
        assert calls[-1].text == texts.EXPORT_EMPTY.format(title=bidi.name(TITLES[G1]))
        calls = await a.tap(T, g2)
        assert a.toast(calls) == texts.NOT_TEACHER_BUTTON
        calls = await a.send("/stats", T)
        assert calls[-1].text.count("طلاب الصف المعروفون") == 1
        # Made an admin again, T gets G2 back after bot B's next check.
        b.request.chat_members[(G2, T.id)] = "administrator"
        b.app.bot_data.admin_cache.clear()
        await b.send("/stats", T, chat_id=G2)
        calls = await a.send("/export", T)
        assert class_buttons(calls) == sorted([f"xc:{G1}:first", f"xc:{G2}:first"])


async def test_a_removed_admin_loses_the_class_when_the_bot_reads_the_admins(
    tmp_path: Path,
) -> None:
    async with two_bots(tmp_path) as (a, b):
        await seat(a, b)
        # T is removed as an admin of G2 and never uses bot B again; another teacher's /stats
        # there reads the group's administrators, and T's mark goes.
        b.request.chat_members[(G2, T.id)] = "member"
        calls = await b.send("/stats", CO, chat_id=G2)
        assert "طلاب الصف المعروفون" in calls[-1].text
        calls = await a.send("/export", T)
        assert calls[-1].text == texts.EXPORT_EMPTY.format(title=bidi.name(TITLES[G1]))


@pytest.mark.postgresql_only  # on SQLite one process owns the file, and its caches trust that
async def test_forgetme_through_one_bot_reaches_what_the_other_keeps(tmp_path: Path) -> None:
    clock = FakeClock()
    async with two_bots(tmp_path, clock) as (a, b):
        await seat(a, b)
        # The student answers through both bots: a private question through bot A, a live
        # question in G2 through bot B, which keeps its open session in memory.
        attempt, question = await begin(a)
        await a.tap(STUDENT, right(a, attempt, question))
        room = Room(b, clock, chat_id=G2, teacher=T)
        await room.open("facts")
        await room.join(STUDENT)
        await room.control("go")
        await room.respond(STUDENT, True)
        await room.session()  # the next press would read it so: bot B keeps it now
        kept = b.repo.live_cache.get(room.session_id)
        assert kept is not None and STUDENT.id in kept.joined

        await a.send("/forgetme", STUDENT)
        await a.tap(STUDENT, texts.BUTTON_FORGET_YES)
        assert a.request.last("editMessageText").text == texts.FORGET_DONE
        # Their rows are anonymous everywhere: no student row, no attempt or live row of theirs.
        assert not await b.repo.student_exists(STUDENT.id)
        for table in ("attempts", "live_participants", "live_answers"):
            sql = f"SELECT user_id FROM {table} WHERE user_id = ?"
            assert await b.repo.fetchall(sql, (STUDENT.id,)) == [], table
        (answer,) = await b.repo.live_answers(room.session_id)
        assert answer.user_id < 0
        # Bot B does not go on with its kept copy: the session it reads has the new owner.
        session = await room.session()
        assert session.joined == {answer.user_id}
        # It ends the session with the anonymous score and without the student's name.
        calls = await room.control("st")
        final = [c.text for c in calls if c.chat_id == G2 and c.method == "sendMessage"]
        assert final and STUDENT.first_name not in final[-1]
        results = await b.repo.live_results(session_id=room.session_id)
        assert [(r.user_id, r.name) for r in results] == [(answer.user_id, "")]
        # Seen again in G2, bot B records them afresh (its memo of who it recorded is stale).
        await say(b, STUDENT, G2)
        assert STUDENT.id in {m.user_id for m in await b.repo.roster(G2)}
