"""Cleaning and splitting an imported article (quizzes/article_import.py), table-driven."""

from __future__ import annotations

import pytest

from quizzes.article_import import BLOCKS, LINES, clean_lines, detect_layout, import_text

ONE = "افتتحت الحكومة محطة جديدة لتحلية المياه."
TWO = "وقال الوزير إن المحطة ستغطي حاجة المدينة."
THREE = "ويرى خبراء أن التحلية حل مكلف."
FOUR = "وتعاني المنطقة من شح الأمطار منذ سنوات."
WRAPPED_ONE = "افتتحت الحكومة محطة جديدة\nلتحلية المياه في المدينة\nالساحلية يوم الاثنين."
WRAPPED_TWO = "وقال الوزير إن المحطة\nستغطي حاجة نصف مليون\nنسمة من السكان."


@pytest.mark.parametrize(
    ("text", "layout"),
    [
        (f"{ONE}\n{TWO}\n{THREE}\n{FOUR}", LINES),
        (f"{ONE}\n\n{TWO}\n\n{THREE}\n\n{FOUR}\n", LINES),
        (f"{ONE}\n{TWO}\n\n{THREE}\n{FOUR}", LINES),  # a stray blank line
        (f"عنوان المقال\n{ONE}\n\n{TWO}\n\n{THREE}\n\n{FOUR}", LINES),  # a title on top
        (f"{WRAPPED_ONE}\n\n{WRAPPED_TWO}\n", BLOCKS),
        (f"عنوان المقال\n\n{WRAPPED_ONE}\n\n\n{WRAPPED_TWO}", BLOCKS),
        (WRAPPED_ONE, LINES),  # no blank line: nothing says where paragraphs end
    ],
)
def test_layout_is_detected(text: str, layout: str) -> None:
    assert detect_layout(clean_lines(text)) == layout


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("a\r\nb\rc\u2028d\u2029e\x0cf\x85g", ["a", "b", "c", "d", "e", "f", "g"]),
        ("  كلمة\u00a0\u00a0 أخرى\t ", ["كلمة أخرى"]),
        ("\ufeffمحطة\u200b جديدة\u200f\u202b\u202c\u2066\u2069", ["محطة جديدة"]),
        ("می\u200cخواهم", ["می\u200cخواهم"]),  # ZWNJ shapes Persian words: kept
        ("\u0627\u0653\u0644\u0627\u0641", ["\u0622\u0644\u0627\u0641"]),  # NFC: «آ»
    ],
)
def test_lines_are_cleaned(raw: str, clean: list[str]) -> None:
    assert clean_lines(raw) == clean


def test_blocks_join_their_lines_and_a_title_line_is_not_a_paragraph() -> None:
    imported = import_text(f"عنوان المقال\n\n{WRAPPED_ONE}\n\n{WRAPPED_TWO}")
    assert imported.layout == BLOCKS and imported.title_from_first_line == "عنوان المقال"
    assert imported.paragraphs == (WRAPPED_ONE.replace("\n", " "), WRAPPED_TWO.replace("\n", " "))
    given = import_text(f"عنوان المقال\n{ONE}", title="عنوان آخر")
    assert given.paragraphs == ("عنوان المقال", ONE) and given.title_from_first_line is None
