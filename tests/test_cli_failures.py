"""How `quizbot` fails: one clear line, the exit code of docs/cli.md, no traceback, no token.

The start-up cases run the real command in a subprocess against a Bot API server on loopback,
and read everything the process wrote.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from telegram.error import InvalidToken, NetworkError

from bot import cli, texts
from bot.config import ENVIRONMENT
from bot.exits import Exit
from storage import backup as backup_module
from storage.sqlite import SqliteStore as Store
from tests.api_servers import RejectingApi, serving
from tests.paths import ROOT

TOKEN = "987654321:AAF-rejected_Secret-part-42"
BOT_ID, SECRET = TOKEN.split(":")


@pytest.fixture
def rejecting_api() -> Iterator[tuple[str, list[str]]]:
    """The server's URL, and the paths it was asked for."""
    with serving(RejectingApi, paths=[]) as (url, handler):
        yield url, handler.paths


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    home = tmp_path / "home"  # matplotlib writes its cache there
    home.mkdir(exist_ok=True)
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": f"http://127.0.0.1:{closed_port()}",
        "QUIZBOT_DB": str(tmp_path / "quiz.sqlite3"),
        # Short, so that a check that wrongly lets a start-up through fails fast.
        "QUIZBOT_STARTUP_TIMEOUT": "2",
    } | extra


def quizbot(*args: str, env: dict[str, str], stdin: str = "") -> tuple[int, str, float]:
    """Exit code, everything written to stdout and stderr, and the seconds it took."""
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    return result.returncode, result.stdout, time.monotonic() - started


def assert_clean(output: str) -> list[str]:
    """No traceback and no part of the token; returns the non-empty lines."""
    assert "Traceback" not in output, output
    for part in (TOKEN, SECRET, BOT_ID):
        assert part not in output, (part, output)
    return [line for line in output.splitlines() if line.strip()]


def not_a_database(path: Path) -> Path:
    path.write_bytes(random.Random(7).randbytes(8192))
    return path


def damaged_database(path: Path) -> Path:
    """A real SQLite file with one of its pages overwritten: the header still looks fine."""
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (x TEXT)")
        db.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 400)
    db.close()
    raw = bytearray(path.read_bytes())
    raw[8192:12288] = random.Random(7).randbytes(4096)
    path.write_bytes(bytes(raw))
    return path


# --- quizbot run -------------------------------------------------------------------------------


def test_a_rejected_token_is_one_line_without_the_token(
    tmp_path: Path, rejecting_api: tuple[str, list[str]]
) -> None:
    url, paths = rejecting_api
    code, output, seconds = quizbot("run", env=environment(tmp_path, TELEGRAM_API_URL=url))
    assert code == Exit.TOKEN_REJECTED == 3, output
    lines = assert_clean(output)
    assert len(lines) == 1, output
    assert "Telegram rejected the bot token" in lines[0] and "TELEGRAM_BOT_TOKEN" in lines[0]
    assert paths == [f"/bot{TOKEN}/getMe"]  # it did ask our server, with the token
    assert seconds < 60


def test_an_unreachable_api_is_retried_for_the_bound_then_given_up(tmp_path: Path) -> None:
    env = environment(tmp_path, QUIZBOT_STARTUP_TIMEOUT="3")
    code, output, seconds = quizbot("run", env=env)
    assert code == Exit.API_UNREACHABLE == 4, output
    lines = assert_clean(output)
    retries, final = lines[:-1], lines[-1]
    # Attempts at 0, 1 and 3 s: two retries, each announced in one line.
    assert len(retries) == 2 and all("retrying in" in line for line in retries), output
    assert final.startswith("error: cannot reach the Telegram Bot API at http://127.0.0.1:")
    assert "TELEGRAM_API_URL" in final
    assert seconds < 3 + 20  # the bound, and the start of a Python process on a busy machine


def test_run_on_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    db = not_a_database(tmp_path / "quiz.sqlite3")
    before = db.read_bytes()
    code, output, _ = quizbot("run", env=environment(tmp_path))
    assert code == Exit.DATABASE_UNUSABLE == 5, output
    (line,) = assert_clean(output)
    assert line.startswith(f"error: cannot use the database {db}: not a SQLite database")
    assert db.read_bytes() == before


def test_run_on_a_damaged_database_writes_nothing_to_it(tmp_path: Path) -> None:
    db = damaged_database(tmp_path / "quiz.sqlite3")
    before = db.read_bytes()
    code, output, _ = quizbot("run", env=environment(tmp_path))
    assert code == Exit.DATABASE_UNUSABLE, output
    (line,) = assert_clean(output)
    assert "malformed" in line
    assert db.read_bytes() == before and not list(tmp_path.glob("quiz.sqlite3-*"))


