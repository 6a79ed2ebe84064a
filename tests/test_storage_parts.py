"""The repository is built from feature parts: each part's methods are the repository's own,
and a part works over a bare Store with only the collaborators its constructor names."""

from __future__ import annotations

import inspect
from datetime import UTC, datetime
from pathlib import Path

from storage.attempts import AttemptsPart
from storage.live import LiveSessionsPart
from storage.live_answers import LiveAnswersPart
from storage.live_cache import LiveSessionCache
from storage.memo import WrittenRows
from storage.peer_votes import PeerVotesPart
from storage.reports import ReportsPart
from storage.repository import Flat, Repository
from storage.reviews import ReviewsPart
from storage.sqlite import SqliteStore as Store
from tests.backends import database

PARTS = {
    "attempts_part": AttemptsPart,
    "live_sessions_part": LiveSessionsPart,
    "live_answers_part": LiveAnswersPart,
    "reports_part": ReportsPart,
    "peer_votes_part": PeerVotesPart,
    "reviews_part": ReviewsPart,
}


def public_methods(part: type) -> set[str]:
    return {n for n, f in vars(part).items() if inspect.isfunction(f) and not n.startswith("_")}


def test_every_public_method_of_every_part_is_offered_once_and_by_its_own_part(
    tmp_path: Path,
) -> None:
    offered = {
        n: f.part for n, f in vars(Repository).items() if isinstance(f, Flat) and f.part != "store"
    }
    expected = {n: attr for attr, part in PARTS.items() for n in public_methods(part)}
    assert offered == expected
    # An attribute of the same name would hide the method.
    attributes = set(vars(Repository(database(tmp_path / "r.sqlite3")))) | set(dir(Store))
    clashes = {n for n in offered if n in attributes}
    assert not clashes


async def test_a_flat_method_is_the_parts_own_bound_method(tmp_path: Path) -> None:
    repo = Repository(database(tmp_path / "r.sqlite3"))
    for attr, part in PARTS.items():
        assert isinstance(getattr(repo, attr), part)
    assert repo.get_live == repo.live_sessions_part.get_live
    assert repo.forget_student.__self__ is repo.reports_part
    assert (
        repo.live_answers_part.store is repo.store
        and repo.reports_part.live_cache is repo.live_cache
    )
    assert repo.live_answers_part.writes is repo.live_sessions_part.writes


async def test_parts_work_over_a_bare_store(tmp_path: Path) -> None:
    now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    written, cache = WrittenRows(), LiveSessionCache()
    async with Store(tmp_path / "s.sqlite3") as store:
        attempts = AttemptsPart(store, written)
        reports = ReportsPart(store, written, cache)
        await attempts.save_student(5, "سارة", None)
        assert written.unchanged(("student", 5), ("سارة", None))
        await attempts.save_chat(-1, "supergroup", "الصف")
        assert [c.title for c in await reports.known_classes()] == ["الصف"]
        await reports.forget_student(5, now)
        assert not written.unchanged(("student", 5), ("سارة", None))
        assert not await reports.student_exists(5)
