"""Adaptive peer rounds through the real Application: three rounds whose first votes land at
80 %, 50 % and 20 % correct take the three paths (a short reveal; discussion and re-vote; the
teacher's choice, here "explain first"), the gain shows in the reveals and in the export,
a bank's own band changes the path, only the teacher may choose, and a restart while the
teacher chooses (or while the passage is shown) resumes on the same path."""

from __future__ import annotations

import io
import random
from pathlib import Path

from openpyxl import load_workbook

from bot import texts
from bot.formatting import Formatter
from bot.render import evidence
from bot.reports.collect import collect
from bot.reports.xlsx import workbook
from quizzes.adaptive import PeerPath
from quizzes.attempt import new_attempt
from quizzes.live import Phase, Stage, Status
from tests.buttons import Button, option
from tests.factories import Person
from tests.harness import Harness, running
from tests.live_support import (
    GROUP,
    MESSAGE_METHODS,
    FakeClock,
    Room,
    bank_dir,
    live_config,
    make_class,
)

ARABIC = Formatter()  # the default digits, as in the tests' config

ROUNDS = ("p01", "p02", "p03")


def _keys(room: Room, s) -> tuple[str, str]:
    q = room.question(s)
    right = sorted(q.answer)[0]
    return right, next(k for k in s.current.order if k != right)


async def _vote(room: Room, pupils: list[Person], right: int, wrong: int) -> None:
    """`right` pupils vote right, the next `wrong` ones wrong (in the open round)."""
    s = await room.session()
    good, bad = _keys(room, s)
    for i, person in enumerate(pupils[: right + wrong]):
        toast = await room.answer(person, good if i < right else bad)
        assert toast.startswith("سُجّل تصويتك")


def _buttons(call) -> list[str]:
    return [label for label, _ in call.buttons]


