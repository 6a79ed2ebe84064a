"""Webhook mode (PTB's server on loopback, secret required) and the online backup command."""

from __future__ import annotations

import asyncio
import json
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from bot.config import Config, ConfigError
from storage.backup import backup_database
from tests.factories import Person, message_payload
from tests.harness import make_config, running
from tests.paths import ROOT

STUDENT = Person(8101, "هدى")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_webhook_config_generates_a_secret_and_requires_https() -> None:
    env = {"TELEGRAM_BOT_TOKEN": "1:x", "QUIZBOT_WEBHOOK_URL": "https://bot.example.org/hook/abc"}
    config = Config.from_env(env)
    assert len(config.webhook_secret) >= 32 and config.webhook_path == "hook/abc"
    assert Config.from_env(env).webhook_secret != config.webhook_secret
    assert config.webhook_secret not in repr(config)
    with pytest.raises(ConfigError):
        Config.from_env({**env, "QUIZBOT_WEBHOOK_URL": "http://insecure"})
    with pytest.raises(ConfigError):
        Config.from_env({**env, "QUIZBOT_WEBHOOK_SECRET": "has spaces"})
    assert Config.from_env({"TELEGRAM_BOT_TOKEN": "1:x"}).webhook_url is None


async def test_webhook_rejects_updates_without_the_secret(tmp_path: Path) -> None:
    port = free_port()
    config = Config.from_env(
        {
            "TELEGRAM_BOT_TOKEN": "1:x",
            "QUIZBOT_WEBHOOK_URL": "https://bot.example.org/hook",
            "QUIZBOT_DB": str(tmp_path / "db.sqlite3"),
        }
    )
    async with running(
        make_config(tmp_path, webhook_url=config.webhook_url, webhook_secret=config.webhook_secret)
    ) as h:
        app = h.app
        await app.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path=config.webhook_path,
            webhook_url=config.webhook_url,
            secret_token=config.webhook_secret,
        )
        try:
            set_hook = h.request.last("setWebhook")
            assert set_hook.params["secret_token"] == config.webhook_secret
            update = {"update_id": 1, "message": message_payload("/help", STUDENT)}
            url = f"http://127.0.0.1:{port}/{config.webhook_path}"
            async with httpx.AsyncClient() as client:
                missing = await client.post(url, json=update)
                wrong = await client.post(
                    url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"}
                )
                right = await client.post(
                    url,
                    content=json.dumps(update),
                    headers={
                        "X-Telegram-Bot-Api-Secret-Token": config.webhook_secret,
                        "Content-Type": "application/json",
                    },
                )
            assert missing.status_code == 403 and wrong.status_code == 403
            assert right.status_code == 200
            for _ in range(100):
                if h.request.of("sendMessage", STUDENT.id):
                    break
                await asyncio.sleep(0.02)
            replies = h.request.of("sendMessage", STUDENT.id)
            assert len(replies) == 1 and "/article" in replies[0].text
        finally:
            await app.updater.stop()


def test_backup_while_a_writer_is_busy(tmp_path: Path) -> None:
    source, target = tmp_path / "live.sqlite3", tmp_path / "backups" / "copy.sqlite3"
    with sqlite3.connect(source) as db:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("CREATE TABLE t (x INTEGER)")
        db.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(5000)])
    writer = sqlite3.connect(source)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO t VALUES (-1)")  # uncommitted: must not be in the copy
    try:
        pages = backup_database(source, target)
    finally:
        writer.rollback()
        writer.close()
    assert pages > 1
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT COUNT(*), MIN(x) FROM t").fetchone() == (5000, 0)
    assert not target.with_name("copy.sqlite3.partial").exists()


def test_backup_command(tmp_path: Path) -> None:
    source = tmp_path / "db.sqlite3"
    with sqlite3.connect(source) as db:
        db.execute("CREATE TABLE t (x)")
    run = lambda *a: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "bot.cli", "backup", *a],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "QUIZBOT_DB": str(source)},
        timeout=60,
    )
    ok = run(str(tmp_path / "out.sqlite3"))
    assert ok.returncode == 0 and "backed up" in ok.stdout
    assert (tmp_path / "out.sqlite3").stat().st_size > 0
    same = run(str(source))
    assert same.returncode == 1 and "another file" in same.stderr
    missing = run(str(tmp_path / "x.sqlite3"), "--db", str(tmp_path / "none.sqlite3"))
    assert missing.returncode == 1 and "no database" in missing.stderr
