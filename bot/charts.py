"""The /report chart: % correct per question and per paragraph of one session, as a PNG.

Arabic must be shaped (joined letter forms) and laid out right to left. Matplotlib 3.11 and
later do both through libraqm; older versions draw isolated letters left to right, so there
the labels are shaped with arabic-reshaper and reordered with python-bidi first. Doing both
on a new matplotlib would reverse the text twice, hence the version check.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import matplotlib

from bot import texts

WIDTH, HEIGHT, DPI = 1200, 900, 100
HARD, MEDIUM = 0.5, 0.75
COLORS = {"hard": "#d9534f", "medium": "#f0ad4e", "easy": "#5cb85c"}


@dataclass(frozen=True)
class Bar:
    """One bar: its Arabic label and the share of correct answers (0..1)."""

    label: str
    value: float


@cache
def native_layout() -> bool:
    """True when matplotlib shapes and orders Arabic itself (3.11+, through libraqm)."""
    major, minor = (int(part) for part in matplotlib.__version__.split(".")[:2])
    return (major, minor) >= (3, 11)


def shape(text: str, native: bool | None = None) -> str:
    """Text ready for matplotlib: as is where it lays out Arabic, else reshaped and reordered."""
    if native_layout() if native is None else native:
        return text
    import arabic_reshaper
    from bidi import get_display

    return get_display(arabic_reshaper.reshape(text))


def _color(value: float) -> str:
    if value < HARD:
        return COLORS["hard"]
    return COLORS["medium"] if value < MEDIUM else COLORS["easy"]


def _panel(axes, title: str, bars: Sequence[Bar]) -> None:  # noqa: ANN001 (matplotlib Axes)
    positions = list(range(len(bars)))
    drawn = axes.bar(
        positions, [100 * b.value for b in bars], color=[_color(b.value) for b in bars]
    )
    axes.bar_label(drawn, labels=[texts.percent(round(100 * b.value)) for b in bars], padding=2)
    axes.set_xticks(positions, [shape(b.label) for b in bars])
    axes.set_ylim(0, 110)
    axes.set_title(shape(title), fontsize=13)
    axes.set_ylabel(shape(texts.CHART_PERCENT_AXIS))
    # Right to left: the first question stands at the right, the scale on the right edge.
    axes.invert_xaxis()
    axes.yaxis.tick_right()
    axes.yaxis.set_label_position("right")
    axes.spines[["top", "left"]].set_visible(False)
    if not bars:
        axes.text(0.5, 0.5, shape(texts.REPORT_NO_DATA), transform=axes.transAxes, ha="center")


def report_png(title: str, questions: Sequence[Bar], paragraphs: Sequence[Bar]) -> bytes:
    """A WIDTH x HEIGHT PNG: questions on top, paragraphs below."""
    # Imported here: matplotlib's figure machinery is heavy and only /report needs it. The
    # Figure API (no pyplot) keeps no global state, so charts can be drawn in a thread.
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI, layout="constrained")
    top, bottom = figure.subplots(2, 1)
    _panel(top, texts.REPORT_QUESTIONS, questions)
    _panel(bottom, texts.REPORT_PARAGRAPHS, paragraphs)
    figure.suptitle(shape(title), fontsize=15, fontweight="bold")
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()
