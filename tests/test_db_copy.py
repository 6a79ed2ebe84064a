"""`quizbot db copy`: a school's SQLite file, filled through the real Repository, copied into the
test's PostgreSQL database; every row arrives, a second run adds nothing, a later run adds only
what is new, another database's row is refused, and no password is ever printed."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from bot.app import load_content
from bot.cli_db import report_lines
from bot.reports.collect import collect
from quizzes import live
from quizzes.attempt import AnswerRecord, advance, new_attempt
from quizzes.homework import Homework
from quizzes.live import LiveAnswer, LiveRules
from quizzes.review import PromptKind, ReviewAnswer, ReviewItem, ReviewPrompt, Window
from storage import copy as db_copy
from storage.copy import CopyRefused, copy_database
from storage.repository import Repository
from tests import backends, factories
from tests.harness import make_config, running
from tests.paths import ROOT

pytestmark = pytest.mark.postgresql_only

CLASS = -100700
T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
STUDENTS = [(6101, "ليلى"), (6102, "سامي\x00"), (6103, "نور")]


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory):
    return load_content(make_config(tmp_path_factory.mktemp("c")))


async def _attempt(
    repo: Repository, bank, user_id: int, start: datetime, homework_id: int, chat: int = CLASS
):
    attempt = await repo.start_attempt(
        new_attempt(
            bank, user_id, user_id, start, random.Random(1), only=["f01", "f02"], class_chat_id=chat
        )
    )
    await repo.link_homework(attempt.id, homework_id)
    for position, (qid, choice) in enumerate([("f01", "a"), ("f02", "c")]):
        correct = choice in bank.question(qid).answer
        await repo.record_answer(
            AnswerRecord(
                attempt.id,
                qid,
                choice,
                correct,
                float(correct),
                start + timedelta(seconds=30 * (position + 1)),
                2500,
                None,
            )
        )
        moved = advance(attempt, position, start + timedelta(seconds=90))
        await repo.save_progress(moved, position)
        attempt = moved
    return attempt


async def fill(path: Path, banks, students=STUDENTS, chat: int = CLASS) -> None:
    """A school's database: a class, homework attempts with answers, an ended live session with
    answers and scores, review items; one name holds a NUL character."""
    async with Repository(path) as repo:
        await repo.save_chat(chat, "supergroup", "الصف العاشر")
        homework = await repo.create_homework(
            Homework(None, f"hw{abs(chat)}{students[0][0]}", chat, "facts", 1, T0)
        )
        for index, (user_id, name) in enumerate(students, start=1):
            await repo.save_student(user_id, name, None)
            await repo.save_chat(user_id, "private", None)
            await repo.note_member(chat, user_id, T0)
            await _attempt(
                repo, banks["facts"], user_id, T0 + timedelta(minutes=index), homework.id, chat
            )
            item = ReviewItem(user_id, "facts", "f02", 0, T0 + timedelta(days=1))
            await repo.schedule_reviews([item], T0)
            prompt = await repo.add_review_prompt(
                ReviewPrompt(
                    None, user_id, "facts", "f02", 2, PromptKind.BUTTONS, T0, None, ("a", "b")
                )
            )
            await repo.record_review_answer(
                ReviewAnswer(prompt.id, user_id, "facts", "f02", 2, "b", True, 1.0, T0),
                replace(item, box=1),
            )
            await repo.set_review_window(user_id, Window.EVENING)
        rules = LiveRules()
        session = await repo.create_live(
            live.new_session(banks["facts"], chat, 9, T0, random.Random(1), rules)
        )
        for user_id in [s[0] for s in students]:
            await repo.join_live(session.id, user_id, -1, T0)
        started, _ = live.start(session, T0)
        await repo.save_live(started, session.step)
        qid = started.current.question_id
        ids = [s[0] for s in students]
        answers = [
            LiveAnswer(
                session.id,
                qid,
                0,
                uid,
                frozenset("a"),
                n == 0,
                0.8 if n == 0 else 0.0,
                T0,
                4000 + n,
            )
            for n, uid in enumerate(ids)
        ]
        for answer in answers:
            await repo.record_live_answer(answer)
        ended, _ = live.stop(started, T0, rules)
        await repo.save_live(ended, started.step)
        await repo.save_live_scores(session.id, live.standings(answers, set(ids), ended.plan[:1]))


def rows(target: Path | str) -> dict[str, set[tuple]]:
    """Every row of every table (columns in name order, NULs dropped), but the anonymous owner
    rows each database makes for itself."""
    own = db_copy.OWN_ROWS

    def normal(row: tuple) -> tuple:
        return tuple(v.replace("\x00", "") if isinstance(v, str) else v for v in row)

    if isinstance(target, Path):
        with sqlite3.connect(target) as db:
            tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            found = {}
            for t in tables:
                if t == "schema_migrations":
                    continue
                cols = sorted(r[1] for r in db.execute(f"PRAGMA table_info({t})"))
                sql = f"SELECT {', '.join(db_copy.q(c) for c in cols)} FROM {t}"
                if t in own:
                    sql += f" WHERE {own[t]}"
                found[t] = {normal(r) for r in db.execute(sql)}
            return found
    db = Path("unused")
    names = [
        r[0]
        for r in backends.read(db, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    ]
    found = {}
    for t in names:
        if t == "schema_migrations":
            continue
        cols = sorted(
            r[0]
            for r in backends.read(
                db, "SELECT column_name FROM information_schema.columns WHERE table_name = ?", (t,)
            )
        )
        sql = f"SELECT {', '.join(db_copy.q(c) for c in cols)} FROM {t}"
        if t in own:
            sql += f" WHERE {own[t]}"
        found[t] = set(backends.read(db, sql))
    return found


def total(found: dict[str, set[tuple]]) -> int:
    return sum(len(v) for v in found.values())


async def test_every_row_arrives_and_the_reports_read_the_same(tmp_path: Path, content) -> None:
    _, banks = content
    school = tmp_path / "school.sqlite3"
    await fill(school, banks)
    report = await copy_database(school, backends.current)
    assert report.committed and report.verified
    source = rows(school)
    assert rows(backends.current) == source
    assert total(source) > 20 and all(source[t] for t in db_copy.BIRTH if t != "peer_first_votes")
    by_table = {c.table: c for c in report.counts}
    assert by_table["students"].cleaned == 1  # the NUL in a name, dropped as the bot drops it
    assert sum(c.added for c in report.counts) == total(source)
    async with Repository(school) as src, Repository(backends.current) as dst:
        # The same class data, but for the NUL PostgreSQL cannot hold.
        copied, kept = await collect(dst, CLASS, banks), await collect(src, CLASS, banks)
        assert repr(copied) == repr(kept).replace("\\x00", "")
        assert copied.results and copied.answers and copied.reviews
        assert await dst.history(6101) == await src.history(6101)
        assert await dst.review_items(6103) == await src.review_items(6103)


async def test_a_second_run_adds_nothing_and_a_later_one_only_the_new_rows(
    tmp_path: Path, content
) -> None:
    _, banks = content
    school = tmp_path / "school.sqlite3"
    await fill(school, banks)
    await copy_database(school, backends.current)
    first = rows(backends.current)
    again = await copy_database(school, backends.current)
    assert again.committed and again.verified
    assert sum(c.added + c.updated for c in again.counts) == 0
    assert rows(backends.current) == first
    # The school goes on with SQLite: a new student and attempt, and an item moves on a box.
    async with Repository(school) as repo:
        await repo.save_student(6104, "جديد", None)
        await repo.save_chat(6104, "private", None)
        attempt = await _attempt(repo, banks["facts"], 6104, T0 + timedelta(days=2), 1)
        await repo.schedule_reviews(
            [ReviewItem(6101, "facts", "f02", 0, T0 + timedelta(days=5))], T0
        )
    later = await copy_database(school, backends.current)
    assert later.committed and later.verified
    added = {c.table: c.added for c in later.counts if c.added}
    # The new private chat is also recorded as the (school's one) bot's.
    assert added == {"students": 1, "chats": 1, "bot_chats": 1, "attempts": 1, "answers": 2}
    assert {c.table: c.updated for c in later.counts if c.updated} == {"review_items": 1}
    assert rows(backends.current) == rows(school)
    async with Repository(backends.current) as dst:
        assert (await dst.get_attempt(attempt.id)).user_id == 6104
        # New rows take ids past the copied ones.
        fresh = await dst.start_attempt(
            new_attempt(banks["facts"], 6104, 6104, T0, random.Random(2), only=["f01"])
        )
        assert fresh.id == attempt.id + 1


async def test_another_schools_row_with_the_same_id_is_refused_and_nothing_written(
    tmp_path: Path, content
) -> None:
    _, banks = content
    first, second = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    await fill(first, banks)
    await fill(second, banks, [(7101, "آخر")], chat=-100800)
    await copy_database(first, backends.current)
    before = rows(backends.current)
    with pytest.raises(CopyRefused, match="table homework: .*id 1"):
        await copy_database(second, backends.current)
    assert rows(backends.current) == before


async def test_a_row_the_verification_cannot_find_rolls_everything_back(
    tmp_path: Path, content
) -> None:
    _, banks = content
    school = tmp_path / "school.sqlite3"
    await fill(school, banks)
    await copy_database(school, backends.current)
    # The district bot opens a session in the class while the school opens one on SQLite too:
    # one open session per chat, so the school's row cannot go in, and the count must say so.
    async with Repository(backends.current) as dst:
        await dst.write_one("SELECT setval(pg_get_serial_sequence('live_sessions', 'id'), 50)")
        await dst.create_live(
            live.new_session(banks["facts"], CLASS, 9, T0, random.Random(3), LiveRules())
        )
    async with Repository(school) as src:
        opened = await src.create_live(
            live.new_session(banks["facts"], CLASS, 9, T0, random.Random(4), LiveRules())
        )
        await src.save_student(6105, "متأخر", None)
    before = rows(backends.current)
    report = await copy_database(school, backends.current)
    assert not report.committed and not report.verified
    (differs,) = [c for c in report.counts if c.source != c.target]
    assert (differs.table, differs.source, differs.target) == ("live_sessions", 2, 1)
    assert rows(backends.current) == before  # the new student was not kept either
    assert opened.id not in {r[0] for r in backends.read(tmp_path, "SELECT id FROM live_sessions")}
    assert any("<- differs" in line and "live_sessions" in line for line in report_lines(report))


@pytest.mark.fresh_database
async def test_databases_with_different_migrations_are_refused(tmp_path: Path, content) -> None:
    _, banks = content
    school = tmp_path / "school.sqlite3"
    await fill(school, banks)
    with sqlite3.connect(school) as db:
        db.execute("INSERT INTO schema_migrations VALUES ('0099_newer_quizbot', 'now')")
    with pytest.raises(CopyRefused, match="source has migrations the target lacks: 0099_newer"):
        await copy_database(school, backends.current)
    with sqlite3.connect(school) as db:
        db.execute("DELETE FROM schema_migrations WHERE name = '0099_newer_quizbot'")
    async with Repository(backends.current) as dst:
        await dst.write_one("INSERT INTO schema_migrations VALUES ('0098_other', 'now')")
    with pytest.raises(CopyRefused, match="target has migrations the source lacks: 0098_other"):
        await copy_database(school, backends.current)
    assert backends.read(tmp_path, "SELECT count(*) FROM students") == [(1,)]  # the owner only


def _with_password(url: str, password: str) -> str:
    parts = urlsplit(url)
    user = parts.username or "postgres"
    host = parts.hostname or ""
    netloc = f"{user}:{password}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def test_the_command_copies_and_never_prints_the_password(tmp_path: Path, content) -> None:
    import asyncio

    _, banks = content
    school = tmp_path / "school.sqlite3"
    asyncio.run(fill(school, banks))
    secret = "s3cret-Pass"
    url = _with_password(backends.current, secret)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for argv in (
        ["--from", f"sqlite:///{school}", "--to", url],
        ["--from", str(school), "--to", url],
        ["--from", str(tmp_path / "missing.sqlite3"), "--to", url],
        ["--from", str(school), "--to", url.replace("postgresql", "mysql", 1)],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "bot.cli", "db", "copy", *argv],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=120,
        )
        output = done.stdout + done.stderr
        assert secret not in output, output
        if argv[1] == str(school) or argv[1].startswith("sqlite"):
            if "mysql" in argv[3]:
                assert done.returncode == 2 and "--to must be a postgresql://" in output
            else:
                assert done.returncode == 0, output
                assert "verified: every row of the source is in the target" in output
                assert "***" in output
        else:
            assert done.returncode == 2 and "no SQLite database" in output


def test_the_command_exits_1_on_a_refusal_and_a_failed_check(
    tmp_path: Path, content, capsys: pytest.CaptureFixture[str]
) -> None:
    import asyncio

    from bot import cli

    _, banks = content
    first, second = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    asyncio.run(fill(first, banks))
    asyncio.run(fill(second, banks, [(7101, "آخر")], chat=-100800))
    assert cli.main(["db", "copy", "--from", str(first), "--to", backends.current]) == 0
    capsys.readouterr()
    assert cli.main(["db", "copy", "--from", str(second), "--to", backends.current]) == 1
    assert "error: copy refused: table homework:" in capsys.readouterr().err
    assert cli.main(["db", "copy", "--from", str(tmp_path), "--to", backends.current]) == 2


async def test_the_bot_on_postgresql_sees_the_schools_history(tmp_path: Path, content) -> None:
    _, banks = content
    school = tmp_path / "school.sqlite3"
    await fill(school, banks)
    async with Repository(school) as src:
        expected = await src.history(6101)
    assert expected
    await copy_database(school, backends.current)
    async with running(make_config(tmp_path)) as h:
        person = factories.Person(6101, "ليلى")
        calls = await h.send("/score", person)
        text = " ".join(str(c.params.get("text", "")) for c in calls)
        assert banks["facts"].title in text, text
