"""Spaced review through the real Application: misses scheduled, quiz polls sent in the chosen
hours, poll answers recorded once, boxes advanced, and the schedule kept over a restart."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from telegram import Poll

from bot import review_delivery, review_keyboards, texts
from bot.formatting import Formatter
from quizzes.review import Window
from tests import factories
from tests.factories import Person
from tests.fault_support import BLOCKED, Fault, replay
from tests.harness import Harness, make_config, running
from tests.review_support import (
    RIYADH,
    MovingClock,
    attempt_with_misses,
    option_texts,
    param_list,
    review_answer_rows,
    schedule_rows,
    sends_to,
)

STUDENT = Person(6101, "هدى", "السالم", "huda")
OTHER = Person(6102, "مازن", "الخطيب", "mazen")


def _config(tmp_path: Path):
    return make_config(tmp_path, timezone=RIYADH)


async def _opt_in(h: Harness, person: Person, window: Window) -> None:
    await h.send("/review", person)
    label = review_keyboards.window_label(Formatter(), window)
    await h.tap(person, label)


async def _deliver(h: Harness) -> list:
    start = len(h.request.calls)
    await review_delivery.deliver_due(h.app)
    return h.request.calls[start:]


async def test_whole_loop_from_misses_to_the_next_box(tmp_path: Path) -> None:
    clock = MovingClock(datetime(2026, 12, 1, 7, 0, tzinfo=UTC))  # 10:00 in Riyadh
    async with running(_config(tmp_path), clock=clock) as h:
        missed = await attempt_with_misses(h, STUDENT, "facts", misses=2)
        stored = schedule_rows(h, STUDENT.id)
        assert set(stored) == missed
        # Box 1: due from the start of the next local day (midnight in Riyadh = 21:00 UTC).
        assert {due for _, due, _ in stored.values()} == {"2026-12-01T21:00:00+00:00"}
        # Off by default: nothing is sent until the student chooses a window.
        clock.local(2, 18)
        assert await _deliver(h) == []
        await _opt_in(h, STUDENT, Window.EVENING)
        assert (await h.repo.review_settings(STUDENT.id)).window is Window.EVENING
        # The next morning the items are due, but the window is the evening: nothing yet.
        clock.local(3, 10)
        assert sends_to(await _deliver(h), STUDENT.id) == []
        clock.local(3, 17, 5)
        sent = sends_to(await _deliver(h), STUDENT.id)
        assert [c.method for c in sent] == ["sendPoll"]
        poll_call = sent[0]
        assert poll_call.params["type"] == Poll.QUIZ
        assert poll_call.params["is_anonymous"] is False
        prompt = await h.repo.review_prompt_for_poll(poll_call.result["poll"]["id"])
        question = h.app.bot_data.banks["facts"].question(prompt.question_id)
        keys = [o.key for o in question.options]
        right = sorted(keys.index(k) for k in question.answer)
        assert param_list(poll_call, "correct_option_ids") == right
        assert len(poll_call.params["explanation"]) <= 200
        assert all(len(o) <= 100 for o in option_texts(poll_call))
        # One message a day: a later run the same evening sends nothing.
        clock.local(3, 20)
        assert sends_to(await _deliver(h), STUDENT.id) == []
        # The answer: recorded once, even when Telegram delivers it again.
        vote = factories.poll_answer(h.bot, poll_call.result["poll"]["id"], STUDENT, right)
        after_vote = sends_to(await h.process(vote), STUDENT.id)
        assert review_answer_rows(h, STUDENT.id) == [(question.id, 2, 1)]
        assert len(after_vote) == 1  # one reply: the passage, or the next item
        assert sends_to(await replay(h, vote), STUDENT.id) == []
        assert review_answer_rows(h, STUDENT.id) == [(question.id, 2, 1)]
        box, due, reviews = schedule_rows(h, STUDENT.id)[question.id]
        # Box 2: three local days after the answer's day (Dec 3 + 3, midnight in Riyadh).
        assert (box, due, reviews) == (1, "2026-12-05T21:00:00+00:00", 1)


async def test_wrong_answer_goes_back_to_box_one(tmp_path: Path) -> None:
    clock = MovingClock(datetime(2026, 12, 1, 7, 0, tzinfo=UTC))
    async with running(_config(tmp_path), clock=clock) as h:
        await attempt_with_misses(h, STUDENT, "facts", misses=1)
        clock.local(2, 9)
        calls = await h.send("/review", STUDENT)
        assert texts.REVIEW_BUTTON_START in [label for label, _ in calls[-1].buttons]
        polls = [
            c for c in await h.tap(STUDENT, texts.REVIEW_BUTTON_START) if c.method == "sendPoll"
        ]
        prompt = await h.repo.review_prompt_for_poll(polls[0].result["poll"]["id"])
        question = h.app.bot_data.banks["facts"].question(prompt.question_id)
        wrong = next(i for i, o in enumerate(question.options) if o.key not in question.answer)
        await h.process(factories.poll_answer(h.bot, prompt.poll_id, STUDENT, [wrong]))
        assert review_answer_rows(h, STUDENT.id) == [(question.id, 2, 0)]
        assert schedule_rows(h, STUDENT.id)[question.id] == (0, "2026-12-02T21:00:00+00:00", 1)


async def test_nothing_due_and_only_ones_own_polls(tmp_path: Path) -> None:
    clock = MovingClock(datetime(2026, 12, 1, 7, 0, tzinfo=UTC))
    async with running(_config(tmp_path), clock=clock) as h:
        calls = await h.send("/review", OTHER)
        assert texts.REVIEW_NOTHING_DUE in calls[-1].text
        await attempt_with_misses(h, STUDENT, "facts", misses=1)
        clock.local(2, 9)
        await h.send("/review", STUDENT)
        (poll,) = [
            c for c in await h.tap(STUDENT, texts.REVIEW_BUTTON_START) if c.method == "sendPoll"
        ]
        # Someone else answering the student's poll (a forwarded copy) records nothing.
        await h.process(factories.poll_answer(h.bot, poll.result["poll"]["id"], OTHER, [0]))
        assert review_answer_rows(h, STUDENT.id) == []
        assert review_answer_rows(h, OTHER.id) == []
        calls = await h.send("/review", OTHER)
        assert texts.REVIEW_NOTHING_DUE in calls[-1].text


async def test_schedule_and_poll_map_survive_a_restart(tmp_path: Path) -> None:
    clock = MovingClock(datetime(2026, 12, 1, 7, 0, tzinfo=UTC))
    config = _config(tmp_path)
    async with running(config, clock=clock) as h:
        missed = await attempt_with_misses(h, STUDENT, "facts", misses=2)
        await _opt_in(h, STUDENT, Window.MORNING)
        request = h.request
    clock.local(2, 9)
    async with running(config, clock=clock, request=request.reopened()) as h:
        assert {i.question_id for i in await h.repo.due_reviews(STUDENT.id, clock())} == missed
        (poll,) = sends_to(await _deliver(h), STUDENT.id)
        request = h.request
    # The answer arrives after another restart: the poll id still maps to its item.
    async with running(config, clock=clock, request=request.reopened()) as h:
        prompt = await h.repo.review_prompt_for_poll(poll.result["poll"]["id"])
        right = param_list(poll, "correct_option_ids")
        await h.process(factories.poll_answer(h.bot, prompt.poll_id, STUDENT, right))
        assert review_answer_rows(h, STUDENT.id) == [(prompt.question_id, 2, 1)]


async def test_a_student_who_blocked_the_bot_is_unscheduled(tmp_path: Path) -> None:
    clock = MovingClock(datetime(2026, 12, 1, 7, 0, tzinfo=UTC))
    async with running(_config(tmp_path), clock=clock) as h:
        await attempt_with_misses(h, STUDENT, "facts", misses=1)
        await _opt_in(h, STUDENT, Window.MORNING)
        blocked = Fault("sendPoll", lambda: BLOCKED, times=100)
        h.request.responders.append(blocked)
        clock.local(2, 9)
        await _deliver(h)
        assert len(blocked.hits) == 1
        assert (await h.repo.review_settings(STUDENT.id)).blocked
        # Not retried: not later that day, nor on the following days.
        for day in (2, 3, 4):
            clock.local(day, 11)
            await _deliver(h)
        assert len(blocked.hits) == 1
        # Choosing a window again (the student is back) lifts it.
        h.request.responders.remove(blocked)
        await _opt_in(h, STUDENT, Window.AFTERNOON)
        clock.local(5, 13)
        assert [c.method for c in sends_to(await _deliver(h), STUDENT.id)] == ["sendPoll"]


async def test_turning_reminders_off(tmp_path: Path) -> None:
    clock = MovingClock(datetime(2026, 12, 1, 7, 0, tzinfo=UTC))
    async with running(_config(tmp_path), clock=clock) as h:
        await attempt_with_misses(h, STUDENT, "facts", misses=1)
        await _opt_in(h, STUDENT, Window.MORNING)
        await h.tap(STUDENT, texts.REVIEW_BUTTON_OFF)
        assert (await h.repo.review_settings(STUDENT.id)).window is None
        clock.local(2, 9)
        assert sends_to(await _deliver(h), STUDENT.id) == []


async def test_the_job_is_on_the_job_queue(harness: Harness) -> None:
    jobs = harness.app.job_queue.get_jobs_by_name(review_delivery.JOB_NAME)
    assert len(jobs) == 1


async def test_the_answer_is_committed_before_the_reply(tmp_path: Path) -> None:
    clock = MovingClock(datetime(2026, 12, 1, 7, 0, tzinfo=UTC))
    async with running(_config(tmp_path), clock=clock, expect_errors=True) as h:
        await attempt_with_misses(h, STUDENT, "facts", misses=2)
        clock.local(2, 9)
        await h.send("/review", STUDENT)
        calls = await h.tap(STUDENT, texts.REVIEW_BUTTON_START)
        (poll,) = [c for c in calls if c.method == "sendPoll"]
        seen: list[list[tuple]] = []

        def look_then_fail(call):
            # What SQLite holds at the moment the reply goes out, then the reply is lost.
            if call.chat_id == STUDENT.id and call.method in ("sendMessage", "sendPoll"):
                seen.append(review_answer_rows(h, STUDENT.id))
                raise ConnectionError("network down")
            return None

        h.request.responders.append(look_then_fail)
        right = param_list(poll, "correct_option_ids")
        await h.process(factories.poll_answer(h.bot, poll.result["poll"]["id"], STUDENT, right))
        prompt = await h.repo.review_prompt_for_poll(poll.result["poll"]["id"])
        assert seen and seen[0] == [(prompt.question_id, 2, 1)]
        assert review_answer_rows(h, STUDENT.id) == [(prompt.question_id, 2, 1)]
