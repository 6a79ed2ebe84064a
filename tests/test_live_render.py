"""Rendering of live sessions: every reveal of every bank fits in one Telegram message."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from bot import bidi
from bot.app import load_content
from bot.formatting import Formatter
from bot.live import render as live_render
from bot.live.render.reveal import consensus_reveal
from quizzes import live
from quizzes.live import LiveRules, Phase
from quizzes.typed import MAX_CHARS
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
            text = live_render.reveal(Formatter(), at, position, q, tally)
            assert len(text) <= live_render.MESSAGE_LIMIT, (bank.id, q.id, len(text))
            assert bidi.esc(q.explanation) in text


def test_every_reveal_of_every_kind_fits_in_one_message(banks: dict, tmp_path: Path) -> None:
    """With the longest answers: peer rounds with both votes, evidence with its paragraphs,
    discussion prompts quoting the most responses allowed, each as long as a reply can be."""
    (article,) = load_content(make_config(tmp_path))[0].values()
    rules = LiveRules()
    for bank in banks.values():
        session = live.new_session(bank, -1, 9, T0, random.Random(1), rules)
        session = replace(
            session,
            id=1,
            joined=frozenset(range(999)),
            phase=Phase.REVEAL,
            show_responses=True,
            stage=live.Stage.REVOTE,
            reason=live.CloseReason.SKIPPED,
            deadline=T0,
        )
        for position, planned in enumerate(session.plan):
            q = bank.question(planned.question_id)
            typed = None if planned.order else "ر" * MAX_CHARS
            answers = [
                live.LiveAnswer(
                    1,
                    q.id,
                    position,
                    user,
                    frozenset(planned.order[:1]),
                    True,
                    1,
                    T0,
                    0,
                    round=r,
                    raw_text=typed,
                )
                for user in range(rules.responses_shown + 2)
                for r in (0, 1)
            ]
            at = replace(session, position=position)
            text = live_render.closed(Formatter(), at, position, q, answers, article, rules)
            assert len(text) <= live_render.MESSAGE_LIMIT, (bank.id, q.id, len(text))
            assert bidi.esc(q.explanation) in text
            if q.type.value == "discussion":
                assert text.count("<blockquote>ررر") == rules.responses_shown, q.id


@pytest.mark.parametrize("render", [live_render.reveal, consensus_reveal])
def test_a_reveal_too_long_with_the_option_texts_in_its_bars_drops_them_there(
    banks: dict, render: Callable[..., str]
) -> None:
    """Options long enough that repeating them in every bar breaks the limit: the bars keep
    only their letters, and the correct option is still spelled out once."""
    bank = next(iter(banks.values()))
    session = live.new_session(bank, -1, 9, T0, random.Random(1), LiveRules())
    position, planned = next((i, p) for i, p in enumerate(session.plan) if len(p.order) == 4)
    q = bank.question(planned.question_id)
    long = replace(q, options=tuple(replace(o, text=o.key * 900) for o in q.options))
    at = replace(session, id=1, joined=frozenset(range(9)), phase=Phase.REVEAL, position=position)
    tally = live.Tally(tuple((k, 2) for k in planned.order), 8, 2)
    text = render(Formatter(), at, position, long, tally)
    assert len(text) <= live_render.MESSAGE_LIMIT
    for key in planned.order:
        assert text.count(key * 900) == (1 if key in q.answer else 0), key
