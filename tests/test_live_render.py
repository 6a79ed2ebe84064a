"""Rendering of live sessions: every reveal of every bank fits in one Telegram message."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest

from bot import live_render, texts
from bot.app import load_content
from quizzes import live
from quizzes.live import LiveRules, Phase
from tests.harness import make_config
from tests.live_support import T0


@pytest.fixture
def banks(tmp_path: Path) -> dict:
    return load_content(make_config(tmp_path))[1]


def test_every_reveal_fits_in_one_message(banks: dict) -> None:
    """The longest possible reveal of every live question of every bank stays under 4096."""
    for bank in banks.values():
        session = live.new_session(bank, -1, 9, T0, random.Random(1), LiveRules())
        session = replace(session, id=1, joined=frozenset(range(999)), phase=Phase.REVEAL)
        for position, planned in enumerate(session.plan):
            q = bank.question(planned.question_id)
            tally = live.Tally(tuple((k, 999) for k in planned.order), 999, 999)
            at = replace(session, position=position, deadline=T0, reason=live.CloseReason.SKIPPED)
            text = live_render.reveal(at, position, q, tally)
            assert len(text) <= live_render.MESSAGE_LIMIT, (bank.id, q.id, len(text))
            assert texts.esc(q.explanation) in text
