"""Arabic text handling and the bot's Arabic numerals, plurals and bidi isolation."""

from __future__ import annotations

import pytest

from bot import bidi, texts
from bot.formatting import Formatter
from quizzes.arabic import fold_for_quote, light_stem, normalize, split_sentences, strip_diacritics

ARABIC = Formatter()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("مُعَمَّر", "معمر"),
        ("الـــقذافي", "القذافي"),
        ("تصريحاً", "تصريحا"),
    ],
)
def test_strip_diacritics_and_tatweel(raw: str, expected: str) -> None:
    assert strip_diacritics(raw) == expected


def test_fold_for_quote_maps_back_to_source() -> None:
    source = "قال: «لا   نتخلّى عن أهلنا»"
    folded, origin = fold_for_quote(source)
    assert folded == 'قال: "لا نتخلى عن أهلنا"'
    at = folded.index("لا نتخلى")
    assert source[origin[at] : origin[at + len("لا نتخلى") - 1] + 1] == "لا   نتخلّى"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("أحمد", "احمد"),
        ("إسلام", "اسلام"),
        ("آسيا", "اسيا"),
        ("مستشفى", "مستشفي"),
        ("مدرسة", "مدرسه"),
        ("٢٠١١", "2011"),
        ("۲۰۱۴", "2014"),
        ("  نيويورك!!  ", "نيويورك"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("word", "stem"),
    [("والمحللين", "محلل"), ("بموسكو", "موسكو"), ("الصواريخ", "صواريخ")],
)
def test_light_stem(word: str, stem: str) -> None:
    assert light_stem(normalize(word)) == normalize(stem)


def test_split_sentences_keeps_offsets() -> None:
    text = "الجملة الأولى. الجملة الثانية؛ والثالثة"
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == ["الجملة الأولى.", "الجملة الثانية؛", "والثالثة"]


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "لا أسئلة"),
        (1, "سؤال واحد"),
        (2, "سؤالان"),
        (3, "٣ أسئلة"),
        (10, "١٠ أسئلة"),
        (11, "١١ سؤالًا"),
        (99, "٩٩ سؤالًا"),
        (100, "١٠٠ سؤال"),
        (102, "١٠٢ سؤال"),
        (103, "١٠٣ أسئلة"),
    ],
)
def test_question_plurals_follow_cldr(n: int, expected: str) -> None:
    assert ARABIC.count("question", n) == expected


def test_every_noun_has_every_cldr_form() -> None:
    for noun, forms in texts.NOUNS.items():
        assert set(forms) == {"zero", "one", "two", "few", "many", "other"}, noun


def test_digit_style_is_configurable() -> None:
    assert ARABIC.num(2024) == "٢٠٢٤"
    assert ARABIC.percent(75) == "٧٥٪"
    western = Formatter("western")
    assert western.num(2024) == "2024"
    assert western.count("student", 11) == "11 طالبًا"
    assert western.percent(75) == "75%"
    assert ARABIC.num(2024) == "٢٠٢٤"  # building another formatter changes no other
    with pytest.raises(ValueError):
        Formatter("roman")


def test_names_are_escaped_and_isolated() -> None:
    shown = bidi.name("<b>x</b> & Co")
    assert shown == "\u2068&lt;b&gt;x&lt;/b&gt; &amp; Co\u2069"
    assert bidi.strip_html(shown) == "<b>x</b> & Co"


def test_latin_runs_are_isolated_without_breaking_entities() -> None:
    shown = bidi.esc("منظومة Buk-2MA & رادار")
    assert "\u2068Buk-2MA\u2069" in shown
    assert "&amp;" in shown
