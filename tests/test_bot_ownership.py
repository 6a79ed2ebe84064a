"""Several bots on one database: each resumes only its own live sessions (and those stored
before sessions had an owner), and every chat records the bots that have served it."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import load_content
from bot.config import Config
from quizzes import live
from quizzes.live import LiveRules
from storage.repository import Repository
from tests.backends import database
from tests.harness import make_config

RULES = LiveRules()
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
MINE, THEIRS = 111, 222


@pytest.mark.parametrize(
    ("token", "bot_id"),
    [("123456:ABC-def", 123456), ("8000000001:x", 8_000_000_001), ("", 0), ("nonsense", 0)],
)
def test_the_bot_id_is_the_number_before_the_tokens_colon(token: str, bot_id: int) -> None:
    assert Config(token=token).bot_id == bot_id


async def test_each_bot_resumes_its_own_sessions_and_those_without_an_owner(
    tmp_path: Path,
) -> None:
    banks = load_content(make_config(tmp_path))[1]
    target = database(tmp_path / "shared.sqlite3")
    mine, theirs = Repository(target, bot_id=MINE), Repository(target, bot_id=THEIRS)
    async with mine, theirs:
        for chat in (-1, -2, -3):
            await mine.save_chat(chat, "supergroup", "class")
        await theirs.save_chat(-2, "supergroup", "class")

        def fresh(chat: int) -> live.LiveSession:
            return live.new_session(banks["facts"], chat, 9, T0, random.Random(1), RULES)

        own = await mine.create_live(fresh(-1))
        other = await theirs.create_live(fresh(-2))
        before = await mine.create_live(fresh(-3))
        assert own and other and before
        # A session stored before sessions had an owner: one database had one bot then.
        await mine.write_one("UPDATE live_sessions SET bot_id = NULL WHERE id = ?", (before.id,))

        assert [s.id for s in await mine.open_lives()] == [own.id, before.id]
        assert [s.id for s in await theirs.open_lives()] == [other.id, before.id]

        ended, _ = live.stop(other, T0, RULES)
        assert await theirs.save_live(ended, other.step)
        assert await mine.unshown_ended_lives() == []
        assert await theirs.unshown_ended_lives() == [other.id]

        served = await mine.fetchall("SELECT bot_id, chat_id FROM bot_chats ORDER BY 1, 2 DESC")
        assert [(r["bot_id"], r["chat_id"]) for r in served] == [
            (MINE, -1),
            (MINE, -2),
            (MINE, -3),
            (THEIRS, -2),
        ]
        # Saving a chat again keeps when the bot first saw it, once.
        await theirs.save_chat(-2, "supergroup", "renamed")
        assert len(await mine.fetchall("SELECT * FROM bot_chats WHERE bot_id = ?", (THEIRS,))) == 1