def test_run_with_a_directory_as_the_database(tmp_path: Path) -> None:
    code, output, _ = quizbot("run", env=environment(tmp_path, QUIZBOT_DB=str(tmp_path)))
    assert code == Exit.DATABASE_UNUSABLE, output
    (line,) = assert_clean(output)
    assert "is a directory" in line


def test_run_help_lists_every_environment_variable() -> None:
    code, output, _ = quizbot("run", "--help", env={"PATH": "/usr/bin:/bin"})
    assert code == 0
    listed = re.findall(r"^  ([A-Z_]+)  ", output, flags=re.MULTILINE)
    assert listed == [v.name for v in ENVIRONMENT]


def test_the_environment_table_is_what_config_reads() -> None:
    source = (ROOT / "bot" / "config.py").read_text(encoding="utf-8")
    read = set(re.findall(r'env\.get\("([A-Z_]+)"', source))
    assert read == {v.name for v in ENVIRONMENT}


# --- export, backup, validate -----------------------------------------------------------------


async def test_a_failed_open_leaves_no_thread_behind(tmp_path: Path) -> None:
    """What made export hang: aiosqlite's worker thread is not a daemon, and a failed open
    left it running, so the process could not exit."""
    path = not_a_database(tmp_path / "quiz.sqlite3")
    before = set(threading.enumerate())
    store = Store(path)
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        await store.open()
    for _ in range(100):
        if set(threading.enumerate()) <= before:
            break
        await asyncio.sleep(0.01)
    assert set(threading.enumerate()) <= before
    with pytest.raises(RuntimeError, match="not open"):
        store.db  # noqa: B018


@pytest.mark.parametrize("make", [not_a_database, damaged_database])
def test_export_on_an_unusable_database_ends_with_one_line(tmp_path: Path, make) -> None:
    db = make(tmp_path / "quiz.sqlite3")
    before = db.read_bytes()
    out = tmp_path / "out"
    code, output, seconds = quizbot(
        "export", "--all", "--format", "csv", "--out", str(out), "--db", str(db),
        env=environment(tmp_path),
    )  # fmt: skip
    assert code == Exit.DATABASE_UNUSABLE, output
    (line,) = assert_clean(output)
    assert line.startswith(f"error: cannot use the database {db}")
    assert seconds < 30 and db.read_bytes() == before and not out.exists()


@pytest.mark.parametrize("make", [not_a_database, damaged_database])
def test_backup_of_an_unusable_database_leaves_no_file(
    tmp_path: Path, make, capsys: pytest.CaptureFixture[str]
) -> None:
    db = make(tmp_path / "quiz.sqlite3")
    target = tmp_path / "backups" / "copy.sqlite3"
    assert cli.main(["backup", str(target), "--db", str(db)]) == Exit.DATABASE_UNUSABLE
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"error: cannot use the database {db}")
    assert list(target.parent.iterdir()) == []  # no copy, no .partial


def test_a_failed_backup_removes_its_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "quiz.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    target = tmp_path / "copy.sqlite3"
    partial = tmp_path / "copy.sqlite3.partial"
    partial.write_bytes(b"left by a crash, not a database")
    seen = []

    def full_disk(source: Path, path: Path, progress: object) -> None:
        seen.append(path.exists())  # the stale partial was removed before the copy
        path.write_bytes(b"half a copy")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup_module, "_copy", full_disk)
    assert cli.main(["backup", str(target), "--db", str(db)]) == Exit.FAILED
    assert capsys.readouterr().err == "error: backup failed: [Errno 28] No space left on device\n"
    assert seen == [False] and not partial.exists() and not target.exists()
    monkeypatch.undo()
    partial.write_bytes(b"left by a crash, not a database")
    assert cli.main(["backup", str(target), "--db", str(db)]) == Exit.OK
    assert not partial.exists() and target.stat().st_size > 0


def test_a_directory_where_a_file_is_expected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("QUIZBOT_DB", raising=False)
    db = tmp_path / "quiz.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    folder = tmp_path / "folder"
    folder.mkdir()
    export = ["export", "--format", "csv", "--db", str(db)]
    cases = [
        (export + ["--chat", "-1", "--out", str(folder)], Exit.USAGE, "is a directory"),
        (export + ["--all", "--out", str(db)], Exit.USAGE, "must be a directory"),
        (["export", "--all", "--format", "csv", "--out", "x", "--db", str(folder)], Exit.USAGE,
         "is a directory, not a database"),
        (["backup", str(folder), "--db", str(db)], Exit.FAILED, "is a directory"),
        (["validate", str(folder)], Exit.FAILED, "is a directory"),
    ]  # fmt: skip
    for argv, code, words in cases:
        assert cli.main(argv) == code, argv
        captured = capsys.readouterr()
        lines = (captured.out + captured.err).splitlines()
        assert 1 <= len(lines) <= 2 and words in lines[0], (argv, lines)
    assert list(folder.iterdir()) == []


