"""`quizbot play --bidi`: visual order is python-bidi's reordering of each logical row, logical
order is the text untouched, and the default follows QUIZBOT_BIDI or the terminal."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import arabic_reshaper
import pytest
from bidi.algorithm import get_display

from bot import bidi, render, texts
from bot.formatting import Formatter
from bot.terminal import how_to_answer
from bot.terminal_screen import LOGICAL, VISUAL, BidiModeError, Screen, cells, choose_bidi
from tests.paths import ROOT
from tests.terminal_support import article_of, only, orders, run, shipped

BANKS = shipped()


def reference(line: str) -> str:
    """The visual row straight from the libraries: shaped, reordered right to left, mirrored."""
    shown = get_display(arabic_reshaper.reshape(line), base_dir="R")
    return shown.replace("\u200e", "")


def is_prompt(line: str) -> bool:
    prompts = [v for k, v in vars(texts).items() if k.startswith("TERMINAL_PROMPT_")]
    return any(line.startswith(p) for p in prompts)


def test_visual_rows_are_the_reordering_of_the_logical_lines() -> None:
    bank = only(BANKS["facts"], *BANKS["facts"].questions[:3])
    lines = ["1", "2 3", "ص"]
    logical = run(bank, lines).out.split("\n")
    visual = [row.lstrip(" ") for row in run(bank, lines, bidi=VISUAL, width=2000).out.split("\n")]
    at = 0
    for line in logical:
        if not line.strip() or is_prompt(line):
            continue
        expected = reference(line)
        assert expected in visual[at:], line
        at = visual.index(expected, at) + 1
    header = reference(bidi.strip_html(render.header(Formatter(), 0, 3)))
    assert header in visual and header != bidi.strip_html(render.header(Formatter(), 0, 3))


def test_visual_mode_mirrors_brackets_and_quotes() -> None:
    (row,) = Screen(None, VISUAL, 80).rows("أ) «لا نتخلى»")
    assert row.strip() == "«ﻰﻠﺨﺘﻧ ﻻ» (ﺃ"


def test_logical_mode_leaves_the_text_as_it_is() -> None:
    bank = only(BANKS["facts"], BANKS["facts"].questions[0])
    question, (order,) = bank.questions[0], orders(bank)
    out = run(bank, ["1"]).out
    shown = render.question_text(
        Formatter(), question, order, 0, 1, hint=how_to_answer(Formatter(), question)
    )
    assert bidi.strip_html(shown) + "\n\n" in out
    text = "السؤال ١ من ١٨ — Buk-2MA\n\nسطر ثانٍ"
    for width in (20, 80):
        assert Screen(None, LOGICAL, width).rows(text) == text.split("\n")


def test_visual_mode_wraps_before_reordering_and_aligns_right() -> None:
    paragraph = article_of(BANKS["facts"]).paragraph(2)
    rows = Screen(None, VISUAL, 40).rows(paragraph)
    chunks = textwrap.wrap(paragraph, width=39)
    assert len(rows) == len(chunks) > 3
    for row, chunk in zip(rows, chunks, strict=True):
        assert row.lstrip(" ") == reference(chunk)
        assert cells(row) == 39  # right-aligned, inside the terminal's width


def test_visual_prompt_stands_on_its_own_row() -> None:
    bank = only(BANKS["facts"], BANKS["facts"].questions[0])
    out = run(bank, ["1"], bidi=VISUAL, width=60).out
    prompt = reference(texts.TERMINAL_PROMPT_CHOICE.rstrip())
    assert f"{prompt}\n> 1\n" in out


@pytest.mark.parametrize(
    ("environ", "isatty", "expected"),
    [
        ({}, False, LOGICAL),  # a file or a pipe gets the text itself
        ({"TERM": "xterm-256color"}, False, LOGICAL),
        ({"TERM": "xterm-256color"}, True, VISUAL),
        ({"TERM": "xterm-256color", "VTE_VERSION": "7600"}, True, LOGICAL),
        ({"TERM": "xterm-256color", "KONSOLE_VERSION": "230804"}, True, LOGICAL),
        ({"TERM": "mlterm"}, True, LOGICAL),
        ({"TERM": "xterm", "TERM_PROGRAM": "Apple_Terminal"}, True, LOGICAL),
        ({"TERM": "tmux-256color", "TMUX": "/tmp/tmux-1/default,1,0"}, True, VISUAL),
        ({"TERM": "screen", "VTE_VERSION": "7600", "TMUX": "/tmp/t,1,0"}, True, VISUAL),
        # tmux in GNOME Terminal, with TERM set to xterm in .tmux.conf: still tmux's cells.
        ({"TERM": "xterm-256color", "VTE_VERSION": "7600", "TMUX": "/tmp/t,1,0"}, True, VISUAL),
        ({"TERM": "screen.xterm-256color", "STY": "1.pts-0"}, True, VISUAL),
        ({"TERM": "linux"}, True, VISUAL),
        ({"QUIZBOT_BIDI": "visual"}, False, VISUAL),
        ({"QUIZBOT_BIDI": "Logical", "TMUX": "x"}, True, LOGICAL),
    ],
)
def test_the_default_follows_the_environment(
    environ: dict[str, str], isatty: bool, expected: str
) -> None:
    assert choose_bidi(environ, isatty) == expected


def test_a_bad_quizbot_bidi_is_refused() -> None:
    with pytest.raises(BidiModeError):
        choose_bidi({"QUIZBOT_BIDI": "rtl"}, True)


def play_cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "QUIZBOT_BIDI"} | env
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "play", "facts", "--seed", "1", *args],
        input="1\n",
        text=True,
        capture_output=True,
        cwd=ROOT,
        env=environ,
        timeout=60,
    )


def test_the_command_line_takes_the_flag_then_the_variable() -> None:
    header = reference(bidi.strip_html(render.header(Formatter(), 0, 18)))
    assert header not in play_cli().stdout  # a pipe: logical
    assert header in play_cli("--bidi", "visual").stdout
    assert header in play_cli(QUIZBOT_BIDI="visual").stdout
    assert header not in play_cli("--bidi", "logical", QUIZBOT_BIDI="visual").stdout
    bad = play_cli(QUIZBOT_BIDI="rtl")
    assert bad.returncode == 2 and bad.stderr.startswith("error: QUIZBOT_BIDI")
