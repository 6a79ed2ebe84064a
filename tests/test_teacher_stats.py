"""/stats and /report with the test statistics: which attempts were counted (and the `all`
switch), per-bank spread and reliability, and the items a teacher should check."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import bidi, texts
from bot.formatting import Formatter
from bot.reports import stats_text
from quizzes.reliability import Attempts, bank_stats
from tests.harness import make_config, running
from tests.test_reliability import BANK2, CLASS2, class2
from tests.test_teachers import (
    ADMIN,
    GROUP,
    HADI,
    HEAD,
    LAYLA,
    SAMI,
    Clock,
    admins,
    config,
    post_homework,
    seat_classes,
    take,
)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (None, Attempts.FIRST),
        ([], Attempts.FIRST),
        (["all"], Attempts.ALL),
        (["ALL"], Attempts.ALL),
        (["الكل"], Attempts.ALL),
        (["first"], Attempts.FIRST),
        (["كلام"], Attempts.FIRST),
    ],
)
def test_attempts_argument(args: list[str] | None, expected: Attempts) -> None:
    assert stats_text.attempts_from_args(args) is expected


def test_bank_lines_name_the_flagged_items_and_their_file() -> None:
    """Class 2 of tests/test_reliability.py: mean 55%, SD 19.7%, alpha -16/21, i2 and i4
    negative (r = -0.035 and -0.697)."""
    lines = stats_text.bank_lines(Formatter(), bank_stats(*class2(), {"b2": BANK2}), {"b2": BANK2})
    assert lines[0] == texts.STATS_BANK.format(
        bank=bidi.esc("بنك ٢"),
        students="١٠ طلاب",
        mean="٥٥٪",
        sd="٢٠٪",
        alpha="−٠٫٧٦",
        reading=texts.READING_LABELS["unsatisfactory"],
    )
    assert lines[1:] == [
        texts.STATS_FLAG.format(question=bidi.latin(q), file=bidi.latin("b2.yaml"), r=r)
        for q, r in (("i2", "−٠٫٠٤"), ("i4", "−٠٫٧٠"))
    ]


def test_bank_lines_below_ten_students() -> None:
    lines = stats_text.bank_lines(
        Formatter(), bank_stats(*class2(CLASS2[:9]), {"b2": BANK2}), {"b2": BANK2}
    )
    assert lines == [
        texts.STATS_BANK_TOO_FEW.format(bank=bidi.esc("بنك ٢"), students="٩ طلاب", minimum="١٠")
    ]


async def test_stats_and_report_say_which_attempts_they_count(tmp_path: Path) -> None:
    async with running(config(tmp_path), clock=Clock()) as h:
        admins(h.request)
        await seat_classes(h)
        code, _ = await post_homework(h)
        await take(h, LAYLA, code)
        await take(h, HADI, code, wrong_every=2)
        # A second homework on the same bank: Layla meets it again, Sami for the first time.
        again, _ = await post_homework(h)
        await take(h, LAYLA, again, wrong_every=1)
        await take(h, SAMI, again)

        stats = (await h.send("/stats", ADMIN, chat_id=GROUP))[-1].text
        assert texts.STATS_ATTEMPTS_FIRST in stats
        # Three students at the bank: too few for the figures to mean anything.
        assert "٣ طلاب — لا دلالة للأرقام بعد (يلزم ١٠ على الأقل)" in stats
        stats = (await h.send("/stats all", ADMIN, chat_id=GROUP))[-1].text
        assert texts.STATS_ATTEMPTS_ALL in stats and "٤ طلاب — لا دلالة" in stats

        # The chart of the second homework: Sami only, unless every attempt is asked for.
        first = (await h.send("/report", ADMIN, chat_id=GROUP))[-1].params["caption"]
        assert "طالب واحد" in first and first.endswith(texts.REPORT_ATTEMPTS_FIRST)
        every = (await h.send("/report all", ADMIN, chat_id=GROUP))[-1].params["caption"]
        assert "طالبان" in every and every.endswith(texts.REPORT_ATTEMPTS_ALL)


async def test_report_of_repeats_only(tmp_path: Path) -> None:
    async with running(config(tmp_path), clock=Clock()) as h:
        admins(h.request)
        await seat_classes(h)
        code, _ = await post_homework(h)
        await take(h, LAYLA, code)
        again, _ = await post_homework(h)
        await take(h, LAYLA, again)
        calls = await h.send("/report", ADMIN, chat_id=GROUP)
        assert calls[-1].text == texts.REPORT_ONLY_REPEATS
        calls = await h.send("/report all", ADMIN, chat_id=GROUP)
        assert calls[-1].method == "sendPhoto"


async def test_a_class_picked_by_button_keeps_the_attempts_asked_for(tmp_path: Path) -> None:
    """A teacher of several classes asks in private and picks the class: `all` carries over."""
    async with running(config(tmp_path), clock=Clock()) as h:
        admins(h.request)
        await seat_classes(h)
        code, _ = await post_homework(h)
        await take(h, LAYLA, code)
        again, _ = await post_homework(h)
        await take(h, LAYLA, again)
        await take(h, SAMI, again)
        for command, ending in (("/report all", texts.REPORT_ATTEMPTS_ALL),
                                ("/report", texts.REPORT_ATTEMPTS_FIRST)):  # fmt: skip
            assert (await h.send(command, HEAD))[-1].text == texts.CHOOSE_CLASS
            caption = (await h.tap(HEAD, "الصف العاشر"))[-1].params["caption"]
            assert caption.endswith(ending)
        # A button drawn before buttons carried the attempts still works, as first attempts.
        caption = (await h.press_data(f"rc:{GROUP}", HEAD))[-1].params["caption"]
        assert caption.endswith(texts.REPORT_ATTEMPTS_FIRST)


async def test_stats_speak_the_configured_digits(tmp_path: Path) -> None:
    western = make_config(tmp_path, teacher_ids=frozenset({HEAD.id}), digits="western")
    async with running(western, clock=Clock()) as h:
        admins(h.request)
        await seat_classes(h)
        code, _ = await post_homework(h)
        await take(h, LAYLA, code)
        await take(h, HADI, code, wrong_every=2)
        await take(h, SAMI, code)
        stats = (await h.send("/stats", ADMIN, chat_id=GROUP))[-1].text
    assert "شارك منهم: 3" in stats and "3 طلاب —" in stats and not set("٠١٢٣٤٥٦٧٨٩") & set(stats), (
        stats
    )
