"""The digit style is the config's, carried by a Formatter through the context: no module
global, so two applications in one process each speak their own digits."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.formatting import Formatter, plural_form
from tests.factories import Person
from tests.harness import Harness, make_config, running

STUDENT = Person(5901, "هدى", "السالم", "huda")


async def _speaks(h: Harness, one: str, seven: str, thirteen: str) -> None:
    calls = await h.send("/article 7", STUDENT)  # a handler: context.fmt
    assert f"<b>الفقرة {seven}</b> من {thirteen}" in calls[-1].text
    calls = await h.start_bank(STUDENT, "facts")  # a renderer and a keyboard: fmt passed on
    question = [c for c in calls if c.method == "sendMessage"][-1]
    assert f"السؤال {one} من" in question.text


async def test_two_applications_in_one_process_each_speak_their_own_digits(
    tmp_path: Path,
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "w").mkdir()
    async with (
        running(make_config(tmp_path / "a", digits="arabic")) as arabic,
        running(make_config(tmp_path / "w", digits="western")) as western,
    ):
        # Both are built before either speaks, and they take turns: a style kept in a module
        # would be the last one built, and the Arabic bot would answer in Western digits.
        await _speaks(arabic, "١", "٧", "١٣")
        await _speaks(western, "1", "7", "13")
        calls = await arabic.send("/article 13", STUDENT)
        assert "<b>الفقرة ١٣</b> من ١٣" in calls[-1].text
    async with running(make_config(tmp_path / "a", digits="arabic")) as again:
        calls = await again.send("/article 7", STUDENT)
        assert "<b>الفقرة ٧</b> من ١٣" in calls[-1].text


def test_formatters_of_both_styles_live_side_by_side() -> None:
    arabic, western = Formatter("arabic"), Formatter("western")
    assert (arabic.num(12.5), western.num(12.5)) == ("١٢٫٥", "12.5")
    assert (arabic.percent(40), western.percent(40)) == ("٤٠٪", "40%")
    assert (arabic.count("question", 3), western.count("question", 3)) == ("٣ أسئلة", "3 أسئلة")
    assert arabic.decimal(-0.25) == "\u2068-٠٫٢٥\u2069"
    assert western.decimal(-0.25) == "\u2068-0.25\u2069"
    assert [plural_form(n) for n in (0, 1, 2, 3, 11, 100)] == [
        "zero",
        "one",
        "two",
        "few",
        "many",
        "other",
    ]


def test_an_unknown_digit_style_is_refused() -> None:
    with pytest.raises(ValueError, match="roman"):
        Formatter("roman")