async def _three_rounds(h: Harness, room: Room, clock: FakeClock) -> list[Person]:
    pupils = make_class(5)
    await room.begin("live4", pupils)

    # --- 80 %: above the band, revealed at once -----------------------------------------
    h.request.clear()
    await _vote(room, pupils, right=4, wrong=1)
    s = await room.session()
    assert s.phase is Phase.REVEAL and s.path is PeerPath.CONSENSUS
    group = room.group_calls()
    assert [c.method for c in group] == ["editMessageText"]  # no discussion, no re-vote
    reveal = group[0].text
    assert texts.LIVE_ADAPT_CONSENSUS.format(share="٨٠٪") in reveal
    assert texts.LIVE_ADAPT_GAIN_NONE_SKIPPED in reveal
    assert evidence(Formatter(), room.question(s).citations) in reveal
    assert "الصحيحة منها: ٤" in reveal
    await room.timers(h.app.bot_data.live.rules.reveal_seconds)

    # --- 50 % (2 of the 4 who voted): the discussion and the re-vote, as always ----------
    s = await room.session()
    assert s.current.question_id == "p02" and s.stage is Stage.ANSWER
    await _vote(room, pupils, right=2, wrong=2)
    await room.timers(s.current.seconds)
    s = await room.session()
    assert s.stage is Stage.DISCUSS and s.path is PeerPath.DISCUSS
    assert "ناقش زميلك" in h.request.last("editMessageText", GROUP).text
    await room.timers(s.current.discuss)
    assert (await room.session()).stage is Stage.REVOTE
    await _vote(room, pupils, right=4, wrong=1)
    reveal = h.request.last("editMessageText", GROUP).text
    # pre 50 %, post 80 %: g = (80 - 50) / (100 - 50) = 0.60
    assert texts.LIVE_ADAPT_GAIN.format(gain=ARABIC.decimal(0.6), pre="٥٠٪", post="٨٠٪") in reveal
    assert "\u2068٠٫٦٠\u2069" in reveal
    await room.timers(h.app.bot_data.live.rules.reveal_seconds)

    # --- 20 %: the teacher is offered two choices ----------------------------------------
    h.request.clear()
    await _vote(room, pupils, right=1, wrong=4)
    s = await room.session()
    assert s.stage is Stage.DISCUSS and s.path is PeerPath.CHOOSE
    (offer,) = room.group_calls()
    assert offer.method == "editMessageText"
    assert "أجاب أقل من ٣٥٪ من المصوّتين إجابة صحيحة" in offer.text
    assert texts.BAR_FULL not in offer.text  # the results stay hidden
    assert _buttons(offer)[:2] == [
        texts.LIVE_BUTTON_EXPLAIN_FIRST,
        texts.LIVE_BUTTON_DISCUSS_ANYWAY,
    ]
    # A press on the first vote's buttons now is not recorded.
    good, _ = _keys(room, s)
    assert await room.answer(pupils[1], good, stale=True) == texts.LIVE_TOAST_BETWEEN_VOTES
    # A student's press on a choice: refused in Arabic, nothing moves.
    calls = await room.tap(pupils[0], texts.LIVE_BUTTON_EXPLAIN_FIRST)
    assert h.toast(calls) == texts.LIVE_TEACHERS_ONLY
    assert not [c for c in room.group_calls(calls) if c.method in MESSAGE_METHODS]
    assert await room.session() == s
    # The teacher explains first: the passage, still no answer, then the re-vote.
    calls = await room.tap(room.teacher, texts.LIVE_BUTTON_EXPLAIN_FIRST)
    (shown,) = room.group_calls(calls)
    q = room.question(s)
    assert (
        evidence(Formatter(), q.citations) in shown.text
        and "اختار المعلم أن يشرح أولًا" in shown.text
    )
    assert texts.MARK_CORRECT not in shown.text
    assert texts.LIVE_BUTTON_EXPLAIN_FIRST not in _buttons(shown)
    s = await room.session()
    assert s.path is PeerPath.EXPLAIN
    assert room.group_calls(await room.timers(s.current.discuss - 1)) == []
    calls = room.group_calls(await room.timers(1))
    assert [c.method for c in calls] == ["editMessageReplyMarkup", "sendMessage"]
    assert texts.LIVE_PEER_REVOTE_HINT in calls[1].text
    await _vote(room, pupils, right=3, wrong=2)
    reveal = h.request.last("editMessageText", GROUP).text
    assert texts.LIVE_ADAPT_VOTES_EXPLAINED in reveal
    assert texts.LIVE_ADAPT_SHIFT_UP.format(first="٢٠٪", second="٦٠٪") in reveal
    # pre 20 %, post 60 %: g = (60 - 20) / (100 - 20) = 0.50
    assert texts.LIVE_ADAPT_GAIN.format(gain=ARABIC.decimal(0.5), pre="٢٠٪", post="٦٠٪") in reveal
    assert (await room.session()).status is Status.FINISHED
    return pupils


async def test_three_first_votes_take_three_paths_and_the_export_shows_the_gains(
    tmp_path: Path,
) -> None:
    clock = FakeClock()
    config = live_config(tmp_path, banks_dir=bank_dir(tmp_path, ROUNDS))
    async with running(config, clock=clock) as h:
        room = Room(h, clock)
        pupils = await _three_rounds(h, room, clock)
        # Scores as in any peer round: the re-vote counts where there was one.
        results = {r.user_id: r.score for r in await h.repo.live_results(session_id=1)}
        assert [results[p.id] for p in pupils] == [3.0, 3.0, 3.0, 2.0, 0.0]

        banks = h.app.bot_data.banks
        bank = banks["live4"]
        data = await collect(h.repo, GROUP, banks)
        raw = workbook(Formatter(), data, banks, h.app.bot_data.articles, config.tz)
        sheet = load_workbook(io.BytesIO(raw))[texts.SHEET_PEER]
        rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
        assert [r[2] for r in rows[:3]] == [bank.question(q).prompt for q in ROUNDS]
        assert [r[3:9] for r in rows[:3]] == [
            [5, 0.8, None, None, None, texts.PEER_NOTE_SKIPPED],
            [4, 0.5, 5, 0.8, 0.6, None],
            [5, 0.2, 5, 0.6, 0.5, None],
        ]
        assert rows[0][0] <= rows[1][0] <= rows[2][0]  # by date
        assert rows[3][0] == texts.PEER_MEAN_ROW and abs(rows[3][7] - 0.55) < 1e-9
        assert sheet.sheet_view.rightToLeft

        # The teacher's /stats carries the trend in one line.
        await h.send("/stats", room.teacher, chat_id=GROUP)
        stats = h.request.last("sendMessage", GROUP).text
        assert (
            "📐 جولات الأقران: ٣ جولات، ومتوسط الكسب المعياري \u2068٠٫٥٥\u2069 (حُسب في ٢ منها؛"
            " النصف الأول \u2068٠٫٦٠\u2069، والنصف الأخير \u2068٠٫٥٠\u2069)."
        ) in stats


