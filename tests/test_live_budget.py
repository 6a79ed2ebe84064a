"""Telegram allows about 20 bot messages a minute in a group: a question must cost the same
few group messages for 5 students as for 40. Counts every Bot API call addressed to the group."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from bot.live import api as live_engine
from quizzes.live import Stage, Status
from tests.harness import running
from tests.live_support import (
    MESSAGE_METHODS,
    FakeClock,
    Room,
    bank_dir,
    live_config,
    make_class,
)

QUESTIONS = 6


async def _group_calls_per_question(tmp_path: Path, size: int) -> list[Counter]:
    """Run QUESTIONS questions the same way for a class of `size`; return, per question, the
    group calls from its opening to the opening of the next one."""
    clock = FakeClock()
    rng = random.Random(size)
    pupils = make_class(size)
    async with running(live_config(tmp_path), clock=clock) as h:
        room = Room(h, clock)
        await room.open("facts")
        for p in pupils:
            await room.join(p)
        await room.timers(5)
        await room.control("go")
        per_question = []
        for _ in range(QUESTIONS):
            start = len(h.request.calls)
            # Half the class answers (some twice), the timers run (one counter edit), then
            # the rest answer and the question closes early; then the gap before the next.
            first, rest = pupils[: size // 2], pupils[size // 2 :]
            for p in first + rng.sample(first, len(first) // 2):
                clock.advance(0.1)
                await room.respond(p, rng.random() < 0.5)
            await room.timers(10)
            for p in rest:
                await room.respond(p, rng.random() < 0.5)
            await room.timers(h.app.bot_data.live.rules.reveal_seconds)
            per_question.append(
                Counter(c.method for c in room.group_calls(h.request.calls[start:]))
            )
        await room.control("st")
        return per_question


async def test_group_calls_per_question_do_not_grow_with_the_class(tmp_path: Path) -> None:
    small = await _group_calls_per_question(tmp_path / "five", 5)
    large = await _group_calls_per_question(tmp_path / "forty", 40)
    assert small == large
    # Per question: the counter edit and the reveal edit, then the next question's message
    # and the removal of the reveal's controls; after the fifth, an interim leaderboard.
    plain = Counter({"editMessageText": 2, "sendMessage": 1, "editMessageReplyMarkup": 1})
    assert small[0] == plain
    assert small[4] == plain + Counter({"sendMessage": 1})
    assert all(sum(c.values()) <= 5 for c in small)
    print(f"group calls per question (5 and 40 students): {[sum(c.values()) for c in small]}")


async def test_a_question_costs_at_most_its_timer_edits(tmp_path: Path) -> None:
    """Worst case: answers trickle in during the whole time limit. The counter is edited at
    most once per counter_seconds, so the cost is bounded by time, never by the class."""
    clock = FakeClock()
    pupils = make_class(40)
    async with running(live_config(tmp_path), clock=clock) as h:
        rules = h.app.bot_data.live.rules
        room = Room(h, clock)
        s = await room.begin("facts", pupils)
        seconds = s.current.seconds
        start = len(h.request.calls)
        # One answer, then a timer tick, every refresh period, until time is up.
        waited = 0.0
        for p in pupils:
            if waited + rules.refresh_seconds >= seconds:
                break
            await room.respond(p, True)
            await room.timers(rules.refresh_seconds)
            waited += rules.refresh_seconds
        clock.advance(seconds)
        await live_engine.close_due_sessions(h.app)
        calls = Counter(c.method for c in room.group_calls(h.request.calls[start:]))
        edits_bound = int(seconds // rules.counter_seconds)
        assert calls["sendMessage"] == 0
        assert 2 <= calls["editMessageText"] <= edits_bound + 1
        print(f"{seconds} s question, answers trickling in: {dict(calls)}")


async def _typed_and_peer_calls(tmp_path: Path, size: int) -> list[Counter]:
    """A short answer, a discussion prompt and a peer round played the same way for a class of
    `size`: half answer (some twice), a counter tick, the rest answer; the peer round's
    discussion runs out, then the re-vote goes the same way. Returns, per question, the
    message calls to the group from its opening to the opening of the next one."""
    clock = FakeClock()
    rng = random.Random(size)
    pupils = make_class(size)
    config = live_config(tmp_path, banks_dir=bank_dir(tmp_path, ("s01", "d01", "p01", "e01")))
    async with running(config, clock=clock) as h:
        rules = h.app.bot_data.live.rules
        room = Room(h, clock)
        await room.open("live4")
        for p in pupils:
            await room.join(p)
        await room.control("rs")
        await room.timers(5)
        await room.control("go")

        async def everyone() -> None:
            first, rest = pupils[: size // 2], pupils[size // 2 :]
            for p in first + rng.sample(first, len(first) // 2):
                clock.advance(0.1)
                await room.respond(p, rng.random() < 0.5)
            await room.timers(10)
            for p in rest:
                await room.respond(p, rng.random() < 0.5)

        per_question = []
        for _ in range(4):
            start = len(h.request.calls)
            await everyone()
            s = await room.session()
            if s.stage is Stage.DISCUSS:
                await room.timers(s.current.discuss)
                await everyone()
            await room.timers(rules.reveal_seconds)
            per_question.append(
                Counter(
                    c.method
                    for c in room.group_calls(h.request.calls[start:])
                    if c.method in MESSAGE_METHODS
                )
            )
        assert (await room.session()).status is Status.FINISHED
        return per_question


async def test_typed_questions_and_peer_rounds_cost_the_same_for_any_class(
    tmp_path: Path,
) -> None:
    small = await _typed_and_peer_calls(tmp_path / "five", 5)
    large = await _typed_and_peer_calls(tmp_path / "forty", 40)
    assert small == large
    # A typed question, like a choice one: one counter edit and the reveal, then the next
    # question's message and the removal of the reveal's buttons. No message per reply.
    plain = Counter({"editMessageText": 2, "sendMessage": 1, "editMessageReplyMarkup": 1})
    assert small[0] == small[1] == plain
    # A peer round adds the discussion edit, the re-vote's message (the discussion message
    # loses its buttons) and the re-vote's counter edit: twice the cost of a question.
    assert small[2] == plain + plain
    # The last question ends the session: the final results follow its reveal.
    assert small[3] == Counter({"editMessageText": 2, "sendMessage": 1})
    print(
        "group messages per question (5 and 40 students), short/discussion/peer/evidence:",
        [sum(c.values()) for c in small],
    )
