"""Bank loading and validation: the shipped banks, and broken banks with their exact lines."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bot.config import DEFAULT_BANKS, DEFAULT_SEEDS
from quizzes.errors import BankError
from quizzes.grading import grade_short
from quizzes.loader import bank_files, load_banks
from quizzes.loader.validators import TYPE_KEYS, VALIDATORS
from quizzes.model import MatchRules, PeerBand, QuestionType

SHA = "ff1010d133bb21f9ac8ea0ba34a4b3796f5d1831da90050c3a1154a9a2edf4ad"
HEADER = f"""id: t
title: اختبار
description: بنك للاختبار
article: 000_b2ad9beff8a3f107
article_sha256: {SHA}
questions:
"""
GOOD_QUESTION = """  - id: q1
    type: single
    prompt: إلى أين نُقل مادورو؟
    options:
      a: موسكو
      b: نيويورك
    answer: b
    explanation: نُقل إلى نيويورك.
    cite:
      - paragraph: 2
        quote: ونُقل إلى نيويورك
"""


@pytest.mark.parametrize("path", bank_files(DEFAULT_BANKS), ids=lambda p: p.name)
def test_every_shipped_bank_validates(path: Path) -> None:
    (bank,) = load_banks([path], DEFAULT_SEEDS)
    assert bank.questions


@pytest.fixture(scope="module")
def banks():
    return load_banks(bank_files(DEFAULT_BANKS), DEFAULT_SEEDS)


def test_content_requirements(banks) -> None:
    choice_banks = [b for b in banks if any(q.is_choice for q in b.questions)]
    assert len(choice_banks) >= 3
    assert sum(len(b.questions) for b in banks) >= 40
    cited = Counter(p for b in banks for q in b.questions for p in q.paragraphs)
    assert set(cited) == set(range(1, 14)), "every paragraph is cited at least once"
    assert len({b.level for b in banks}) == len(banks), "banks have distinct depth levels"


def test_correct_answers_are_spread_over_positions(banks) -> None:
    for bank in banks:
        positions = Counter(
            [o.key for o in q.options].index(next(iter(q.answer)))
            for q in bank.questions
            if q.type is QuestionType.SINGLE
        )
        if sum(positions.values()) >= 8:
            assert max(positions.values()) - min(positions.values()) <= 2, (bank.id, positions)


def test_quotes_resolve_to_the_article_text(banks) -> None:
    for bank in banks:
        for q in bank.questions:
            for c in q.citations:
                assert c.passage.text and c.passage.paragraph == c.paragraph


def problems_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "bank.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BankError) as caught:
        load_banks([path], DEFAULT_SEEDS)
    return [f"{p.line}: {p.message}" for p in caught.value.problems]


@pytest.mark.parametrize(
    ("body", "line", "fragment"),
    [
        ("  - id: q1\n    type: single\n    prompt: [unclosed\n", 10, "YAML syntax error"),
        (GOOD_QUESTION.replace("type: single", "type: essay"), 8, "unknown type 'essay'"),
        (GOOD_QUESTION.replace("    answer: b\n", ""), 7, "missing 'answer'"),
        (GOOD_QUESTION.replace("answer: b", "answer: c"), 13, "answer 'c' is not among"),
        (
            GOOD_QUESTION.replace("quote: ونُقل إلى نيويورك", "quote: ونُقل إلى لندن"),
            17,
            "quote not found in paragraph 2",
        ),
        (GOOD_QUESTION.replace("paragraph: 2", "paragraph: 14"), 16, "paragraph 14 does not exist"),
        (GOOD_QUESTION + GOOD_QUESTION, 18, "duplicate question id 'q1'"),
        (GOOD_QUESTION.replace("a: موسكو", "a: " + "موسكو " * 25), 11, "buttons show at most"),
        (
            GOOD_QUESTION.replace("answer: b", "answer: b\n    anwser: b"),
            14,
            "unknown key 'anwser'",
        ),
        (GOOD_QUESTION.replace("b: نيويورك", "b: نيويورك\n      a: كراكاس"), 13, "appears twice"),
        # Values of the wrong shape, and YAML that is valid but hostile: never a traceback.
        (GOOD_QUESTION.replace("answer: b", "answer: {a: 1}"), 13, "answer {'a': 1} is not among"),
        (
            GOOD_QUESTION.replace("type: single", "type: multi").replace(
                "answer: b", "answer: [[a], b]"
            ),
            13,
            "answer ['a'] is not among",
        ),
        (GOOD_QUESTION.replace("answer: b", "answer: !!binary YWJj"), 13, "answer b'abc' is not"),
        ("  - &q [*q]\n", 7, "each question must be a mapping"),
        ("  - " + "[" * 3000 + "]" * 3000 + "\n", 1, "YAML nested too deeply"),
        (GOOD_QUESTION.replace("مادورو", "\x00"), 9, "character #x0000 is not allowed"),
    ],
    ids=[
        "bad-yaml",
        "unknown-type",
        "missing-answer",
        "answer-not-option",
        "quote-not-found",
        "no-such-paragraph",
        "duplicate-id",
        "long-option",
        "typo-key",
        "duplicate-key",
        "answer-mapping",
        "answer-nested-list",
        "answer-binary",
        "recursive-alias",
        "deep-nesting",
        "nul-character",
    ],
)
def test_broken_bank_reports_line_and_fix(
    tmp_path: Path, body: str, line: int, fragment: str
) -> None:
    found = problems_of(tmp_path, HEADER + body)
    assert any(p.startswith(f"{line}: ") and fragment in p for p in found), found


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    body = GOOD_QUESTION.replace("answer: b", "answer: z").replace("paragraph: 2", "paragraph: 3")
    body += GOOD_QUESTION.replace("id: q1", "id: Q 2")
    found = problems_of(tmp_path, HEADER + body)
    assert len(found) >= 3, found


def test_edited_article_is_detected(tmp_path: Path) -> None:
    found = problems_of(tmp_path, HEADER.replace(SHA, "0" * 64) + GOOD_QUESTION)
    assert any(p.startswith("5: ") and "re-check every quote" in p for p in found), found


def test_quote_matching_ignores_marks_but_shows_article_text(tmp_path: Path) -> None:
    # Diacritics, tatweel, different quote marks and extra spaces in the YAML copy.
    body = GOOD_QUESTION.replace("quote: ونُقل إلى نيويورك", 'quote: "وـنقل   إلى نيويورك"')
    path = tmp_path / "bank.yaml"
    path.write_text(HEADER + body, encoding="utf-8")
    (bank,) = load_banks([path], DEFAULT_SEEDS)
    assert bank.questions[0].citations[0].passage.text == "ونُقل إلى نيويورك"


def test_two_banks_with_one_id(tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(HEADER + GOOD_QUESTION, encoding="utf-8")
    b.write_text(HEADER + GOOD_QUESTION, encoding="utf-8")
    with pytest.raises(BankError) as caught:
        load_banks([a, b], DEFAULT_SEEDS)
    assert "also used by" in str(caught.value)


def test_an_unknown_key_in_a_citation_is_an_error(tmp_path: Path) -> None:
    body = GOOD_QUESTION.replace(
        "quote: ونُقل إلى نيويورك", "quote: ونُقل إلى نيويورك\n        page: 3"
    )
    found = problems_of(tmp_path, HEADER + body)
    assert any(p.startswith("18: ") and "unknown key 'page' in a citation" in p for p in found)


def _loads(tmp_path: Path, text: str) -> bool:
    path = tmp_path / "bank.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_banks([path], DEFAULT_SEEDS)
    except BankError:
        return False
    return True


# (where the number goes, the value, valid?): each bound, and one step past it.
NUMBER_BOUNDARIES = [
    *[("level", v, ok) for v, ok in [(0, False), (1, True), (99, True), (100, False)]],
    *[("level", v, False) for v in ('"2"', "true", "2.5", "-1")],
    *[("time_limit", v, ok) for v, ok in [(4, False), (5, True), (600, True), (601, False)]],
    *[("discussion_seconds", v, ok) for v, ok in [(9, False), (10, True), (900, True)]],
    ("discussion_seconds", 901, False),
    *[("min_length", v, ok) for v, ok in [(-1, False), (0, True), (1000, True), (1001, False)]],
]


@pytest.mark.parametrize(("field", "value", "valid"), NUMBER_BOUNDARIES)
def test_number_bounds(tmp_path: Path, field: str, value: object, valid: bool) -> None:
    header, body = HEADER, GOOD_QUESTION
    if field == "level":
        header = HEADER.replace("questions:", f"level: {value}\nquestions:")
    elif field == "time_limit":
        body = GOOD_QUESTION.replace("    answer: b", f"    answer: b\n    time_limit: {value}")
    elif field == "discussion_seconds":
        body = GOOD_QUESTION.replace("type: single", "type: peer").replace(
            "    answer: b", f"    answer: b\n    discussion_seconds: {value}"
        )
    else:
        body = (
            "  - id: d1\n    type: discussion\n    prompt: ناقش.\n    explanation: نقاش.\n"
            f"    min_length: {value}\n"
            "    points: [{text: نقطة, cite: [{paragraph: 2, quote: ونُقل إلى نيويورك}]}]\n"
            "    cite: [{paragraph: 2, quote: ونُقل إلى نيويورك}]\n"
        )
    assert _loads(tmp_path, header + body) is valid


# --- the match: block, at bank and question level ---

SHORT = """  - id: {qid}
    type: short
    prompt: أين قد تحصل واشنطن على نفوذ أكبر؟
    accepted: {accepted}
    match: {match}
    explanation: في غرينلاند.
    cite:
      - paragraph: 7
        quote: مع حصول واشنطن على نفوذ أكبر في غرينلاند
