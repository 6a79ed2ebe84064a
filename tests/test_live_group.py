"""Live group sessions through the real Application, a faked Bot API and a fake clock."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

from bot import bidi, texts
from bot.bidi import FSI, PDI, strip_html
from bot.formatting import Formatter
from bot.live import api as live_engine
from quizzes.adaptive import PeerPath
from quizzes.live import Phase, Stage, Status
from quizzes.model import QuestionType
from tests import factories
from tests.factories import Person
from tests.harness import running
from tests.live_support import GROUP, TEACHER, FakeClock, Room, live_config, make_class

ARABIC = Formatter()  # the default digits, as in the tests' config

TOASTS_RECORDED = "سُجّلت إجابتك"


def speed_points(elapsed: float, seconds: int) -> float:
    """The rule from the issue, written out independently: full at once, half at the deadline."""
    return round(1 - 0.5 * min(elapsed, seconds) / seconds, 3)


async def test_a_class_of_thirty(tmp_path: Path) -> None:
    clock = FakeClock()
    rng = random.Random(30)
    pupils = make_class(30)
    late = Person(9100, "متأخر")
    async with running(live_config(tmp_path), clock=clock) as h:
        room = Room(h, clock)
        session = await room.open("facts")
        lobby = h.request.last("editMessageText", GROUP)
        assert "١٨ سؤالًا" in lobby.text and "المنضمّون: ٠" in lobby.text
        assert [d for _, d in lobby.buttons][0] == f"lj:{session.id}"

        # --- lobby: joins in random order with repeats; the group sees nothing per join -----
        h.request.clear()
        presses = rng.sample(pupils, 30) + rng.sample(pupils, 10)
        toasts = [await room.join(p) for p in presses]
        assert toasts.count(texts.LIVE_TOAST_JOINED) == 30
        assert toasts.count(texts.LIVE_TOAST_ALREADY_JOINED) == 10
        assert room.group_calls() == []
        # The lobby count changes on the timer, once, and not again while nothing changes.
        edits = room.group_calls(await room.timers(5))
        assert [c.method for c in edits] == ["editMessageText"]
        assert "المنضمّون: ٣٠" in edits[0].text
        assert room.group_calls(await room.timers(5)) == []

        # --- speed points, then start --------------------------------------------------------
        await room.control("sp")
        assert texts.LIVE_SPEED_ON in h.request.last("editMessageText", GROUP).text
        calls = await room.control("go")
        assert [c.method for c in room.group_calls(calls)] == ["editMessageText", "sendMessage"]
        assert "بدأت الجلسة" in room.group_calls(calls)[0].text

        expected: dict[int, float] = {p.id: 0.0 for p in pupils}
        first_choice: dict[tuple[int, int], bool] = {}

        async def answer_all(people: list[Person], spacing: float, opened: datetime) -> None:
            """Presses in random order, with repeats; the first press of each student counts."""
            s = await room.session()
            q = room.question(s)
            sequence = people + rng.sample(people, len(people) // 4)
            rng.shuffle(sequence)
            for person in sequence:
                clock.advance(spacing)
                correct = rng.random() < 0.6
                key = (s.position, person.id)
                # A repeat may come from a screen still showing the question as it was open.
                toast = await room.respond(person, correct, stale=key in first_choice)
                if key in first_choice:
                    assert toast in (texts.LIVE_TOAST_ALREADY, texts.LIVE_TOAST_CLOSED)
                    continue
                assert toast.startswith(TOASTS_RECORDED), toast
                first_choice[key] = correct
                if correct:
                    elapsed = (clock.now - opened).total_seconds()
                    expected[person.id] = expected.get(person.id, 0.0) + speed_points(
                        elapsed, s.current.seconds
                    )
            assert q.id == s.current.question_id

        # --- Q1: everyone answers, so the reveal comes early ----------------------------------
        opened = clock.now
        h.request.clear()
        await answer_all(pupils, 0.4, opened)
        reveal = h.request.last("editMessageText", GROUP)
        assert texts.LIVE_REASON_ALL_ANSWERED in reveal.text
        s = await room.session()
        assert s.phase is Phase.REVEAL
        answers = await h.repo.live_answers(s.id, 0)
        assert len(answers) == 30
        right = sum(1 for a in answers if a.correct)
        assert f"الصحيحة منها: {ARABIC.num(right)}" in reveal.text
        # The correct option's bar line carries its count and share of the 30 answers.
        share = ARABIC.percent(round(100 * right / 30))
        bar = texts.BAR_FULL * round(10 * right / 30) + texts.BAR_EMPTY * (
            10 - round(10 * right / 30)
        )
        assert f"{bar} {ARABIC.num(right)} · {share}" in reveal.text
        q1 = room.question(s)
        assert q1.citations[0].passage.text in strip_html(reveal.text)
        assert [label for label, _ in reveal.buttons] == [
            texts.LIVE_BUTTON_PAUSE,
            texts.LIVE_BUTTON_NEXT,
            texts.LIVE_BUTTON_STOP,
        ]
        # No message per answer: the group got only the reveal during the presses.
        assert [c.method for c in room.group_calls()] == ["editMessageText"]

        # --- Q2: a late joiner, the counter on its timer, the reveal on timeout -------------
        calls = await room.timers(12)
        assert [c.method for c in room.group_calls(calls)] == [
            "editMessageReplyMarkup",
            "sendMessage",
        ]
        opened = clock.now
        await answer_all(pupils[:20] + [late], 0.2, opened)
        expected.setdefault(late.id, 0.0)
        calls = await room.timers(10)
        counter = room.group_calls(calls)
        assert len(counter) == 1 and "📨 الإجابات: ٢١ من ٣١" in counter[0].text
        s = await room.session()
        assert late.id in s.joined and s.phase is Phase.QUESTION
        clock.advance(s.current.seconds)
        start = len(h.request.calls)
        await live_engine.close_due_sessions(h.app)
        closed = room.group_calls(h.request.calls[start:])
        assert [c.method for c in closed] == ["editMessageText"]
        assert texts.LIVE_REASON_TIMEOUT in closed[0].text
        assert await room.answer(pupils[25], "a", stale=True) == texts.LIVE_TOAST_CLOSED

        # --- Q3: the teacher reveals early, then moves on at once ---------------------------
        await room.timers(12)
        opened = clock.now
        await answer_all(pupils[:10], 0.5, opened)
        calls = await room.control("sk")
        assert texts.LIVE_REASON_SKIPPED in room.group_calls(calls)[0].text
        calls = await room.control("sk")
        assert [c.method for c in room.group_calls(calls)] == [
            "editMessageReplyMarkup",
            "sendMessage",
        ]
        assert (await room.session()).position == 3

        # --- Q4 and Q5: everyone; after Q5 an interim leaderboard --------------------------
        opened = clock.now
        await answer_all(pupils + [late], 0.3, opened)
        await room.timers(12)
        opened = clock.now
        start = len(h.request.calls)
        await answer_all(pupils + [late], 0.3, opened)
        sent = [c for c in room.group_calls(h.request.calls[start:]) if c.method == "sendMessage"]
        assert len(sent) == 1 and "الترتيب بعد السؤال ٥ من ١٨" in sent[0].text
        assert sent[0].text.count(" — ") == 10 and "المشاركون: ٣١" in sent[0].text

        # --- Q6: pause holds the clock and the answers --------------------------------------
        await room.timers(12)
        opened = clock.now
        clock.advance(3)
        await room.control("pa")
        paused = h.request.last("editMessageText", GROUP)
        assert "متوقفة مؤقتًا" in paused.text
        assert texts.LIVE_BUTTON_RESUME in [label for label, _ in paused.buttons]
        assert await room.respond(pupils[1], True) == texts.LIVE_TOAST_PAUSED
        clock.advance(100)
        assert room.group_calls(await room.timers(0)) == []
        await room.control("re")
        # Paused time does not count against anyone's speed: the opening moves by the pause.
        await answer_all(pupils[:5], 1, opened + timedelta(seconds=100))
        s = await room.session()
        assert s.phase is Phase.QUESTION

        # --- Q7 never comes: the teacher stops during Q6 ------------------------------------
        calls = await room.control("st")
        group = room.group_calls(calls)
        assert [c.method for c in group] == ["editMessageText", "sendMessage"]
        assert texts.LIVE_REASON_STOPPED in group[0].text
        final = group[1]
        assert "أنهى المعلم الجلسة" in final.text and "بعد السؤال ٦ من ١٨" in final.text
        assert "المشاركون: ٣١" in final.text
        s = await room.session()
        assert s.status is Status.STOPPED and s.phase is Phase.ENDED

        # --- scores in SQLite ---------------------------------------------------------------
        recorded = await h.repo.live_answers(s.id)
        assert len(recorded) == len(first_choice)
        assert {(a.position, a.user_id): a.correct for a in recorded} == first_choice
        results = await h.repo.live_results(session_id=s.id)
        assert len(results) == 31
        assert {r.user_id: r.score for r in results} == {
            user: round(points, 3) for user, points in expected.items()
        }
        ranks = sorted(results, key=lambda r: r.rank)
        assert [r.rank for r in ranks] == list(range(1, 32))
        for better, worse in zip(ranks, ranks[1:], strict=False):
            assert (better.score, -better.total_ms) >= (worse.score, -worse.total_ms)
        # The podium names the top three in order, each name escaped and isolated.
        lines = final.text.split("\n")
        for medal, row in zip(texts.LIVE_MEDALS, ranks, strict=False):
            line = next(line for line in lines if line.startswith(medal))
            assert bidi.name(row.name) in line
        board = await h.send("/leaderboard", TEACHER, chat_id=GROUP)
        standings = board[-1].text
        assert "عدد الجلسات المنتهية: ١" in standings and "المشاركون: ٣١" in standings
        assert bidi.name(ranks[0].name) in standings


async def test_questions_in_speed_order_score_exactly(tmp_path: Path) -> None:
    """Speed points, computed by hand for a few presses at known times."""
    clock = FakeClock()
    # Names that look like HTML, or mix Latin and digits, appear exactly as typed.
    pupils = [Person(8001, "<b>x</b>"), Person(8002, "John", "3rd"), Person(8003, "هدى")]
    async with running(live_config(tmp_path), clock=clock) as h:
        room = Room(h, clock)
        await room.open("facts")
        for p in pupils:
            await room.join(p)
        await room.control("sp")
        await room.control("go")
        s = await room.session()
        seconds = s.current.seconds
        clock.advance(0)
        await room.respond(pupils[0], True)  # at once: 1
        clock.advance(seconds / 2)
        await room.respond(pupils[1], True)  # half way: 0.75
        clock.advance(seconds / 4)
        await room.respond(pupils[2], False)  # wrong: 0
        await room.control("st")
        results = {r.user_id: r for r in await h.repo.live_results(session_id=s.id)}
        assert [results[p.id].score for p in pupils] == [1.0, 0.75, 0.0]
        assert [results[p.id].rank for p in pupils] == [1, 2, 3]
        final = h.request.last("sendMessage", GROUP).text
        assert f"🥇 {FSI}&lt;b&gt;x&lt;/b&gt;{PDI} — نقطة واحدة" in final
        assert f"🥈 {FSI}John 3rd{PDI} — ٠٫٨ نقطة" in final
        assert "<b>x</b>" not in final and "🥉" in final


async def test_multi_select_is_private_until_confirmed(tmp_path: Path) -> None:
    clock = FakeClock()
    pupils = make_class(3)
    async with running(live_config(tmp_path), clock=clock) as h:
        room = Room(h, clock)
        session = await room.open("facts")
        for p in pupils:
            await room.join(p)
        await room.control("go")
        multi = next(i for i, p in enumerate(session.plan) if p.question_id == "f13")
        while (await room.session()).position < multi:
            await room.control("sk")
        s = await room.session()
        q = room.question(s)
        assert q.type is QuestionType.MULTI
        question_message = h.request.last("sendMessage", GROUP)
        assert [d for _, d in question_message.buttons][-4].startswith(f"lk:{s.id}:{multi}")
        right = sorted(q.answer)
        h.request.clear()
        first = await room.tap(pupils[0], await room.option(right[0]))
        assert h.toast(first).startswith("اختيارك الآن")
        calls = await room.tap(pupils[0], await room.option(right[0]))
        assert h.toast(calls) == texts.LIVE_TOAST_SELECTION_EMPTY
        calls = await room.tap(pupils[0], texts.LIVE_BUTTON_CONFIRM)
        assert h.toast(calls) == texts.LIVE_TOAST_PICK_FIRST
        assert room.group_calls() == []
        assert (await room.choose(pupils[0], right)).startswith(TOASTS_RECORDED)
        assert await room.choose(pupils[0], right) == texts.LIVE_TOAST_ALREADY
        assert (await room.choose(pupils[1], right[:1])).startswith(TOASTS_RECORDED)
        assert (await room.choose(pupils[2], right)).startswith(TOASTS_RECORDED)
        reveal = h.request.last("editMessageText", GROUP)
        assert texts.LIVE_REASON_ALL_ANSWERED in reveal.text
        assert "الصحيحة منها: ٢" in reveal.text
        answers = await h.repo.live_answers(s.id, multi)
        assert [sorted(a.keys) for a in answers] == [right, right[:1], right]


async def test_the_discussion_bank_runs_to_its_natural_end(tmp_path: Path) -> None:
    """Every question of the discussion bank is asked: typed replies, discussion prompts and
    peer rounds (right at the first vote, so revealed at once), answered by one student, to
    the end."""
    clock = FakeClock()
    async with running(live_config(tmp_path), clock=clock) as h:
        room = Room(h, clock)
        session = await room.open("discuss")
        bank = h.app.bot_data.banks["discuss"]
        assert [p.question_id for p in session.plan] == [q.id for q in bank.questions]
        assert session.left_out == 0
        lobby = h.request.last("editMessageText", GROUP).text
        total = len(bank.questions)
        assert ARABIC.count("question", total) in lobby and "ستُتخطّى" not in lobby
        pupil = make_class(1)[0]
        await room.join(pupil)
        await room.control("go")
        assert f"السؤال ١ من {ARABIC.num(total)}" in h.request.last("sendMessage", GROUP).text
        rules = h.app.bot_data.live.rules
        for planned in session.plan:
            assert (await room.session()).current.question_id == planned.question_id
            await room.respond(pupil, True)  # everyone has answered: the round closes
            if planned.discuss:
                # One student, right at once: above the bank's band, revealed without a re-vote.
                s = await room.session()
                assert s.path is PeerPath.CONSENSUS and s.stage is Stage.ANSWER
            await room.timers(rules.reveal_seconds)
        s = await room.session()
        assert s.status is Status.FINISHED and s.phase is Phase.ENDED
        scored = sum(1 for q in bank.questions if q.is_scored)
        final = h.request.last("sendMessage", GROUP).text
        points = ARABIC.count("point", scored)
        assert final.startswith("🏁") and f"🥇 {bidi.name('طالب0 الصف')} — {points}" in final
        assert not [j for j in h.app.job_queue.jobs() if j.name.startswith("live-")]
        results = await h.repo.live_results(session_id=s.id)
        assert [(r.score, r.correct, r.asked, r.status) for r in results] == [
            (float(scored), scored, scored, Status.FINISHED)
        ]


async def test_lobby_starts_by_itself_and_cancel_leaves_no_results(tmp_path: Path) -> None:
    clock = FakeClock()
    async with running(live_config(tmp_path), clock=clock) as h:
        room = Room(h, clock)
        await room.open("voices")
        await room.join(make_class(1)[0])
        rules = h.app.bot_data.live.rules
        calls = await room.timers(rules.lobby_seconds)
        assert "sendMessage" in [c.method for c in room.group_calls(calls)]
        assert (await room.session()).phase is Phase.QUESTION
        await room.control("st")
        # A second session in the same group, cancelled from its lobby.
        second = await room.open("causes")
        calls = await room.control("st")
        cancelled = room.group_calls(calls)
        assert [c.method for c in cancelled] == ["editMessageText"]
        lobby = cancelled[0].params["message_id"]
        assert "أُلغيت الجلسة" in cancelled[0].text and lobby == second.message_id
        assert (await h.repo.get_live(second.id)).status is Status.CANCELLED
        assert await h.repo.live_results(session_id=second.id) == []


async def test_two_groups_at_once(tmp_path: Path) -> None:
    clock = FakeClock()
    other_group = -100900
    admin = Person(7002, "منى", "المعلمة")
    shared = Person(8500, "سارة", "في الصفين")
    class_a = [*make_class(4, 8000), shared]
    class_b = [*make_class(3, 8100, "تلميذ"), shared]
    async with running(live_config(tmp_path), clock=clock) as h:
        # The second teacher is not configured: she leads because she is an admin there.
        h.request.chat_members[(other_group, admin.id)] = "administrator"
        a = Room(h, clock)
        b = Room(h, clock, chat_id=other_group, teacher=admin)
        session_a = await a.open("facts")
        session_b = await b.open("voices")
        assert session_a.id != session_b.id
        # A group has at most one running session: a second /quiz says so.
        calls = await h.send("/quiz", TEACHER, chat_id=GROUP)
        assert "جلسة جارية الآن" in calls[-1].text and "الوقائع الأساسية" in calls[-1].text
        # The first bank list (now the lobby) pressed again, from a screen not caught up.
        causes = h.app.bot_data.banks["causes"].title
        calls = await h.tap(TEACHER, causes, GROUP, contains=True, stale=True)
        assert h.toast(calls) == texts.LIVE_ALREADY_RUNNING_TOAST
        for p in class_a:
            await a.join(p)
        for p in class_b:
            await b.join(p)
        await a.control("go")
        await b.control("go")
        # The shared student answers in both groups; each group counts only its own.
        assert (await a.respond(shared, True)).startswith(TOASTS_RECORDED)
        assert (await b.respond(shared, False)).startswith(TOASTS_RECORDED)
        for p in class_b[:-1]:
            await b.respond(p, True)
        assert (await b.session()).phase is Phase.REVEAL
        assert (await a.session()).phase is Phase.QUESTION
        assert len((await a.session()).answered) == 1
        # A button of group A pressed in group B is refused.
        s = await a.session()
        calls = await h.press_data(f"la:{s.id}:0:a", class_b[0], chat_id=other_group)
        assert h.toast(calls) == texts.STALE
        await a.control("st")
        await b.control("st")
        board_a = (await h.send("/leaderboard", TEACHER, chat_id=GROUP))[-1].text
        board_b = (await h.send("/leaderboard", admin, chat_id=other_group))[-1].text
        assert "المشاركون: ٥" in board_a and "المشاركون: ٤" in board_b
        assert bidi.name(class_a[0].first_name + " الصف") in board_a
        assert bidi.name(class_a[0].first_name + " الصف") not in board_b
        assert bidi.name("سارة في الصفين") in board_a and bidi.name("سارة في الصفين") in board_b


async def test_a_student_cannot_use_any_teacher_control(tmp_path: Path) -> None:
    clock = FakeClock()
    student = Person(8800, "فضولي")
    async with running(live_config(tmp_path), clock=clock) as h:
        room = Room(h, clock)
        calls = await h.send("/quiz", student, chat_id=GROUP)
        assert calls[-1].text == texts.LIVE_TEACHERS_ONLY
        # The bank list the teacher asked for is on everyone's screen.
        await h.send("/quiz", TEACHER, chat_id=GROUP)
        facts = h.app.bot_data.banks["facts"].title
        calls = await h.tap(student, facts, GROUP, contains=True)
        assert h.toast(calls) == texts.LIVE_TEACHERS_ONLY
        assert await h.repo.open_live_in(GROUP) is None

        async def refused(action: str) -> None:
            before = await room.session()
            calls = await room.control(action, student)
            assert h.toast(calls) == texts.LIVE_TEACHERS_ONLY
            assert [c.method for c in room.group_calls(calls)] == ["getChatMember"] or not (
                room.group_calls(calls)
            )
            after = await room.session()
            assert after == before

        await room.open("facts")
        await room.join(student)
        for action in ("go", "sp", "st"):
            await refused(action)
        await room.control("go")
        for action in ("pa", "sk", "st"):
            await refused(action)
        await room.control("pa")
        await refused("re")
        # Telegram was asked once whether the student is an admin; the answer was cached.
        assert len(h.request.of("getChatMember", GROUP)) == 1
        # The session went on for the teacher all along.
        await room.control("re")
        assert (await room.session()).phase is Phase.QUESTION


async def test_an_anonymous_admin_can_open_a_session(tmp_path: Path) -> None:
    clock = FakeClock()
    async with running(live_config(tmp_path), clock=clock) as h:
        payload = factories.message_payload("/quiz", Person(1087968824, "Group"), GROUP)
        payload["sender_chat"] = {"id": GROUP, "type": "supergroup", "title": "الصف"}
        update = factories.Update.de_json({"update_id": 990001, "message": payload}, h.bot)
        calls = await h.process(update)
        assert calls[-1].text.startswith("🎯")
        assert [d for _, d in calls[-1].buttons][0] == "lq:facts"


async def test_a_replayed_update_changes_no_score(tmp_path: Path) -> None:
    clock = FakeClock()
    pupils = make_class(2)
    async with running(live_config(tmp_path), clock=clock) as h:
        room = Room(h, clock)
        s = await room.begin("facts", pupils)
        q = room.question(s)
        key = sorted(q.answer)[0]
        update = h.tap_update(await room.option(key), pupils[0], update_id=424242)
        first = await h.process(update)
        assert h.toast(first).startswith(TOASTS_RECORDED)
        stored = await h.repo.live_answers(s.id)
        replay = await h.process(update)
        assert h.toast(replay) == texts.LIVE_TOAST_ALREADY
        assert await h.repo.live_answers(s.id) == stored
        assert room.group_calls(replay) == []
        # A replayed teacher skip does not skip twice.
        skip = h.tap_update(await room.control_button("sk"), TEACHER, update_id=434343)
        await h.process(skip)
        moved = await room.session()
        calls = await h.process(skip)
        assert h.toast(calls) == texts.STALE
        assert await room.session() == moved
        await room.control("st")
        results = await h.repo.live_results(session_id=s.id)
        assert {r.user_id: r.score for r in results} == {pupils[0].id: 1.0, pupils[1].id: 0.0}


async def test_group_commands_menu_and_private_refusals(tmp_path: Path) -> None:
    clock = FakeClock()
    async with running(live_config(tmp_path), clock=clock) as h:
        menus = h.request.of("setMyCommands")
        group = [c for c in menus if c.params["scope"]["type"] == "all_group_chats"]
        assert len(group) == 1
        commands = {c["command"] for c in group[0].params["commands"]}
        assert commands == set(texts.GROUP_COMMANDS)
        for command in ("/quiz", "/leaderboard"):
            calls = await h.send(command, TEACHER)
            assert calls[-1].text == texts.LIVE_GROUP_ONLY
        calls = await h.send("/leaderboard", TEACHER, chat_id=GROUP)
        assert calls[-1].text == texts.LIVE_STANDINGS_EMPTY


async def test_true_false_presses_are_acknowledged_by_name(tmp_path: Path) -> None:
    clock = FakeClock()
    pupil = make_class(1)[0]
    async with running(live_config(tmp_path), clock=clock) as h:
        room = Room(h, clock)
        session = await room.open("facts")
        await room.join(pupil)
        await room.control("go")
        target = next(i for i, p in enumerate(session.plan) if p.order == ("t", "f"))
        while (await room.session()).position < target:
            await room.control("sk")
        buttons = h.request.last("sendMessage", GROUP).buttons
        assert [label for label, _ in buttons[:2]] == [texts.TRUE_LABEL, texts.FALSE_LABEL]
        assert await room.answer(pupil, "f") == "سُجّلت إجابتك (خطأ). تظهر النتيجة حين يُكشف السؤال."
