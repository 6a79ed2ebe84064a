"""Fault suite, live group sessions: the Bot API failing while a class plays.

A failed message to the group must not stop the session (the timers show it again), a failed
toast must not stop the press it acknowledges, and a group the bot can no longer post in ends
the session cleanly with its scores. Every case checks SQLite itself."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from bot import bidi, texts
from bot.live import api as live_engine
from quizzes.live import LiveRules, Phase, Status
from tests.factories import Person
from tests.fault_support import (
    BLOCKED,
    FINAL,
    KICKED,
    NOT_MODIFIED,
    RECORDED,
    TOO_OLD,
    TRANSIENT,
    Fault,
    answers_to,
    api_error,
    count,
    flood,
    replay,
    rows,
    text_has,
    unlimited_but_retrying,
)
from tests.harness import Harness, running
from tests.live_support import GROUP, TEACHER, FakeClock, Room, live_config, make_class

in_group = lambda call: call.chat_id == GROUP  # noqa: E731


async def playing(h: Harness, clock: FakeClock, pupils: list[Person]) -> Room:
    """A facts session in GROUP with `pupils` joined and its first question open."""
    room = Room(h, clock)
    await room.begin("facts", pupils)
    clock.advance(2)
    return room


def session_row(h: Harness, session_id: int) -> dict:
    names = ("status", "phase", "position", "step", "shown_step", "message_id")
    found = rows(
        h.app.bot_data.config.db_path,
        f"SELECT {', '.join(names)} FROM live_sessions WHERE id = ?",
        (session_id,),
    )
    return dict(zip(names, found[0], strict=True))


def answer_rows(h: Harness, session_id: int) -> list[tuple]:
    """(position, user, correct, points) of every stored answer, in order."""
    return rows(
        h.app.bot_data.config.db_path,
        "SELECT position, user_id, correct, points FROM live_answers WHERE session_id = ?"
        " ORDER BY id",
        (session_id,),
    )


def scores(h: Harness, session_id: int) -> dict[int, float]:
    found = rows(
        h.app.bot_data.config.db_path,
        "SELECT user_id, score FROM live_scores WHERE session_id = ?",
        (session_id,),
    )
    return dict(found)


def reveals(calls: list) -> list:
    return [c for c in calls if c.method == "editMessageText" and "📨" in c.text and c.buttons]


# --- 429 -----------------------------------------------------------------------------------


async def test_flood_control_on_the_question_and_its_reveal_is_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    limiter = unlimited_but_retrying()
    clock, pupils = FakeClock(), make_class(2)
    async with running(live_config(tmp_path), clock=clock, rate_limiter=limiter) as h:
        send = Fault("sendMessage", flood, where=text_has("السؤال ١ من"))
        reveal = Fault("editMessageText", flood, where=text_has(texts.LIVE_REASON_ALL_ANSWERED))
        h.request.responders += [send, reveal]
        room = await playing(h, clock, pupils)
        assert len(send.hits) == 1
        sent = [c for c in h.request.of("sendMessage", GROUP) if "السؤال ١ من" in c.text]
        assert len(sent) == 2
        s = await room.session()
        key = sorted(room.question(s).answer)[0]
        for p in pupils:
            calls = await room.tap(p, await room.option(key))
            assert all(c.params["text"].startswith(RECORDED) for c in answers_to(calls))
        assert len(reveal.hits) == 1
        row = session_row(h, room.session_id)
        assert row["phase"] == "reveal" and row["shown_step"] == row["step"]
        assert len(reveals(h.request.calls)) == 2  # refused once, then shown
        assert [(p, c) for p, _, c, _ in answer_rows(h, room.session_id)] == [(0, 1), (0, 1)]


# --- 5xx, timeouts, network errors ---------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(TRANSIENT))
async def test_failed_group_messages_are_shown_again_and_the_session_goes_on(
    tmp_path: Path, kind: str
) -> None:
    clock, pupils = FakeClock(), make_class(2)
    async with running(live_config(tmp_path), clock=clock) as h:
        room = await playing(h, clock, pupils)
        # Q1: the last answer closes the question, but the reveal does not get through.
        lost = Fault("editMessageText", TRANSIENT[kind], where=text_has("📨"))
        h.request.responders.append(lost)
        assert (await room.respond(pupils[0], True)).startswith(RECORDED)
        assert (await room.respond(pupils[1], False)).startswith(RECORDED)
        assert len(lost.hits) == 1
        row = session_row(h, room.session_id)
        assert row["phase"] == "reveal" and row["shown_step"] < row["step"]
        # The next timer run shows it.
        shown = reveals(await room.timers(1))
        assert len(shown) == 1 and texts.LIVE_REASON_ALL_ANSWERED in shown[0].text
        assert session_row(h, room.session_id)["shown_step"] == row["step"]
        # Q2 opens on the timer, its message is lost once and sent again by the same run.
        lost = Fault("sendMessage", TRANSIENT[kind], where=text_has("السؤال ٢ من"))
        h.request.responders.append(lost)
        calls = await room.timers(h.app.bot_data.live.rules.reveal_seconds)
        assert len(lost.hits) == 1
        assert [c for c in calls if c.method == "sendMessage" and "السؤال ٢ من" in c.text]
        row = session_row(h, room.session_id)
        assert (row["phase"], row["position"]) == ("question", 1)
        assert row["message_id"] is not None and row["shown_step"] == row["step"]
        for p in pupils:
            assert (await room.respond(p, True)).startswith(RECORDED)
        await room.timers(1)
        await room.control("st")
        assert session_row(h, room.session_id)["status"] == "stopped"
        stored = answer_rows(h, room.session_id)
        assert [(p, u, c) for p, u, c, _ in stored] == [
            (0, pupils[0].id, 1),
            (0, pupils[1].id, 0),
            (1, pupils[0].id, 1),
            (1, pupils[1].id, 1),
        ]
        assert scores(h, room.session_id) == {pupils[0].id: 2.0, pupils[1].id: 1.0}


@pytest.mark.parametrize("kind", ["timeout", "network"])
async def test_a_lost_toast_does_not_stop_the_answer_it_acknowledges(
    tmp_path: Path, kind: str
) -> None:
    clock, pupils = FakeClock(), make_class(2)
    async with running(live_config(tmp_path), clock=clock) as h:
        room = await playing(h, clock, pupils)
        await room.respond(pupils[0], True)
        h.request.responders.append(Fault("answerCallbackQuery", TRANSIENT[kind]))
        s = await room.session()
        await room.answer(pupils[1], sorted(room.question(s).answer)[0])
        # The last expected answer was recorded and closed the question at once.
        assert len(answer_rows(h, s.id)) == 2
        assert session_row(h, s.id)["phase"] == "reveal"
        assert len(reveals(h.request.calls)) == 1


# --- Forbidden -----------------------------------------------------------------------------


async def test_a_group_the_bot_cannot_post_in_ends_the_session_with_its_scores(
    tmp_path: Path,
) -> None:
    clock, pupils = FakeClock(), make_class(3)
    async with running(live_config(tmp_path), clock=clock) as h:
        room = await playing(h, clock, pupils)
        await room.respond(pupils[0], True)
        await room.respond(pupils[1], False)
        # The bot is removed from the group; the question's time runs out.
        h.request.responders.append(Fault("editMessageText", lambda: KICKED, 99, in_group))
        h.request.responders.append(Fault("sendMessage", lambda: KICKED, 99, in_group))
        clock.advance(60)
        for job in h.app.job_queue.get_jobs_by_name(f"live-deadline-{room.session_id}"):
            await job.run(h.app)  # what the job queue does at the deadline
        row = session_row(h, room.session_id)
        assert (row["status"], row["phase"]) == ("stopped", "ended")
        assert scores(h, room.session_id) == {pupils[0].id: 1.0, pupils[1].id: 0, pupils[2].id: 0}
        assert len(answer_rows(h, room.session_id)) == 2
        # Nothing of the session's left to fire (the review reminders run all the time).
        assert not [j for j in h.app.job_queue.jobs() if j.name.startswith("live-")]
        assert not [c for c in await room.timers(5) if c.chat_id == GROUP]  # nor to show
        # A late press is refused politely, and changes nothing.
        assert await room.respond(pupils[2], True) in (texts.LIVE_TOAST_CLOSED, texts.STALE)
        assert len(answer_rows(h, room.session_id)) == 2


# --- "message is not modified" -------------------------------------------------------------


async def test_message_not_modified_is_ignored(tmp_path: Path) -> None:
    clock, pupils = FakeClock(), make_class(2)
    async with running(live_config(tmp_path), clock=clock) as h:
        room = Room(h, clock)
        await room.open("facts")
        await room.join(pupils[0])
        h.request.responders.append(Fault("editMessageText", lambda: NOT_MODIFIED, 3))
        await room.timers(5)  # the lobby count
        await room.join(pupils[1])
        await room.control("go")
        for p in pupils:
            await room.respond(p, True)
        row = session_row(h, room.session_id)
        assert row["phase"] == "reveal" and row["shown_step"] == row["step"]
        assert len(answer_rows(h, room.session_id)) == 2


# --- "message to edit not found" -----------------------------------------------------------

# Deleted by someone in the group; too old to edit (Telegram's limit is 48 hours).
GONE = {"not found": "message to edit not found", "too old": "message can't be edited"}


@pytest.mark.parametrize("why", sorted(GONE))
async def test_a_question_message_that_cannot_be_edited_does_not_stop_the_session(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, why: str
) -> None:
    """The open question's message is gone (deleted, or too old): every edit of it fails from
    then on, and the session goes on (reveal stored, next question in a new message)."""
    clock, pupils = FakeClock(), make_class(2)
    async with running(live_config(tmp_path), clock=clock) as h:
        room = await playing(h, clock, pupils)
        await room.respond(pupils[0], True)
        gone = (await room.session()).message_id
        on_it = lambda call: call.params.get("message_id") == gone  # noqa: E731
        refusal = api_error(400, f"Bad Request: {GONE[why]}")
        for method in ("editMessageText", "editMessageReplyMarkup"):
            h.request.responders.append(Fault(method, lambda: refusal, 99, on_it))
        # The last answer, pressed as the message vanished, closes the question.
        with caplog.at_level(logging.WARNING, logger="bot.live.outbox"):
            assert (await room.respond(pupils[1], False)).startswith(RECORDED)
            row = session_row(h, room.session_id)
            assert row["phase"] == "reveal" and row["shown_step"] == row["step"]
            await room.timers(h.app.bot_data.live.rules.reveal_seconds)
        assert any(GONE[why] in r.getMessage().lower() for r in caplog.records)
        row = session_row(h, room.session_id)
        assert (row["phase"], row["position"]) == ("question", 1)
        assert row["message_id"] != gone and row["shown_step"] == row["step"]
        for p in pupils:
            assert (await room.respond(p, True)).startswith(RECORDED)
        assert [r[:3] for r in answer_rows(h, room.session_id)] == [
            (0, pupils[0].id, 1),
            (0, pupils[1].id, 0),
            (1, pupils[0].id, 1),
            (1, pupils[1].id, 1),
        ]


# --- "query is too old" --------------------------------------------------------------------


async def test_query_too_old_still_records_once_and_reveals(tmp_path: Path) -> None:
    clock, pupils = FakeClock(), make_class(2)
    async with running(live_config(tmp_path), clock=clock) as h:
        room = await playing(h, clock, pupils)
        await room.respond(pupils[0], True)
        s = await room.session()
        late = h.tap_update(await room.option(sorted(room.question(s).answer)[0]), pupils[1])
        h.request.responders.append(Fault("answerCallbackQuery", lambda: TOO_OLD, 2))
        await h.process(late)
        assert session_row(h, s.id)["phase"] == "reveal"
        assert len(reveals(h.request.calls)) == 1
        calls = await replay(h, late)
        assert answers_to(calls) and not reveals(calls)
        assert count(h.app.bot_data.config.db_path, "live_answers") == 2
        assert (await room.session()).status is Status.OPEN
        assert (await room.session()).phase is Phase.REVEAL


async def test_a_teacher_who_blocked_the_bot_gets_no_export_and_the_class_plays_on(
    tmp_path: Path,
) -> None:
    clock, pupils = FakeClock(), make_class(2)
    async with running(live_config(tmp_path), clock=clock) as h:
        room = await playing(h, clock, pupils)
        to_teacher = lambda call: call.chat_id == TEACHER.id  # noqa: E731
        for method in ("sendMessage", "sendDocument"):
            h.request.responders.append(Fault(method, lambda: BLOCKED, 99, to_teacher))
        calls = await h.send("/export", TEACHER, chat_id=GROUP)
        # Said in the group, in Arabic; no file anywhere, no handler error.
        assert calls[-1].chat_id == GROUP
        assert calls[-1].text == texts.START_BOT_FIRST.format(
            link=bidi.latin("https://t.me/class_quiz_bot")
        )
        assert not [c for c in calls if c.method == "sendDocument" and c.chat_id == GROUP]
        for p in pupils:
            assert (await room.respond(p, True)).startswith(RECORDED)
        assert session_row(h, room.session_id)["phase"] == "reveal"
        assert len(answer_rows(h, room.session_id)) == 2


# --- the end of a session ------------------------------------------------------------------


def finals(calls: list) -> list:
    return [c for c in calls if c.method == "sendMessage" and FINAL in c.text]


async def ended_with_the_reveal_shown(h: Harness, clock: FakeClock, pupils: list[Person]) -> Room:
    """Q1 answered (the first pupil right, the second wrong) and revealed: the teacher may stop."""
    room = await playing(h, clock, pupils)
    assert (await room.respond(pupils[0], True)).startswith(RECORDED)
    assert (await room.respond(pupils[1], False)).startswith(RECORDED)
    assert session_row(h, room.session_id)["phase"] == "reveal"
    return room


@pytest.mark.parametrize("lost", ["reveal", "final"])
@pytest.mark.parametrize("kind", sorted(TRANSIENT))
async def test_a_failed_ending_keeps_the_scores_and_sends_the_standings_once(
    tmp_path: Path, kind: str, lost: str
) -> None:
    clock, pupils = FakeClock(), make_class(2)
    async with running(live_config(tmp_path), clock=clock) as h:
        room = await ended_with_the_reveal_shown(h, clock, pupils)
        # Stopping redraws the reveal without its controls, then sends the final standings.
        fault = (
            Fault("editMessageText", TRANSIENT[kind], where=text_has("📨"))
            if lost == "reveal"
            else Fault("sendMessage", TRANSIENT[kind], where=text_has(FINAL))
        )
        h.request.responders.append(fault)
        calls = await room.control("st")
        assert len(fault.hits) == 1
        assert all(any(c is hit for hit in fault.hits) for c in finals(calls))  # none went out
        row = session_row(h, room.session_id)
        assert (row["status"], row["phase"]) == ("stopped", "ended")
        # Saved with the ending itself: the leaderboard and the exports have the session.
        assert scores(h, room.session_id) == {pupils[0].id: 1.0, pupils[1].id: 0.0}
        assert len(await h.repo.live_results(session_id=room.session_id)) == 2
        (board,) = await h.send("/leaderboard", TEACHER, chat_id=GROUP)
        assert pupils[0].first_name in board.text and pupils[1].first_name in board.text
        # The next tick sends the standings, once; later ticks send nothing more.
        (final,) = finals(await room.timers(1))
        assert pupils[0].first_name in final.text
        assert session_row(h, room.session_id)["shown_step"] == row["step"]
        assert not finals(await room.timers(5)) and not finals(await room.timers(60))


async def test_the_final_standings_go_out_once(tmp_path: Path) -> None:
    clock, pupils = FakeClock(), make_class(2)
    async with running(live_config(tmp_path), clock=clock) as h:
        room = await ended_with_the_reveal_shown(h, clock, pupils)
        assert len(finals(await room.control("st"))) == 1
        row = session_row(h, room.session_id)
        assert row["shown_step"] == row["step"]
        assert not finals(await room.timers(5)) and not finals(await room.timers(60))
        assert len(finals(h.request.calls)) == 1


async def test_a_group_that_removed_the_bot_is_not_sent_the_standings_again(
    tmp_path: Path,
) -> None:
    clock, pupils = FakeClock(), make_class(2)
    async with running(live_config(tmp_path), clock=clock) as h:
        room = await ended_with_the_reveal_shown(h, clock, pupils)
        h.request.responders.append(Fault("sendMessage", TRANSIENT["502"], where=text_has(FINAL)))
        await room.control("st")
        # Then the bot is removed from the group: the timers try once, and give up.
        kicked = Fault("sendMessage", lambda: KICKED, 99, in_group)
        h.request.responders.append(kicked)
        await room.timers(5)
        await room.timers(5)
        assert len(kicked.hits) == 1
        assert scores(h, room.session_id) == {pupils[0].id: 1.0, pupils[1].id: 0.0}


async def test_the_watch_sends_the_standings_a_timeout_held_back(tmp_path: Path) -> None:
    """Nothing times an ended session any more (its jobs are gone): the watch sends them."""
    clock, pupils = FakeClock(), make_class(2)
    async with running(live_config(tmp_path), clock=clock) as h:
        room = await ended_with_the_reveal_shown(h, clock, pupils)
        h.request.responders.append(
            Fault("sendMessage", TRANSIENT["timeout"], where=text_has(FINAL))
        )
        await room.control("st")
        assert not h.app.job_queue.get_jobs_by_name(f"live-refresh-{room.session_id}")
        h.app.bot_data.live.rules = LiveRules(refresh_seconds=0.02)
        live_engine.start_watch(h.app)  # wakes up on the new, short period
        for _ in range(50):
            await asyncio.sleep(0.02)
            if len(finals(h.request.calls)) == 2:
                break
        await asyncio.sleep(0.1)  # a few more periods: nothing more
        assert len(finals(h.request.calls)) == 2  # the one that timed out, and the one sent
        row = session_row(h, room.session_id)
        assert row["shown_step"] == row["step"]
