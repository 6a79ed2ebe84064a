"""Peer-instruction rounds in live group sessions, through the real Application: a hidden
first vote, a timed discussion, the re-vote, and a reveal of both votes and the shift; the
teacher's controls in every stage, and restarts in the middle of the discussion."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot import bidi, texts
from bot.formatting import Formatter
from bot.live import api as live_engine
from quizzes import live
from quizzes.live import Phase, Stage, Status
from tests.harness import Harness, running
from tests.live_support import (
    ALWAYS_DISCUSS,
    GROUP,
    FakeClock,
    Room,
    bank_dir,
    live_config,
    make_class,
)

ARABIC = Formatter()  # the default digits, as in the tests' config


def line_is_marked(line: str, correct: bool) -> bool:
    return line.startswith(texts.MARK_CORRECT) is correct


def _keys(room: Room, s: live.LiveSession) -> tuple[str, list[str]]:
    """The right key and the wrong ones, in the order shown."""
    q = room.question(s)
    right = sorted(q.answer)[0]
    return right, [k for k in s.current.order if k != right]


async def _lobby(h: Harness, room: Room, size: int) -> list:
    pupils = make_class(size)
    await room.begin("live4", pupils)
    return pupils


async def test_vote_discuss_vote_again_and_the_shift(tmp_path: Path) -> None:
    clock = FakeClock()
    config = live_config(tmp_path, banks_dir=bank_dir(tmp_path, ("p01", "s01")))
    async with running(config, clock=clock) as h:
        room = Room(h, clock)
        pupils = await _lobby(h, room, 5)
        s = await room.session()
        first_message = s.message_id
        sent = h.request.last("sendMessage", GROUP)
        assert texts.LIVE_PEER_VOTE_HINT in sent.text
        assert all(d.startswith("la:") for _, d in sent.buttons[:-3])
        assert texts.LIVE_BUTTON_CLOSE_VOTE in [label for label, _ in sent.buttons]
        right, wrong = _keys(room, s)

        # --- first vote: acknowledged privately, nothing in the group ------------------------
        h.request.clear()
        votes = [wrong[0], wrong[0], right, None, right]
        for person, key in zip(pupils, votes, strict=True):
            if key is not None:
                toast = await room.answer(person, key)
                assert toast.startswith("سُجّل تصويتك الأول")
        assert await room.answer(pupils[0], right) == texts.LIVE_TOAST_ALREADY_VOTED
        assert room.group_calls() == []
        counter = room.group_calls(await room.timers(10))
        assert len(counter) == 1 and "📨 الإجابات: ٤ من ٥" in counter[0].text

        # --- time is up: the same message becomes the discussion, results still hidden --------
        clock.advance(s.current.seconds)
        start = len(h.request.calls)
        await live_engine.close_due_sessions(h.app)
        (discussion,) = room.group_calls(h.request.calls[start:])
        assert discussion.method == "editMessageText"
        assert discussion.params["message_id"] == first_message
        assert texts.LIVE_VOTE_REASON_TIMEOUT in discussion.text
        assert "صوّت ٤ من ٥" in discussion.text and "ناقش زميلك" in discussion.text
        assert "يُفتح التصويت من جديد بعد ٩٠ ثانيةً" in discussion.text
        assert texts.BAR_FULL not in discussion.text and "٪" not in discussion.text
        assert [label for label, _ in discussion.buttons] == [
            texts.LIVE_BUTTON_PAUSE,
            texts.LIVE_BUTTON_REVOTE,
            texts.LIVE_BUTTON_STOP,
        ]
        s = await room.session()
        assert s.stage is Stage.DISCUSS and s.deadline == clock.now + timedelta(seconds=90)
        # A press on the first vote's buttons now: nothing is recorded.
        toast = await room.answer(pupils[3], right, stale=True)
        assert toast == texts.LIVE_TOAST_DISCUSSING
        # The discussion message is not a counter: the timers leave it alone until its end.
        assert room.group_calls(await room.timers(60)) == []

        # --- the re-vote: a new message with its own buttons ---------------------------------
        calls = room.group_calls(await room.timers(30))
        assert [c.method for c in calls] == ["editMessageReplyMarkup", "sendMessage"]
        assert calls[0].params["message_id"] == first_message
        revote = calls[1]
        assert texts.LIVE_PEER_REVOTE_HINT in revote.text and "📨 الإجابات: ٠ من ٥" in revote.text
        assert all(d.startswith("lr:") for _, d in revote.buttons[:-3])
        s = await room.session()
        assert s.stage is Stage.REVOTE and s.message_id != first_message
        # Changed to the right answer, stayed wrong, moved away from it, voted only now;
        # the fifth student keeps the first vote.
        for person, key in zip(pupils, [right, wrong[0], wrong[1], right], strict=False):
            assert (await room.answer(person, key)).startswith("سُجّل تصويتك الثاني")
        assert await room.answer(pupils[0], wrong[0]) == texts.LIVE_TOAST_ALREADY_VOTED
        clock.advance(s.current.seconds)
        await live_engine.close_due_sessions(h.app)

        # --- the reveal: both votes side by side, the shift, who changed their mind ----------
        reveal = h.request.last("editMessageText", GROUP)
        assert reveal.params["message_id"] == s.message_id
        text = reveal.text
        assert texts.LIVE_REASON_TIMEOUT in text
        # First vote: 4 votes, 2 right (50 %); re-vote: 4 votes, 2 right (50 %).
        assert "بقيت نسبة الإجابة الصحيحة ٥٠٪ قبل النقاش وبعده" in text
        assert "من صوّتوا مرتين: ٣. غيّر تصويتَه منهم ٢: ١ إلى الإجابة الصحيحة، و١ عنها." in text
        assert "📨 التصويت الأول: ٤ من ٥ · التصويت الثاني: ٤ من ٥" in text
        lines = text.split("\n")
        lines = lines[next(n for n, line in enumerate(lines) if "التصويتان" in line) :]
        for i, key in enumerate(s.current.order):
            first = sum(1 for v in votes if v == key)
            second = sum(1 for v in [right, wrong[0], wrong[1], right] if v == key)
            label = f"{texts.OPTION_LETTERS[i]}) "
            at = next(n for n, line in enumerate(lines) if line.lstrip("✅ ").startswith(label))
            assert line_is_marked(lines[at], key == right)
            assert lines[at + 1].startswith(f"\u200f{texts.LIVE_PEER_BEFORE} ")
            assert f" {ARABIC.num(first)} · " in lines[at + 1]
            assert f" {ARABIC.num(second)} · " in lines[at + 2]
        assert bidi.esc(room.question(s).explanation) in text

        # --- scores: the last vote counts; a first vote not revised stands -------------------
        await room.control("st")
        results = {r.user_id: r.score for r in await h.repo.live_results(session_id=s.id)}
        assert [results[p.id] for p in pupils] == [1.0, 0.0, 0.0, 1.0, 1.0]
        answers = await h.repo.live_answers(s.id, 0)
        assert sorted((a.user_id, a.round) for a in answers) == sorted(
            [(pupils[i].id, 0) for i in (0, 1, 2, 4)] + [(pupils[i].id, 1) for i in range(4)]
        )


async def test_the_shift_up_when_everyone_votes(tmp_path: Path) -> None:
    clock = FakeClock()
    config = live_config(tmp_path, banks_dir=bank_dir(tmp_path, ("p02",), peer=ALWAYS_DISCUSS))
    async with running(config, clock=clock) as h:
        room = Room(h, clock)
        pupils = await _lobby(h, room, 4)
        right, wrong = _keys(room, await room.session())
        for person, key in zip(pupils, [right, wrong[0], wrong[0], wrong[1]], strict=True):
            await room.answer(person, key)
        # Everyone voted: the discussion starts at once; then everyone votes again.
        s = await room.session()
        assert s.stage is Stage.DISCUSS
        assert texts.LIVE_VOTE_REASON_ALL_ANSWERED in h.request.last("editMessageText").text
        await room.timers(s.current.discuss)
        for person, key in zip(pupils, [right, right, right, wrong[1]], strict=True):
            await room.answer(person, key)
        reveal = h.request.last("editMessageText", GROUP).text
        assert texts.LIVE_REASON_ALL_ANSWERED in reveal
        assert "ارتفعت نسبة الإجابة الصحيحة بعد النقاش من ٢٥٪ إلى ٧٥٪" in reveal
        assert (await room.session()).status is Status.FINISHED


async def test_the_teacher_controls_every_stage_of_a_peer_round(tmp_path: Path) -> None:
    clock = FakeClock()
    config = live_config(
        tmp_path, banks_dir=bank_dir(tmp_path, ("p01", "p02"), peer=ALWAYS_DISCUSS)
    )
    async with running(config, clock=clock) as h:
        room = Room(h, clock)
        pupils = await _lobby(h, room, 2)
        right, _ = _keys(room, await room.session())
        await room.answer(pupils[0], right)
        # Close the first vote early.
        calls = await room.control("sk")
        assert texts.LIVE_VOTE_REASON_SKIPPED in room.group_calls(calls)[0].text
        assert (await room.session()).stage is Stage.DISCUSS
        # Pause the discussion: the clock stops, the message says so, nothing moves.
        clock.advance(30)
        await room.control("pa")
        paused = h.request.last("editMessageText", GROUP)
        assert "الوقت المتبقي للنقاش: ٦٠ ثانيةً" in paused.text
        assert texts.LIVE_BUTTON_RESUME in [label for label, _ in paused.buttons]
        assert room.group_calls(await room.timers(300)) == []
        await room.control("re")
        s = await room.session()
        assert s.deadline == clock.now + timedelta(seconds=60) and s.stage is Stage.DISCUSS
        # Open the re-vote early, then reveal early.
        calls = await room.control("sk")
        assert [c.method for c in room.group_calls(calls)] == [
            "editMessageReplyMarkup",
            "sendMessage",
        ]
        await room.answer(pupils[1], right)
        calls = await room.control("sk")
        assert "التصويتان، قبل النقاش وبعده" in room.group_calls(calls)[0].text
        assert (await room.session()).phase is Phase.REVEAL
        # The next peer question: stop during its discussion. Its first vote is revealed.
        await room.control("sk")
        right, _ = _keys(room, await room.session())
        await room.answer(pupils[0], right)
        await room.control("sk")
        calls = await room.control("st")
        group = room.group_calls(calls)
        assert [c.method for c in group] == ["editMessageText", "sendMessage"]
        assert texts.LIVE_REASON_STOPPED in group[0].text
        assert "الصحيحة منها: ١" in group[0].text and "أنهى المعلم الجلسة" in group[1].text
        s = await room.session()
        assert s.status is Status.STOPPED
        results = {r.user_id: r.score for r in await h.repo.live_results(session_id=s.id)}
        # First round: the re-vote of pupil 1, the first vote of pupil 0; second: pupil 0.
        assert results == {pupils[0].id: 2.0, pupils[1].id: 1.0}


async def _to_discussion(tmp_path: Path, clock: FakeClock) -> tuple[int, list]:
    """A session up to the middle of its first peer round's discussion; returns its id."""
    folder = bank_dir(tmp_path, ("p01", "s01"), peer=ALWAYS_DISCUSS)
    config = live_config(tmp_path, banks_dir=folder)
    async with running(config, clock=clock) as h:
        room = Room(h, clock)
        pupils = await _lobby(h, room, 3)
        right, wrong = _keys(room, await room.session())
        for person, key in zip(pupils, [right, wrong[0], wrong[0]], strict=True):
            await room.answer(person, key)
        s = await room.session()
        assert s.stage is Stage.DISCUSS
        clock.advance(30)
        return s.id, pupils


