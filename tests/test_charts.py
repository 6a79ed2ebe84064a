"""The /report chart: a valid PNG of the expected size, with Arabic labels shaped right to left."""

from __future__ import annotations

import struct
import zlib

from bot import charts

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
        "واجب منزلي: الوقائع الأساسية — ٢٠٢٦-١١-٢٠ ١٣:٠٠",
        [charts.Bar(f"س{n}", v) for n, v in enumerate([0.9, 0.4, 0.6, 1.0, 0.0], start=1)],
        [charts.Bar("ف١", 0.8), charts.Bar("ف٧", 0.45)],
    )
    assert png_size(png) == (charts.WIDTH, charts.HEIGHT) == (1200, 900)
    assert len(png) > 20_000  # bars and text were drawn, not an empty canvas


def test_report_without_answers_still_draws() -> None:
    assert png_size(charts.report_png("جلسة", [], [])) == (1200, 900)


def test_labels_are_shaped_only_where_matplotlib_cannot() -> None:
    text = "نسبة الإجابات"
    # Native layout (matplotlib 3.11+, libraqm): the logical text, untouched.
    assert charts.shape(text, native=True) == text
    # Older matplotlib: joined presentation forms (U+FE70..U+FEFF), in visual (reversed) order.
    shaped = charts.shape(text, native=False)
    assert shaped != text
    assert all("\ufe70" <= ch <= "\ufeff" or ch == " " for ch in shaped)
    assert shaped.split(" ")[-1] == charts.shape("نسبة", native=False)
