"""The /report chart: a valid PNG of the expected size, with Arabic labels shaped right to left."""

from __future__ import annotations

import struct
import zlib

import pytest

from bot import texts
from bot.formatting import Formatter
from bot.reports import charts

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk, after checking the signature and its CRC."""
    assert data[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    body = data[16 : 16 + length]
    (crc,) = struct.unpack(">I", data[16 + length : 20 + length])
    assert zlib.crc32(kind + body) == crc
    assert data.endswith(b"IEND\xaeB`\x82")
    return struct.unpack(">II", body[:8])


def test_report_is_a_png_of_the_expected_size() -> None:
    png = charts.report_png(
        Formatter(),
        "واجب منزلي: الوقائع الأساسية — ٢٠٢٦-١١-٢٠ ١٣:٠٠",
        [charts.Bar(f"س{n}", v) for n, v in enumerate([0.9, 0.4, 0.6, 1.0, 0.0], start=1)],
        [charts.Bar("ف١", 0.8), charts.Bar("ف٧", 0.45)],
    )
    assert png_size(png) == (charts.WIDTH, charts.HEIGHT) == (1200, 900)
    assert len(png) > 20_000  # bars and text were drawn, not an empty canvas


def test_report_without_answers_still_draws() -> None:
    assert png_size(charts.report_png(Formatter(), "جلسة", [], [])) == (1200, 900)


def test_labels_are_shaped_only_where_matplotlib_cannot() -> None:
    text = "نسبة الإجابات"
    # Native layout (matplotlib 3.11+, libraqm): the logical text, untouched.
    assert charts.shape(text, native=True) == text
    # Older matplotlib: joined presentation forms (U+FE70..U+FEFF), in visual (reversed) order.
    shaped = charts.shape(text, native=False)
    assert shaped != text
    assert all("\ufe70" <= ch <= "\ufeff" or ch == " " for ch in shaped)
    assert shaped.split(" ")[-1] == charts.shape("نسبة", native=False)


def test_brackets_are_mirrored_where_matplotlib_cannot_lay_out() -> None:
    # Drawn left to right, the aside's opening bracket (at its right) must face it: in the
    # visual string the first bracket is "(" and the last is ")".
    shaped = charts.shape("سهل (٧٥٪ فأكثر)", native=False)
    brackets = [ch for ch in shaped if ch in "()"]
    assert brackets == ["(", ")"] and shaped.startswith("(")


@pytest.fixture(params=["arabic", "western"])
def digits(request: pytest.FixtureRequest) -> str:
    return request.param


def _drawn(figure):
    """Tick labels only exist once the figure is drawn."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure).draw()
    return figure


def test_one_digit_style_and_one_percent_sign_throughout(digits: str) -> None:
    fmt = Formatter(digits)
    figure = _drawn(
        charts.report_figure(
            fmt,
            "جلسة",
            [charts.Bar(texts.REPORT_QUESTION_LABEL.format(number=fmt.num(1)), 0.9)],
            [charts.Bar(texts.REPORT_PARAGRAPH_LABEL.format(number=fmt.num(7)), 0.45)],
        )
    )
    sign, other = ("٪", "%") if digits == "arabic" else ("%", "٪")
    western, arabic = "0123456789", "٠١٢٣٤٥٦٧٨٩"
    foreign = arabic if digits == "western" else western
    top, bottom = figure.axes
    ticks = [t.get_text() for t in top.get_yticklabels()]
    expected = ["0", "20", "40", "60", "80", "100"]
    if digits == "arabic":
        expected = ["٠", "٢٠", "٤٠", "٦٠", "٨٠", "١٠٠"]
    assert ticks == [f"{n}{sign}" for n in expected]
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert legend == [
        charts.shape(charts.legend_labels(fmt)[k]) for k in ("easy", "medium", "hard")
    ]
    # In the logical label: the drawn one is in visual order below matplotlib 3.11.
    assert f"{'٧٥' if digits == 'arabic' else '75'}{sign}" in charts.legend_labels(fmt)["easy"]
    shown = [t.get_text() for t in figure.findobj(match=lambda a: hasattr(a, "get_text"))]
    shown = [s for s in shown if s]
    assert any(s == fmt.percent(90) for s in shown)  # the bar label
    for text in shown:
        assert other not in text, text
        assert not any(d in text for d in foreign), text
    assert top.get_ylabel() == charts.shape(texts.REPORT_AXIS.format(sign=sign))
    assert sign in top.get_title() and sign in bottom.get_title()


def test_legend_colours_match_the_bars() -> None:
    figure = _drawn(charts.report_figure(Formatter(), "جلسة", [charts.Bar("س١", 0.2)], []))
    patches = figure.legends[0].get_patches()
    from matplotlib.colors import to_hex

    assert [to_hex(p.get_facecolor()) for p in patches] == [
        charts.COLORS[k] for k in ("easy", "medium", "hard")
    ]
    (bar,) = figure.axes[0].patches
    assert to_hex(bar.get_facecolor()) == charts.COLORS["hard"]