async def test_restart_in_the_middle_of_a_discussion(tmp_path: Path) -> None:
    clock = FakeClock()
    session_id, pupils = await _to_discussion(tmp_path, clock)
    config = live_config(tmp_path, banks_dir=tmp_path / "banks")
    async with running(config, clock=clock) as h:
        room = Room(h, clock)
        room.session_id = session_id
        s = await room.session()
        # Nothing shown at startup: the discussion's deadline is ahead, and rescheduled.
        assert s.stage is Stage.DISCUSS and not room.group_calls()
        (job,) = h.app.job_queue.get_jobs_by_name(f"live-deadline-{session_id}")
        assert job is not None
        assert room.group_calls(await room.timers(30)) == []
        calls = room.group_calls(await room.timers(30))
        assert [c.method for c in calls] == ["editMessageReplyMarkup", "sendMessage"]
        right, wrong = _keys(room, await room.session())
        for person, key in zip(pupils, [right, right, wrong[0]], strict=True):
            assert (await room.answer(person, key)).startswith("سُجّل تصويتك الثاني")
        reveal = h.request.last("editMessageText", GROUP).text
        assert "ارتفعت نسبة الإجابة الصحيحة بعد النقاش من ٣٣٪ إلى ٦٧٪" in reveal
        assert "📨 التصويت الأول: ٣ من ٣ · التصويت الثاني: ٣ من ٣" in reveal