"""


def short(accepted: str = "[غرينلاند]", match: str = "{}", qid: str = "s1") -> str:
    return SHORT.format(qid=qid, accepted=accepted, match=match)


def with_bank_match(block: str) -> str:
    return HEADER.replace("questions:", f"match: {block}\nquestions:")


def test_the_bank_match_block_is_merged_with_each_question(tmp_path: Path) -> None:
    header = with_bank_match(
        "{typos: true, titles: [الرئيس], variants: [[غرينلاند, جرينلاند]], synonyms: [[قوة, قوات]]}"
    )
    body = short() + short(
        accepted="[غرينلاند, قوة دلتا]",
        match="{typos: false, titles: [], variants: [[دلتا, ديلتا]]}",
        qid="s2",
    )
    path = tmp_path / "bank.yaml"
    path.write_text(header + body, encoding="utf-8")
    (bank,) = load_banks([path], DEFAULT_SEEDS)
    first, second = bank.question("s1"), bank.question("s2")
    # the bank's settings reach a question that has none
    assert first.match.typos and first.match.titles == ("الرئيس",)
    assert grade_short(first, "جرينلاند").correct
    assert grade_short(first, "غرينلاندا").fuzzy
    # a question's flags and word lists replace the bank's; its groups add to the bank's
    assert not second.match.typos and second.match.titles == ()
    assert second.match.variants == (("غرينلاند", "جرينلاند"), ("دلتا", "ديلتا"))
    assert grade_short(second, "جرينلاند").correct
    assert grade_short(second, "قوات ديلتا").correct
    assert not grade_short(second, "غرينلاندا").correct
    # the domain's defaults hold where neither says otherwise
    assert first.match.leading_particles == MatchRules().leading_particles
    assert grade_short(first, "في غرينلاند").correct


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        (HEADER + short(match="[typos]"), 11, "'match' must be a mapping"),
        (HEADER + short(match="{typo: true}"), 11, "unknown key 'typo' in 'match'"),
        (HEADER + short(match="{typos: yes please}"), 11, "'typos' must be true or false"),
        (HEADER + short(match="{titles: [الرئيس الفنزويلي]}"), 11, "must be exactly one word"),
        (HEADER + short(match="{leading_particles: في}"), 11, "must be a list of words"),
        (HEADER + short(match="{synonyms: [[قوة]]}"), 11, "two or more different words"),
        (HEADER + short(match="{synonyms: [[قوة, قوّة]]}"), 11, "two or more different words"),
        (HEADER + short(match="{synonyms: [قوة, قوات]}"), 11, "must be a list of words"),
        (
            HEADER + short(match="{synonyms: [[قوة, قوات]], variants: [[قوة, طاقة]]}"),
            11,
            "is in two groups",
        ),
        (
            with_bank_match("{variants: [[غرينلاند, جرينلاند]]}")
            + short(match="{variants: [[جرينلاند, كرينلاند]]}"),
            12,
            "«جرينلاند» is already in a group of the bank's 'match'",
        ),
        (
            with_bank_match("{variants: [[غرينلاند, جرينلاند], [جرينلاند, كرينلاند]]}") + short(),
            6,
            "«جرينلاند» is in two groups",
        ),
        (with_bank_match("{years: 1}") + short(), 6, "'years' must be true or false"),
        (with_bank_match("{typo: true}") + short(), 6, "unknown key 'typo' in 'match'"),
        # two accepted answers the grader cannot tell apart
        (
            HEADER + short(accepted="[مركز تقييم آسيا الوسطى, مركز تقييم اسيا الوسطى]"),
            10,
            "«مركز تقييم اسيا الوسطى» is already accepted as «مركز تقييم آسيا الوسطى»",
        ),
        (HEADER + short(accepted="[في 2014, 2014]"), 10, "«في 2014» is already accepted as «2014»"),
        (HEADER + short(accepted="['2011', ٢٠١١]"), 10, "«٢٠١١» is already accepted as «2011»"),
        (
            with_bank_match("{variants: [[غرينلاند, جرينلاند]]}")
            + short(accepted="[غرينلاند, جرينلاند]"),
            11,
            "«جرينلاند» is already accepted as «غرينلاند»",
        ),
        (HEADER + short(accepted="[غرينلاند, true]"), 10, "must be a non-empty list of answers"),
        (HEADER + short(accepted="[غرينلاند, '؟!']"), 10, "would accept an empty reply"),
    ],
)
def test_match_block_problems(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    found = problems_of(tmp_path, text)
    assert any(p.startswith(f"{line}: ") and fragment in p for p in found), found


EVIDENCE = """  - id: e1
    type: evidence
    prompt: انسخ الجملة.
    explanation: شرح.
    cite:
      - paragraph: 2
        quote: {quote}
