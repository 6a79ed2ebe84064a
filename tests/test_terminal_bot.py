"""The terminal and the bot say the same thing to the same bad input, and grade alike."""

from __future__ import annotations

import random

import pytest

from bot import bidi, texts
from quizzes.attempt import new_attempt
from tests.factories import Person
from tests.harness import Harness
from tests.terminal_support import article_of, only, run, shipped

STUDENT = Person(5301, "ليلى", "حداد")
DISCUSS = shipped()["discuss"]
TOO_LONG = ("كلمة " * 250).strip()


async def bot_reply(h: Harness, qid: str, text: str) -> str:
    """What the bot answers `text` with, at an attempt holding only question `qid`."""
    bank = h.app.bot_data.banks["discuss"]
    await h.repo.save_student(STUDENT.id, STUDENT.first_name, None)
    await h.repo.save_chat(STUDENT.id, "private", None)
    await h.repo.start_attempt(
        new_attempt(
            bank, STUDENT.id, STUDENT.id, h.app.bot_data.clock(), random.Random(3), only=[qid]
        )
    )
    sent = [c for c in await h.send(text, STUDENT) if c.method == "sendMessage"]
    assert len(sent) == 1
    return bidi.strip_html(sent[0].text)


@pytest.mark.parametrize(
    ("qid", "bad"),
    [
        ("s01", "؟؟؟ !!"),  # nothing readable
        ("s01", "hgrvdl"),  # Latin where Arabic is meant
        ("s01", TOO_LONG),
        ("d01", "رأيي أنه صحيح"),  # below the minimum length
        ("d01", "hello there, this is my opinion"),
        ("e01", "copied in Latin letters"),
        ("e01", TOO_LONG),
    ],
)
async def test_the_terminal_says_what_the_bot_says(harness: Harness, qid: str, bad: str) -> None:
    said_by_bot = await bot_reply(harness, qid, bad)
    question = DISCUSS.question(qid)
    terminal = run(only(DISCUSS, question), [bad, "/quit"]).out
    assert f"\n{said_by_bot}\n" in terminal, said_by_bot


async def test_another_article_sentence_gets_the_same_verdict(harness: Harness) -> None:
    question = DISCUSS.question("e01")
    sentence = next(
        s.text
        for s in article_of(DISCUSS).sentences
        if s.paragraph not in question.paragraphs and len(s.text) > 40
    )
    said_by_bot = await bot_reply(harness, "e01", sentence)
    terminal = run(only(DISCUSS, question), [sentence]).out
    assert texts.VERDICT_EVIDENCE_ELSEWHERE in said_by_bot
    for line in said_by_bot.splitlines():
        assert line in terminal, line