# --- play, and output piped into `head` -------------------------------------------------------


def waits_for_second_answer(shown: str) -> bool:
    _, second, after = shown.partition("السؤال ٢ من")
    prompts = (texts.TERMINAL_PROMPT_CHOICE, texts.TERMINAL_PROMPT_MULTI, texts.TERMINAL_PROMPT_TF)
    return bool(second) and any(prompt in after for prompt in prompts)


def test_play_ctrl_c_says_so_with_the_score_so_far() -> None:
    play = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "play", "facts", "--seed", "1"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    try:
        play.stdin.write(b"1\n")
        play.stdin.flush()
        shown = b""
        while not waits_for_second_answer(shown.decode(errors="ignore")):
            chunk = os.read(play.stdout.fileno(), 65536)
            assert chunk, shown.decode()
            shown += chunk
        play.send_signal(signal.SIGINT)
        rest, errors = play.communicate(timeout=30)
    finally:
        play.kill()
    text = (shown + rest).decode()
    assert play.returncode == Exit.INTERRUPTED == 130
    assert errors == b"" and "Traceback" not in text
    assert text.rstrip().splitlines()[-2:] == [
        "توقّف الاختبار قبل نهايته.",
        "أجبت عن ١ من ١٨ سؤالًا، ونتيجتك حتى الآن في الأسئلة المحسوبة: ٠ من سؤال واحد.",
    ]


def test_output_into_a_reader_that_stops_early_exits_quietly() -> None:
    # Short output reaches the pipe only at the final flush; long output, and play's prompts,
    # while the command is still writing.
    cases = [
        (["validate"], b""),
        (["validate", "--coverage"], b""),
        (["play", "facts"], b"1\n" * 18),
    ]
    # Buffered, as stdout into a pipe is by default: the failure then comes at a flush.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    for argv, stdin in cases:
        child = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", *argv],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            env=env,
        )
        if argv[0] == "play":
            os.read(child.stdout.fileno(), 100)  # like `head -c 100`; play waits for input
        child.stdout.close()
        child.stdin.write(stdin)
        child.stdin.close()
        errors = child.stderr.read()
        child.stderr.close()
        child.wait(timeout=60)
        assert child.returncode == Exit.BROKEN_PIPE == 141, argv
        assert errors == b"", (argv, errors.decode())


def test_docs_list_every_exit_code() -> None:
    docs = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for code in Exit:
        assert re.search(rf"^\| {code.value} \|", docs, flags=re.MULTILINE), code


@pytest.mark.parametrize(
    ("failure", "code", "last_line"),
    [
        (lambda: InvalidToken(f"The token `{TOKEN}` was rejected"), 3, "rejected the bot token"),
        (lambda: NetworkError(f"httpx.ConnectError for /bot{TOKEN}/x"), 4, "TELEGRAM_API_URL"),
        (lambda: RuntimeError(f"a bug holding {TOKEN}"), 70, "unexpected failure"),
    ],
)
def test_what_escapes_a_subcommand_is_one_line_or_a_redacted_traceback(
    failure, code: int, last_line: str, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """A token revoked after start-up's check, the network lost then, or a bug."""

    def fails(args: object) -> int:
        raise failure()

    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setattr(cli, "cmd_validate", fails)
    assert cli.main(["validate"]) == code
    err = capsys.readouterr().err
    assert TOKEN not in err and SECRET not in err and last_line in err.splitlines()[-1]
    assert ("Traceback" in err) == (code == Exit.INTERNAL)


def test_run_on_an_unreachable_postgresql_server_names_it_without_its_password(
    tmp_path: Path,
) -> None:
    url = "postgresql://district:hunter2secret@127.0.0.1:1/quizbot"
    code, output, _ = quizbot("run", env=environment(tmp_path, QUIZBOT_DATABASE_URL=url))
    assert code == Exit.DATABASE_UNUSABLE, output
    (line,) = assert_clean(output)
    assert "hunter2secret" not in output
    assert line.startswith("error: cannot use the database postgresql://district:***@127.0.0.1:1/")
    assert "QUIZBOT_DATABASE_URL" in line


def test_a_database_url_that_is_not_postgresql_is_refused(tmp_path: Path) -> None:
    url = "mysql://root:hunter2secret@localhost/quizbot"
    code, output, _ = quizbot("run", env=environment(tmp_path, QUIZBOT_DATABASE_URL=url))
    assert code == Exit.USAGE, output
    (line,) = assert_clean(output)
    assert "hunter2secret" not in output and "postgresql://" in line