async def test_a_band_from_the_bank_changes_the_path(tmp_path: Path) -> None:
    clock = FakeClock()
    folder = bank_dir(tmp_path, ROUNDS, peer={"low": 10, "high": 90})
    async with running(live_config(tmp_path, banks_dir=folder), clock=clock) as h:
        room = Room(h, clock)
        pupils = make_class(5)
        s = await room.begin("live4", pupils)
        assert s.band.low == 10 and s.band.high == 90
        await _vote(room, pupils, right=4, wrong=1)  # 80 %: inside a 10-90 band
        assert (await room.session()).path is PeerPath.DISCUSS
        await room.control("sk")  # the re-vote
        await room.control("sk")  # its reveal
        await room.control("sk")  # the next round
        await _vote(room, pupils, right=1, wrong=4)  # 20 %: inside it too
        assert (await room.session()).path is PeerPath.DISCUSS


async def test_discuss_anyway_and_a_teacher_who_does_not_choose(tmp_path: Path) -> None:
    clock = FakeClock()
    config = live_config(tmp_path, banks_dir=bank_dir(tmp_path, ("p01", "p02")))
    async with running(config, clock=clock) as h:
        room = Room(h, clock)
        pupils = make_class(4)
        await room.begin("live4", pupils)
        await _vote(room, pupils, right=0, wrong=4)
        explain = await room.button(texts.LIVE_BUTTON_EXPLAIN_FIRST)
        await room.tap(room.teacher, texts.LIVE_BUTTON_DISCUSS_ANYWAY)
        s = await room.session()
        assert s.path is PeerPath.DISCUSS and "ناقش زميلك" in h.request.last("editMessageText").text
        # A press on the other choice, once one is made, is stale: nothing moves.
        assert h.toast(await h.tap(room.teacher, explain)) == texts.STALE
        assert await room.session() == s
        await room.control("sk")  # the re-vote
        await room.control("sk")  # its reveal
        await room.control("sk")  # the next round
        await _vote(room, pupils, right=1, wrong=3)  # 25 %
        s = await room.session()
        assert s.path is PeerPath.CHOOSE
        rules = h.app.bot_data.live.rules
        assert room.group_calls(await room.timers(rules.choice_seconds - 1)) == []
        await room.timers(1)
        assert (await room.session()).path is PeerPath.DISCUSS


async def _to_choice(tmp_path: Path, clock: FakeClock, explain: bool) -> tuple[int, Button]:
    """A session up to its teacher's choice (made: explain first, with `explain`); returns
    its id and the "explain first" button as drawn."""
    config = live_config(tmp_path, banks_dir=bank_dir(tmp_path, ("p01", "s01")))
    async with running(config, clock=clock) as h:
        room = Room(h, clock)
        pupils = make_class(5)
        await room.begin("live4", pupils)
        await _vote(room, pupils, right=1, wrong=4)
        drawn = await room.button(texts.LIVE_BUTTON_EXPLAIN_FIRST)
        if explain:
            await room.tap(room.teacher, drawn)
        clock.advance(10)
        return room.session_id, drawn


async def test_a_restart_while_the_teacher_chooses_keeps_the_choice(tmp_path: Path) -> None:
    clock = FakeClock()
    session_id, drawn = await _to_choice(tmp_path, clock, explain=False)
    config = live_config(tmp_path, banks_dir=tmp_path / "banks")
    async with running(config, clock=clock) as h:
        room = Room(h, clock)
        room.session_id = session_id
        s = await room.session()
        assert s.path is PeerPath.CHOOSE and s.stage is Stage.DISCUSS
        assert h.app.job_queue.get_jobs_by_name(f"live-deadline-{session_id}")
        # The choice drawn before the restart still works.
        await h.tap(room.teacher, drawn)
        assert (await room.session()).path is PeerPath.EXPLAIN