"""


@pytest.mark.parametrize(
    ("quote", "fragment"),
    [
        ("وفكتور يانوكوفيتش الذي لاذ بموسكو في 2014 بعد الإطاحة به. ثم ثمة صورة", "one sentence"),
        ("قل إلى نيويورك", "whole words"),
        ("ونُقل إلى نيويور", "whole words"),
    ],
)
def test_an_evidence_quote_is_a_sentence_or_a_clause(
    tmp_path: Path, quote: str, fragment: str
) -> None:
    found = problems_of(tmp_path, HEADER + EVIDENCE.format(quote=quote))
    assert any(p.startswith("13: ") and fragment in p for p in found), found


def test_an_evidence_clause_loads_with_its_sentence(tmp_path: Path) -> None:
    path = tmp_path / "bank.yaml"
    path.write_text(HEADER + EVIDENCE.format(quote="ونُقل إلى نيويورك"), encoding="utf-8")
    (bank,) = load_banks([path], DEFAULT_SEEDS)
    (citation,) = bank.question("e1").citations
    assert citation.sentence is not None
    assert citation.sentence.text.startswith("ثم ثمة صورة لبوتين")
    assert citation.sentence.text.endswith("تتعلق بتجارة المخدرات.")


# --- the peer: band of live peer rounds ---


def with_peer(block: str) -> str:
    return HEADER.replace("questions:", f"peer: {block}\nquestions:") + GOOD_QUESTION


@pytest.mark.parametrize(
    ("block", "band"),
    [
        (None, PeerBand(35, 70)),
        ("{low: 40, high: 80}", PeerBand(40, 80)),
        ("{low: 12.5}", PeerBand(12.5, 70)),
        ("{high: 100}", PeerBand(35, 100)),
        ("{low: 0, high: 100}", PeerBand(0, 100)),
    ],
)
def test_the_peer_band_of_a_bank(tmp_path: Path, block: str | None, band: PeerBand) -> None:
    path = tmp_path / "bank.yaml"
    path.write_text(HEADER + GOOD_QUESTION if block is None else with_peer(block), "utf-8")
    (bank,) = load_banks([path], DEFAULT_SEEDS)
    assert bank.peer == band


@pytest.mark.parametrize(
    ("block", "fragment"),
    [
        ("{low: 70, high: 35}", "'peer.low' (70) must be below 'peer.high' (35)"),
        ("{low: 50, high: 50}", "'peer.low' (50) must be below 'peer.high' (50)"),
        ("{low: 80}", "'peer.low' (80) must be below 'peer.high' (70)"),
        ("{low: -5}", "'peer.low' must be a number from 0 to 100"),
        ("{high: 101}", "'peer.high' must be a number from 0 to 100"),
        ("{high: seventy}", "'peer.high' must be a number from 0 to 100"),
        ("{low: true}", "'peer.low' must be a number from 0 to 100"),
        ("{lo: 30}", "unknown key 'lo' in 'peer'"),
        ("35", "'peer' must be a mapping"),
    ],
)
def test_peer_band_problems(tmp_path: Path, block: str, fragment: str) -> None:
    found = problems_of(tmp_path, with_peer(block))
    assert any(p.startswith("6: ") and fragment in p for p in found), found


def test_every_question_type_has_a_validator_and_its_keys() -> None:
    # A type left out of either table would fail every bank that uses it with a KeyError.
    assert set(VALIDATORS) == set(QuestionType) == set(TYPE_KEYS)
