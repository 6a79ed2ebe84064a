"""What `quizbot run` says once it has started, and what the bot does when added to a group.

The start-up runs the real command in a subprocess against a Bot API server on loopback (as in
tests/test_cli_failures.py) that accepts the token and answers getMe with a username.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import texts
from tests.api_servers import QuietHandler, serving
from tests.harness import make_config, running
from tests.live_support import GROUP, TEACHER
from tests.paths import ROOT
from tests.test_cli_failures import BOT_ID, SECRET, TOKEN, environment

USERNAME = "class_quiz_test_bot"
ME = {"id": int(BOT_ID), "is_bot": True, "first_name": "Quiz", "username": USERNAME}


class AcceptingApi(QuietHandler):
    """A Bot API that knows the bot: getMe answers, polling finds no update."""

    polled = threading.Event()

    def do_POST(self) -> None:
        method = self.path.rsplit("/", 1)[-1]
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if method == "getMe":
            result: object = ME
        elif method == "getUpdates":
            self.polled.set()
            time.sleep(0.2)  # a long poll that ends empty, without spinning
            result = []
        else:
            result = True
        self.reply(200, {"ok": True, "result": result})

    do_GET = do_POST


@pytest.fixture
def accepting_api() -> Iterator[tuple[str, threading.Event]]:
    """The server's URL, and an event set once the bot polls (its signal handlers are in)."""
    with serving(AcceptingApi, polled=threading.Event()) as (url, handler):
        yield url, handler.polled


def read_until(process: subprocess.Popen, marker: str, seconds: float) -> str:
    """Everything the process wrote until `marker` appeared (or the time ran out)."""
    seen = b""
    deadline = time.monotonic() + seconds
    while marker.encode() not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.5)
        if ready:
            chunk = os.read(process.stdout.fileno(), 65536)
            if not chunk:
                break
            seen += chunk
    return seen.decode(errors="replace")


def test_run_prints_the_username_the_database_and_the_group_link(
    tmp_path: Path, accepting_api: tuple[str, threading.Event]
) -> None:
    url, polled = accepting_api
    env = environment(tmp_path, TELEGRAM_API_URL=url, QUIZBOT_LOG_LEVEL="WARNING")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
        env=env,
    )
    try:
        shown = read_until(process, "startgroup=", 30)
        assert polled.wait(30), shown
        process.send_signal(signal.SIGTERM)
        rest, _ = process.communicate(timeout=30)
    finally:
        process.kill()
    output = shown + rest.decode(errors="replace")
    lines = output.splitlines()
    assert f"quizbot is running as @{USERNAME}" in lines, output
    assert f"database: {tmp_path / 'quiz.sqlite3'}" in lines, output
    assert f"add it to a class group: https://t.me/{USERNAME}?startgroup=class" in lines, output
    assert "Traceback" not in output, output
    for part in (TOKEN, SECRET):
        assert part not in output, output
    assert process.returncode == 0, output  # SIGTERM is a clean stop, not a failure


async def test_a_group_start_explains_what_the_bot_does_there(tmp_path: Path) -> None:
    async with running(make_config(tmp_path)) as h:
        calls = await h.send("/start class", TEACHER, chat_id=GROUP)
        assert [c.text for c in calls if c.method == "sendMessage"] == [texts.GROUP_WELCOME]
        assert calls[-1].chat_id == GROUP