async def test_a_restart_after_the_passage_time_opens_the_revote(tmp_path: Path) -> None:
    clock = FakeClock()
    session_id, _ = await _to_choice(tmp_path, clock, explain=True)
    clock.advance(600)
    config = live_config(tmp_path, banks_dir=tmp_path / "banks")
    async with running(config, clock=clock) as h:
        sent = h.request.of("sendMessage", GROUP)
        assert len(sent) == 1 and texts.LIVE_PEER_REVOTE_HINT in sent[0].text
        s = await h.repo.get_live(session_id)
        assert s.stage is Stage.REVOTE and s.path is PeerPath.EXPLAIN


async def test_a_restart_mid_passage_draws_it_again(tmp_path: Path) -> None:
    clock = FakeClock()
    session_id, _ = await _to_choice(tmp_path, clock, explain=True)
    config = live_config(tmp_path, banks_dir=tmp_path / "banks")
    async with running(config, clock=clock) as h:
        s = await h.repo.get_live(session_id)
        assert s.path is PeerPath.EXPLAIN and not h.request.of("sendMessage", GROUP)
        room = Room(h, clock)
        room.session_id = session_id
        # Its deadline is kept: the re-vote opens when the passage's time is over.
        assert room.group_calls(await room.timers(s.current.discuss - 11)) == []
        calls = room.group_calls(await room.timers(1))
        assert [c.method for c in calls] == ["editMessageReplyMarkup", "sendMessage"]


async def test_private_peer_rounds_keep_vote_reflect_revote_whatever_the_band(
    tmp_path: Path,
) -> None:
    """A band only a live class's first vote can leave: a student alone, right at once (100 %,
    above this bank's band), still reflects and votes again, and the second vote is scored."""
    folder = bank_dir(tmp_path, ("p02",), peer={"low": 0, "high": 1})
    async with running(live_config(tmp_path, banks_dir=folder)) as h:
        student = Person(5101, "سلمى", "العلي")
        bank = h.app.bot_data.banks["live4"]
        await h.repo.save_student(student.id, student.first_name, None)
        await h.repo.save_chat(student.id, "private", None)
        attempt = await h.repo.start_attempt(
            new_attempt(bank, student.id, student.id, h.app.bot_data.clock(), random.Random(3))
        )
        await h.send("/start", student)
        await h.tap(student, "تابع محاولتك", contains=True)
        q = bank.question("p02")
        right = sorted(q.answer)[0]
        assert h.toast(await h.tap(student, option(q, right))) == texts.TOAST_FIRST_VOTE
        assert "قبل أن تصوّت مرة ثانية" in h.request.last("editMessageText").text
        assert await h.repo.get_answer(attempt.id, "p02") is None
        assert h.toast(await h.tap(student, option(q, right))) == texts.TOAST_CORRECT
        record = await h.repo.get_answer(attempt.id, "p02")
        assert (record.choice, record.correct, record.score) == (right, True, 1.0)
        assert texts.SHIFT_STAYED_RIGHT in h.request.last("editMessageText").text


async def test_a_restart_during_the_first_vote_keeps_who_was_right(tmp_path: Path) -> None:
    """The decision after a restart counts the right votes cast before it (read back from
    the stored answers): 4 of 5 right is a consensus, not a weak vote."""
    clock = FakeClock()
    config = live_config(tmp_path, banks_dir=bank_dir(tmp_path, ("p01", "s01")))
    async with running(config, clock=clock) as h:
        room = Room(h, clock)
        pupils = make_class(6)
        s = await room.begin("live4", pupils)
        await _vote(room, pupils, right=4, wrong=1)  # the sixth is silent: the vote stays open
        assert (await room.session()).stage is Stage.ANSWER
    clock.advance(s.current.seconds + 1)
    async with running(config, clock=clock) as h:
        s = await h.repo.get_live(s.id)
        assert s.path is PeerPath.CONSENSUS and s.phase is Phase.REVEAL
        assert (
            texts.LIVE_ADAPT_CONSENSUS.format(share="٨٠٪")
            in h.request.last("editMessageText", GROUP).text
        )
