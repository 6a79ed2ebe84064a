"""What `quizbot play` writes to the terminal, in logical or visual order.

Terminals differ on Arabic. Some lay out right-to-left text themselves (VTE-based ones such
as GNOME Terminal, Konsole, mlterm, Apple's Terminal): they want the text in logical order,
as it is stored. Others (xterm, tmux, screen, most others) draw characters left to right as
they arrive, so logical Arabic reads backwards: they need it shaped (joined letter forms,
which python-bidi does not do) and reordered into visual order, one screen row at a time.
"""

from __future__ import annotations

import shutil
import textwrap
import unicodedata
from collections.abc import Mapping
from typing import TextIO

LOGICAL = "logical"
VISUAL = "visual"
MODES = (LOGICAL, VISUAL)
# Direction marks steer the reordering; once it is done they are only stray characters.
LRM, RLM = "\u200e", "\u200f"

# Environment variables set by terminals that do the bidi layout themselves.
_BIDI_TERMINAL_VARS = ("VTE_VERSION", "KONSOLE_VERSION", "MLTERM")
_BIDI_TERM_PROGRAMS = ("Apple_Terminal",)


class BidiModeError(ValueError):
    """QUIZBOT_BIDI holds something other than a mode."""


def choose_bidi(environ: Mapping[str, str], isatty: bool) -> str:
    """The bidi mode for this output: QUIZBOT_BIDI if set, else a guess from the terminal.

    Output that is not a terminal (a file, a pipe, a test) stays logical, so it is the text
    itself. Inside tmux or screen the multiplexer draws the cells, whatever terminal is
    outside, so it is visual. A terminal known to do bidi gets logical; any other gets visual,
    because most terminals that say nothing about it do not reorder.
    """
    chosen = environ.get("QUIZBOT_BIDI", "").strip().lower()
    if chosen:
        if chosen not in MODES:
            raise BidiModeError(f"QUIZBOT_BIDI must be 'visual' or 'logical', not {chosen!r}")
        return chosen
    if not isatty:
        return LOGICAL
    term = environ.get("TERM", "")
    if environ.get("TMUX") or environ.get("STY") or term.startswith(("tmux", "screen")):
        return VISUAL
    if any(environ.get(name) for name in _BIDI_TERMINAL_VARS) or term.startswith("mlterm"):
        return LOGICAL
    if environ.get("TERM_PROGRAM") in _BIDI_TERM_PROGRAMS:
        return LOGICAL
    return VISUAL


def visual_line(text: str) -> str:
    """One screen row in visual order: Arabic shaped into joined forms, then reordered.

    python-bidi's default (Rust) get_display only reorders; its pure-Python one also mirrors
    brackets and «» in right-to-left runs, which a terminal drawing left to right needs, or
    «…» and "أ)" point the wrong way. Neither joins letters: arabic-reshaper does.
    """
    import arabic_reshaper
    from bidi.algorithm import get_display

    shown = get_display(arabic_reshaper.reshape(text), base_dir="R")
    return shown.replace(LRM, "").replace(RLM, "")


def cells(text: str) -> int:
    """Columns a row takes: wide characters (most emoji) two, combining marks none."""
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


class Screen:
    """Writes lines of plain text to `out`, as the chosen bidi mode wants them."""

    def __init__(self, out: TextIO, mode: str = LOGICAL, width: int | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"bidi mode must be one of {MODES}, not {mode!r}")
        self.out = out
        self.mode = mode
        self.width = width or shutil.get_terminal_size((80, 24)).columns

    def rows(self, text: str) -> list[str]:
        """The rows `text` becomes: as is when logical; wrapped, reordered, right-aligned when
        visual (the terminal would otherwise wrap a reordered line from its wrong end)."""
        if self.mode == LOGICAL:
            return text.split("\n")
        rows: list[str] = []
        for line in text.split("\n"):
            wrapped = textwrap.wrap(line, width=max(20, self.width - 1)) or [""]
            for row in wrapped:
                shown = visual_line(row)
                rows.append(" " * max(0, self.width - 1 - cells(shown)) + shown if shown else "")
        return rows

    def show(self, text: str) -> None:
        """A block of text followed by a blank line."""
        self.out.write("\n".join(self.rows(text)) + "\n\n")

    def line(self, text: str) -> None:
        self.out.write("\n".join(self.rows(text)) + "\n")

    def prompt(self, text: str) -> None:
        """The question before input: inline when logical; on its own row when visual, where
        the cursor would otherwise stand at the row's left end, after its last word."""
        if self.mode == LOGICAL:
            self.out.write(text)
        else:
            self.out.write("\n".join(self.rows(text.rstrip())) + "\n> ")
        self.out.flush()

    def echo(self, typed: str) -> None:
        """Scripted input, written back so a transcript reads like a session."""
        self.out.write((visual_line(typed) if self.mode == VISUAL else typed) + "\n")