async def test_restart_after_the_discussion_ended_opens_the_revote(tmp_path: Path) -> None:
    clock = FakeClock()
    session_id, _ = await _to_discussion(tmp_path, clock)
    clock.advance(600)
    config = live_config(tmp_path, banks_dir=tmp_path / "banks")
    async with running(config, clock=clock) as h:
        sent = h.request.of("sendMessage", GROUP)
        assert len(sent) == 1 and texts.LIVE_PEER_REVOTE_HINT in sent[0].text
        s = await h.repo.get_live(session_id)
        assert s.stage is Stage.REVOTE and s.message_id is not None and s.shown_step == s.step
        assert s.deadline == clock.now + timedelta(seconds=s.current.seconds)


async def test_a_discussion_stored_but_never_shown_is_shown_on_startup(tmp_path: Path) -> None:
    clock = FakeClock()
    config = live_config(tmp_path, banks_dir=bank_dir(tmp_path, ("p01",)))
    async with running(config, clock=clock) as h:
        room = Room(h, clock)
        await _lobby(h, room, 2)
        s = await room.session()
        # The process dies between storing the discussion and editing the message.
        discussing, _ = live.skip(s, clock.now, h.app.bot_data.live.rules)
        assert await h.repo.save_live(discussing, s.step)
    async with running(config, clock=clock) as h:
        edits = h.request.of("editMessageText", GROUP)
        assert len(edits) == 1 and "ناقش زميلك" in edits[0].text
        assert edits[0].params["message_id"] == s.message_id
        stored = await h.repo.get_live(s.id)
        assert stored.shown_step == stored.step


async def test_a_replayed_revote_changes_nothing(tmp_path: Path) -> None:
    clock = FakeClock()
    config = live_config(tmp_path, banks_dir=bank_dir(tmp_path, ("p01", "s01")))
    async with running(config, clock=clock) as h:
        room = Room(h, clock)
        pupils = await _lobby(h, room, 2)
        await room.control("sk")
        await room.control("sk")
        s = await room.session()
        right, wrong = _keys(room, s)
        update = h.tap_update(await room.option(wrong[0]), pupils[0], update_id=515151)
        assert h.toast(await h.process(update)).startswith("سُجّل تصويتك الثاني")
        stored = await h.repo.live_answers(s.id)
        assert h.toast(await h.process(update)) == texts.LIVE_TOAST_ALREADY_VOTED
        assert await h.repo.live_answers(s.id) == stored
        # Delivered again after the round closed: it did count, and says so. A first press
        # on a re-vote that is over is refused without recording.
        await room.control("sk")
        assert h.toast(await h.process(update)) == texts.LIVE_TOAST_ALREADY_VOTED
        assert await room.answer(pupils[1], right, stale=True) == texts.LIVE_TOAST_CLOSED
        assert await h.repo.live_answers(s.id) == stored
