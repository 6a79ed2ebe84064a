"""Each open live session has exactly one deadline job and one refresh job, whatever it went
through; an ended session has none. The engine keeps the jobs' handles itself (bot/live/runtime
.py), and this holds them to what the job queue really has."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from quizzes.live import Phase
from tests.harness import Harness, running
from tests.live_support import GROUP, FakeClock, Room, live_config, make_class


def assert_timers(h: Harness, *rooms: Room, ended: tuple[Room, ...] = ()) -> None:
    # Only the live sessions' jobs: the review reminders run beside them all the time.
    names = Counter(j.name for j in h.app.job_queue.jobs() if j.name.startswith("live-"))
    kept = h.app.bot_data.live.timers
    for room in rooms:
        for kind in ("deadline", "refresh"):
            name = f"live-{kind}-{room.session_id}"
            assert names[name] == 1, (name, names)
            assert kept[name] in h.app.job_queue.jobs()
    for room in ended:
        assert not [n for n in names if n.endswith(f"-{room.session_id}")], names
    # Nothing is kept for a job that is no longer queued.
    assert set(kept) == set(names)


async def test_one_deadline_and_one_refresh_job_per_open_session(tmp_path: Path) -> None:
    clock = FakeClock()
    async with running(live_config(tmp_path), clock=clock) as h:
        first, second = Room(h, clock), Room(h, clock, chat_id=GROUP - 1)
        await first.begin("facts", make_class(2))
        await second.open("facts")
        assert_timers(h, first, second)
        await second.join(make_class(1, first_id=9000)[0])
        await second.control("go")
        for _ in range(4):
            await first.control("sk")  # reveal, then the next question: two new deadlines
            assert_timers(h, first, second)
        await first.respond(make_class(2)[0], True)
        await second.timers(120)  # the second session's deadline passes: it reveals
        assert (await second.session()).phase is Phase.REVEAL
        assert_timers(h, first, second)
        await first.control("st")
        assert (await first.session()).phase is Phase.ENDED
        assert_timers(h, second, ended=(first,))
        await second.control("st")
        assert_timers(h, ended=(first, second))
