"""The /report chart: % correct per question and per paragraph of one session, as a PNG.

Every number on it (bar labels, axis ticks, legend thresholds) is in the configured digit
style with its own percent sign: ٪ with Arabic-Indic digits, % with Western ones.

Arabic must be shaped (joined letter forms) and laid out right to left. Matplotlib 3.11 and
later do both through libraqm; older versions draw isolated letters left to right, so there
the labels are shaped with arabic-reshaper and reordered, brackets mirrored, with python-bidi
first. Doing both on a new matplotlib would reverse the text twice, hence the version check.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, partial

from bot import texts
from bot.formatting import Formatter

WIDTH, HEIGHT, DPI = 1200, 900, 100
HARD, MEDIUM = 0.5, 0.75
COLORS = {"hard": "#d9534f", "medium": "#f0ad4e", "easy": "#5cb85c"}
TICKS = (0, 20, 40, 60, 80, 100)


@dataclass(frozen=True)
class Bar:
    """One bar: its Arabic label and the share of correct answers (0..1)."""

    label: str
    value: float


@cache
def native_layout() -> bool:
    """True when matplotlib shapes and orders Arabic itself (3.11+, through libraqm)."""
    # Imported here, as everywhere in this module: only /report draws, so the bot starts
    # without loading matplotlib.
    import matplotlib

    major, minor = (int(part) for part in matplotlib.__version__.split(".")[:2])
    return (major, minor) >= (3, 11)


def shape(text: str, native: bool | None = None) -> str:
    """Text ready for matplotlib: as is where it lays out Arabic, else reshaped and reordered."""
    if native_layout() if native is None else native:
        return text
    import arabic_reshaper

    # The pure-Python algorithm, not python-bidi's default get_display: that one only
    # reorders, and a bracket drawn left to right then faces away from its aside.
    from bidi.algorithm import get_display

    return get_display(arabic_reshaper.reshape(text), base_dir="R")


def _color(value: float) -> str:
    if value < HARD:
        return COLORS["hard"]
    return COLORS["medium"] if value < MEDIUM else COLORS["easy"]


def _percent_tick(fmt: Formatter, value: float, _position: int) -> str:
    """A y-axis tick in the configured digits and their percent sign, like every other number."""
    return fmt.percent(round(value))


def _panel(fmt: Formatter, axes, title: str, bars: Sequence[Bar]) -> None:  # noqa: ANN001 (matplotlib Axes)
    from matplotlib.ticker import FixedLocator, FuncFormatter

    positions = list(range(len(bars)))
    drawn = axes.bar(
        positions, [100 * b.value for b in bars], color=[_color(b.value) for b in bars]
    )
    axes.bar_label(drawn, labels=[fmt.percent(round(100 * b.value)) for b in bars], padding=2)
    axes.set_xticks(positions, [shape(b.label) for b in bars])
    axes.set_ylim(0, 110)
    axes.yaxis.set_major_locator(FixedLocator(TICKS))
    axes.yaxis.set_major_formatter(FuncFormatter(partial(_percent_tick, fmt)))
    axes.set_title(shape(title.format(sign=fmt.percent_sign())), fontsize=13)
    axes.set_ylabel(shape(texts.REPORT_AXIS.format(sign=fmt.percent_sign())))
    # Right to left: the first question stands at the right, the scale on the right edge.
    axes.invert_xaxis()
    axes.yaxis.tick_right()
    axes.yaxis.set_label_position("right")
    axes.spines[["top", "left"]].set_visible(False)
    if not bars:
        axes.text(0.5, 0.5, shape(texts.REPORT_NO_DATA), transform=axes.transAxes, ha="center")


def legend_labels(fmt: Formatter) -> dict[str, str]:
    """What each colour means, with the thresholds in the configured digits."""
    hard, medium = fmt.percent(round(100 * HARD)), fmt.percent(round(100 * MEDIUM))
    return {k: v.format(hard=hard, medium=medium) for k, v in texts.REPORT_LEGEND.items()}


def _legend(fmt: Formatter, figure) -> None:  # noqa: ANN001 (matplotlib Figure)
    from matplotlib.patches import Patch

    labels = legend_labels(fmt)
    # One row read right to left: hard at the right, so the list runs easy -> hard.
    handles = [Patch(color=COLORS[k], label=shape(labels[k])) for k in ("easy", "medium", "hard")]
    figure.legend(handles=handles, loc="outside lower center", ncols=3, frameon=False)


def report_figure(fmt: Formatter, title: str, questions: Sequence[Bar], paragraphs: Sequence[Bar]):  # noqa: ANN201
    """The chart as a matplotlib Figure: questions on top, paragraphs below, a colour legend."""
    # Imported here: matplotlib's figure machinery is heavy and only /report needs it. The
    # Figure API (no pyplot) keeps no global state, so charts can be drawn in a thread.
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI, layout="constrained")
    top, bottom = figure.subplots(2, 1)
    _panel(fmt, top, texts.REPORT_QUESTIONS, questions)
    _panel(fmt, bottom, texts.REPORT_PARAGRAPHS, paragraphs)
    figure.suptitle(shape(title), fontsize=15, fontweight="bold")
    _legend(fmt, figure)
    return figure


def report_png(
    fmt: Formatter, title: str, questions: Sequence[Bar], paragraphs: Sequence[Bar]
) -> bytes:
    """A WIDTH x HEIGHT PNG of report_figure."""
    figure = report_figure(fmt, title, questions, paragraphs)
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()
