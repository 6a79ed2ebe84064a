"""Grading typed answers: a table of answer variants against accepted answers, and evidence."""

from __future__ import annotations

from typing import Any

import pytest

from bot.config import DEFAULT_BANKS, DEFAULT_SEEDS
from quizzes.arabic import normalize
from quizzes.article import Passage
from quizzes.grading import (
    EVIDENCE_PARTIAL,
    grade_evidence,
    grade_evidence_paste,
    grade_short,
    locate_sentence,
)
from quizzes.loader import article_source, load_banks
from quizzes.model import Citation, MatchRules, Question, QuestionType

(DISCUSS,) = load_banks([DEFAULT_BANKS / "04_discussion.yaml"], DEFAULT_SEEDS)
ARTICLE = article_source(DEFAULT_SEEDS)(DISCUSS.article_id)


def _short(accepted: list[str], **rules: Any) -> Question:
    return Question(
        id="x",
        type=QuestionType.SHORT,
        prompt="؟",
        explanation="",
        citations=(),
        accepted=tuple(accepted),
        match=MatchRules(**rules),
    )


QUESTIONS = {q.id: q for q in DISCUSS.questions}
QUESTIONS |= {
    # Lenient: the leading article and the conjunction are optional.
    "lenient": _short(["التضخم المفرط"], optional_article=True, optional_waw=True),
    # Strict: every rule that adds forms is off, the defaults included.
    "strict": _short(["التضخم المفرط"], leading_particles=(), titles=(), years=False),
    "default": _short(["التضخم المفرط"]),
    "hamza": _short(["مسؤول الأمن"]),
    "yaa_hamza": _short(["شيء"]),
    "typo_strict": _short(["الإمبريالية"]),
    "typo_lenient": _short(["الإمبريالية"], typos=True),
    "city": _short(["موسكو", "لندن"]),
    "bare": _short(["2011", "شافيز"], leading_particles=(), titles=(), years=False),
    "border": _short(["الحدود"]),
    "security": _short(["الأمن"], optional_article=True),
    "count": _short(["100000"]),
}

# (question, typed answer, accepted?, accepted only thanks to the typo tolerance?)
CASES = [
    # digits: ASCII, Arabic-Indic, Persian; digits glued to words; no typo tolerance in numbers
    ("s01", "2011", True, False),
    ("s01", "٢٠١١", True, False),
    ("s01", "۲۰۱۱", True, False),
    ("s01", "عام ٢٠١١", True, False),
    ("s01", "عام2011", True, False),
    ("s01", "  2011.  ", True, False),
    ("s01", "2012", False, False),
    ("s01", "201", False, False),
    ("s01", "١١", False, False),
    ("s02", "في ٢٠١٤", True, False),
    ("s02", "2024", False, False),
    # hamza forms on alef, alef maqsura, hamza seats
    ("s05", "انكريج", True, False),
    ("s05", "إنكريج", True, False),
    ("s05", "قمة انكريج", True, False),
    ("s10", "مركز تقييم اسيا الوسطي", True, False),
    ("s10", "مركز تقييم إسيا الوسطى", True, False),
    ("hamza", "مسئول الامن", True, False),
    ("hamza", "مسؤول الأمن", True, False),
    ("hamza", "مسول الامن", False, False),
    ("yaa_hamza", "شئ", True, False),
    ("yaa_hamza", "شيئ", True, False),
    # diacritics and tatweel
    ("s03", "دَلْتَا", True, False),
    ("s03", "قُوَّةُ دِلْتَا", True, False),
    ("s03", "قـــوة دلـتا", True, False),
    ("s10", "مَرْكَزُ تَقْيِيمِ آسْيَا الْوُسْطَى", True, False),
    ("strict", "التَّضَخُّمُ المُفْرِطُ", True, False),
    # taa marbuta written as haa
    ("s03", "قوه دلتا", True, False),
    ("s05", "قمه أنكريج", True, False),
    ("s03", "قوه دلتا الامريكيه", True, False),
    ("s03", "قوة الدلتا", False, False),
    # punctuation, quotes, spacing, invisible characters
    ("s07", "«فلداي»", True, False),
    ("s07", "فلداي!", True, False),
    ("s07", "فل\u200cداي", True, False),
    ("s07", "في   فلداي", True, False),
    ("s07", "فلداى", True, False),
    ("s07", "موسكو", False, False),
    ("s07", "؟؟", False, False),
    ("s07", "", False, False),
    # Latin answers the bank accepts
    ("s04", "Buk-2MA", True, False),
    ("s04", "buk 2ma", True, False),
    ("s04", "BUK2MA", True, False),
    ("s04", "buk-2 ma", True, False),
    ("s04", "بوك", True, False),
    ("s04", "بوك 2 إم إيه", True, False),
    ("s04", "S-300", False, False),
    ("s04", "Buk-3MA", False, False),
    ("s08", "Hugo Chávez", True, False),
    ("s06", "greenland", True, False),
    # the article and the conjunction, only where the bank allows
    ("lenient", "التضخم المفرط", True, False),
    ("lenient", "تضخم مفرط", True, False),
    ("lenient", "والتضخم المفرط", True, False),
    ("lenient", "وتضخم مفرط", True, False),
    ("lenient", "التضخم", False, False),
    ("lenient", "الانهيار الاقتصادي", False, False),
    ("strict", "تضخم مفرط", False, False),
    ("strict", "والتضخم المفرط", False, False),
    # small typos in long words, where the bank allows
    ("s08", "هوغو شافيس", True, True),
    ("s08", "شافير", True, True),
    ("s08", "شفيز", True, True),
    ("s08", "شافزي", True, True),
    ("s08", "مادورو", False, False),
    ("s09", "سترلنكوف", True, True),
    ("s09", "ستيرلنكوف", True, True),
    ("s09", "كيريل", False, False),
    ("s06", "غرينلاندا", True, True),
    ("s06", "Grenland", True, True),
    ("s06", "ايسلندا", False, False),
    ("typo_lenient", "الامبريالبة", True, True),
    ("typo_lenient", "الامبرياليه", True, False),
    ("typo_lenient", "الاشتراكية", False, False),
    ("typo_strict", "الامبريالبة", False, False),
    ("s05", "انكرج", True, True),
    ("s03", "دلتى", False, False),  # final alef is not alef maqsura
    ("s03", "دلت", False, False),
    ("default", "والتضخم المفرط", True, False),  # a conjunction written onto the answer
    ("default", "تضخم مفرط", False, False),  # the article is not optional by default
]

# What students naturally write around a correct answer, each beside a wrong answer written
# the same way: the rules remove the wrapping, never a different year, place or person.
NATURAL = [
    # a leading particle, standalone or written onto the answer
    ("s01", "في 2011", True, False),
    ("s01", "في 2012", False, False),
    ("s07", "ب فلداي", True, False),
    ("s07", "بفلداي", True, False),
    ("s07", "بموسكو", False, False),
    ("s07", "في إقامته بفلداي", True, False),
    ("s07", "في إقامته بموسكو", False, False),
    ("s05", "في قمة أنكريج", True, False),
    ("s05", "في قمة هلسنكي", False, False),
    ("s06", "في غرينلاند", True, False),
    ("s06", "في موسكو", False, False),
    ("s06", "لغرينلاند", True, False),
    ("s06", "لايسلندا", False, False),
    ("s06", "في غرينلاندا", True, True),  # a typo after a standalone particle
    ("s06", "بغرينلاندا", False, False),  # an attached letter only before an exact answer
    ("city", "لموسكو", True, False),
    ("city", "للندن", True, False),
    ("city", "ندن", False, False),
    ("city", "ولموسكو", False, False),  # one attached letter, not two
    ("s04", "بوك", True, False),  # not ب + «وك»
    ("border", "على الحدود", False, False),  # «على» is the name «علي» once normalized
    # a year with «عام», «سنة» before it, «م», «هـ» after it
    ("s01", "في عام 2011", True, False),
    ("s01", "في عام 2014", False, False),
    ("s01", "وفي عام 2011", True, False),
    ("s01", "وفي عام 2024", False, False),
    ("s01", "و في 2011", True, False),  # two particles
    ("s01", "و في 2014", False, False),
    ("s01", "و في من 2011", False, False),  # not three
    ("s01", "سنة 2011", True, False),
    ("s01", "سنة 2014", False, False),
    ("s01", "العام ٢٠١١", True, False),
    ("s01", "2011م", True, False),
    ("s01", "2014م", False, False),
    ("s01", "عام 2011 م", True, False),
    ("s01", "عام 2011 هـ", True, False),
    ("s01", "منذ 2011", False, False),  # «since 2011» is another claim
    ("s01", "حتى 2011", False, False),
    ("security", "الأمن العام", False, False),  # «العام» is a year word only before a year
    ("security", "عام", False, False),
    ("count", "عام 100000", False, False),  # a year has at most four digits
    ("count", "100000", True, False),
    ("s02", "سنة ٢٠١٤", True, False),
    ("s02", "سنة 2011", False, False),
    # a title or role before a name
    ("s08", "الرئيس هوغو شافيز", True, False),
    ("s08", "الرئيس بوتين", False, False),
    ("s08", "الزعيم شافيز", True, False),
    ("s08", "الزعيم مادورو", False, False),
    ("s08", "مع الرئيس شافيز", True, False),
    ("s08", "الرئيس الفنزويلي هوغو شافيز", False, False),  # an extra content word
    ("s09", "المحلل كيريل سترلينكوف", True, False),
    ("s09", "المحلل أليشير إلكاموف", False, False),
    ("s09", "الكاتب ستريلنيكوف", True, False),
    ("s09", "الكاتب", False, False),
    # singular and plural of a unit noun, and the synonyms the question lists
    ("s03", "قوات دلتا", True, False),
    ("s03", "قوات سبيتسناز", False, False),
    ("s03", "وحدة دلتا", True, False),
    ("s03", "فرقة دلتا الأمريكية", True, False),
    ("s03", "قوات دلتا الروسية", False, False),
    ("s03", "القوات الأميركية", False, False),
    ("s03", "قوات", False, False),
    # spelling variants of foreign names, listed once for the bank
    ("s06", "جرينلند", True, False),
    ("s06", "في جرينلاند", True, False),
    ("s06", "جرينلاندا", True, True),  # a typo in a variant spelling
    ("s06", "ايرلندا", False, False),
    ("s03", "ديلتا", True, False),
    ("s05", "قمة أنكوريج", True, False),
    ("s05", "قمة ألاسكا", False, False),
    ("s07", "فالداي", True, False),
    ("s08", "هوجو تشافيز", True, False),
    ("s08", "هوجو مادورو", False, False),
    ("s10", "مركز تقييم آسيا الوسطى في لندن", True, False),
    ("s10", "مركز تقييم آسيا الوسطى في موسكو", False, False),
    # a question can turn the default rules off
    ("bare", "2011", True, False),
    ("bare", "في 2011", False, False),
    ("bare", "عام 2011", False, False),
    ("bare", "الرئيس شافيز", False, False),
]


def test_the_table_is_large_enough() -> None:
    assert len(CASES) >= 60
    wrong = sum(1 for _qid, _typed, correct, _fuzzy in NATURAL if not correct)
    assert wrong >= 30 and len(NATURAL) - wrong >= 30


@pytest.mark.parametrize(("qid", "typed", "correct", "fuzzy"), CASES + NATURAL)
def test_short_answer_variants(qid: str, typed: str, correct: bool, fuzzy: bool) -> None:
    verdict = grade_short(QUESTIONS[qid], typed)
    assert verdict.correct is correct
    assert verdict.score == (1.0 if correct else 0.0)
    assert verdict.fuzzy is fuzzy
    if correct:
        assert verdict.matched in QUESTIONS[qid].accepted


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("مسؤول", "مسءول"),
        ("مسئول", "مسءول"),
        ("Buk-2MA", "buk 2 ma"),
        ("Chávez", "chavez"),
        ("مدر\u200cسة", "مدرسه"),
        ("\u3164", ""),
        ("ﻻ", "لا"),
        ("کتاب یک", "كتاب يك"),
    ],
)
def test_normalization_details(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


E01 = QUESTIONS["e01"]
E01_SENTENCE = E01.citations[0].passage.text


def test_evidence_exact_paste_gets_full_credit() -> None:
    verdict = grade_evidence(E01, E01_SENTENCE)
    assert (verdict.correct, verdict.score) == (True, 1.0)


def test_evidence_paste_without_marks_and_with_typed_variants_is_accepted() -> None:
    typed = E01_SENTENCE.replace("(كاراكاس)", "").replace("،", "").replace("التزاماً", "التزاما")
    verdict = grade_evidence(E01, typed)
    assert verdict.correct is True


def test_evidence_fragment_gets_partial_credit() -> None:
    words = E01_SENTENCE.split()
    half = " ".join(words[len(words) // 2 :])
    verdict = grade_evidence(E01, half)
    assert (verdict.correct, verdict.score) == (False, 0.5)
    assert verdict.matched == E01_SENTENCE


def test_evidence_whole_paragraph_gets_partial_credit() -> None:
    verdict = grade_evidence(E01, ARTICLE.paragraph(3))
    assert (verdict.correct, verdict.score) == (False, 0.5)


def test_evidence_too_small_a_fragment_gets_nothing() -> None:
    words = E01_SENTENCE.split()
    verdict = grade_evidence(E01, " ".join(words[:3]))
    assert (verdict.correct, verdict.score) == (False, 0.0)
    assert len(words[:3]) / len(words) < EVIDENCE_PARTIAL


def test_another_real_sentence_is_located_in_its_paragraph() -> None:
    other = next(s for s in ARTICLE.sentences if s.paragraph == 4)
    assert grade_evidence(E01, other.text).score == 0.0
    found = locate_sentence(ARTICLE, other.text)
    assert found is not None and found.paragraph == 4 and found.text == other.text


def test_locate_sentence_ignores_what_is_not_in_the_article() -> None:
    assert locate_sentence(ARTICLE, "موسكو عاصمة روسيا وأكبر مدنها") is None
    assert locate_sentence(ARTICLE, "") is None
    assert locate_sentence(ARTICLE, E01_SENTENCE).paragraph == 3


# --- boundaries: each rule at the exact point where it changes its mind ---

# (accepted, typed, accepted?) with typos allowed. The budget is the accepted word's: none
# below 5 letters, one edit from 5 letters, two from 9; never any in a number.
TYPO_BOUNDARIES = [
    ("دلتا", "دلنا", False),  # 4 letters: no edit
    ("دلتا", "دلتاا", False),  # the typed word's length does not buy a budget
    ("شافيز", "شافيس", True),  # 5 letters: one edit
    ("شافيز", "شفايز", True),  # a swap of neighbours is one edit
    ("شافيز", "شاقيس", False),  # 5 letters: not two
    ("فلداي", "فلدا", True),  # a dropped letter is one edit of the accepted word
    ("غرينلاند", "غرينلاتد", True),  # 8 letters: one edit
    ("غرينلاند", "عرينلاتد", False),  # 8 letters: not two
    ("سترلينكوف", "ستولينكوق", True),  # 9 letters: two edits
    ("سترلينكوف", "ستولينكوق1", False),  # an extra word is not a typo
    ("سترلينكوف", "ستوليتكوق", False),  # 9 letters: not three
    ("هوغو شافيز", "هوغو شافيس", True),  # word by word
    ("هوغو شافيز", "هوعو شافيز", False),  # the short word stays exact
    ("2011", "2012", False),  # no typo in a year
    ("250000", "250001", False),  # nor in a longer number
    ("250000", "250000", True),
    ("123456789", "123456780", False),  # nor in a number of 9 digits
    ("S-300", "S-301", False),  # nor in the number of a model name
]


@pytest.mark.parametrize(("accepted", "typed", "correct"), TYPO_BOUNDARIES)
def test_typo_budget_boundaries(accepted: str, typed: str, correct: bool) -> None:
    assert grade_short(_short([accepted], typos=True), typed).correct is correct


# A 50-word cited passage; pastes of its first k words, or of all of it with n extra words,
# land on either side of full credit (0.9 of the passage, 0.9 of the paste) and of partial
# credit (0.4). The fractions are written out so that moving a threshold fails a row.
TARGET = " ".join(normalize(ARTICLE.paragraph(2)).split()[:50])
EXTRA = normalize(ARTICLE.paragraph(11)).split()
EVIDENCE_Q = Question(
    id="ev",
    type=QuestionType.EVIDENCE,
    prompt="؟",
    explanation="",
    citations=(Citation(2, TARGET, Passage(2, 0, len(TARGET), TARGET)),),
)


def _first(k: int) -> str:
    return " ".join(TARGET.split()[:k])


def _padded(n: int) -> str:
    return " ".join([TARGET, *EXTRA[:n]])


EVIDENCE_BOUNDARIES = [
    (_first(50), 1.0),
    (_first(45), 1.0),  # 45/50 = 0.90
    (_first(44), 0.5),  # 44/50 = 0.88
    (_padded(5), 1.0),  # 50/55 = 0.909 of the paste
    (_padded(6), 0.5),  # 50/56 = 0.893
    (_first(20), 0.5),  # 20/50 = 0.40
    (_first(19), 0.0),  # 19/50 = 0.38
    (_padded(75), 0.5),  # 50/125 = 0.400
    (_padded(76), 0.0),  # 50/126 = 0.397
]


@pytest.mark.parametrize(
    ("typed", "score"), EVIDENCE_BOUNDARIES, ids=[str(i) for i in range(len(EVIDENCE_BOUNDARIES))]
)
def test_evidence_credit_boundaries(typed: str, score: float) -> None:
    verdict = grade_evidence(EVIDENCE_Q, typed)
    assert verdict.score == score
    assert verdict.correct is (score == 1.0)


# --- evidence items that cite one clause of a sentence ---

E04, E05 = QUESTIONS["e04"], QUESTIONS["e05"]
E04_CLAUSE, E05_CLAUSE = E04.citations[0].passage.text, E05.citations[0].passage.text


def test_the_clause_items_cite_a_clause_inside_a_longer_sentence() -> None:
    for question in (E04, E05):
        (citation,) = question.citations
        assert citation.sentence is not None
        assert citation.passage.text in citation.sentence.text != citation.passage.text


@pytest.mark.parametrize(
    ("question", "typed", "score"),
    [
        (E04, E04_CLAUSE, 1.0),  # the clause the prompt asks for
        (E04, E04.citations[0].sentence.text, 1.0),  # the whole sentence it is part of
        (E04, E04_CLAUSE + "، وهو ما أسهم في انهيار اقتصادي طويل", 1.0),  # clause and more of it
        (E04, "تقنياتهم المتقادمة لم تمنع", 0.5),  # part of the clause
        # the sentence's other clause, which does not answer the prompt
        (E04, "كما لعب الخبراء الروس دوراً محورياً في تجهيز المنشآت النفطية", 0.0),
        (E04, "إذ اشترت فنزويلا دبابات ومروحيات ومقاتلات وصواريخ " + E04_CLAUSE, 0.5),
        (E05, E05_CLAUSE, 1.0),
        (E05, "ولم يتضح ما اذا كانت موسكو استجابت", 1.0),  # typed without hamza
        (E05, E05.citations[0].sentence.text, 1.0),
        (E05, "لم يتضح ما إذا كانت موسكو", 0.5),
        (E05, "لم يتضح", 0.0),
        (E05, "موسكو استجابت لطلبات مادورو", 0.0),
    ],
    ids=lambda v: v.id if isinstance(v, Question) else None,
)
def test_a_clause_that_answers_is_full_credit(question: Question, typed: str, score: float) -> None:
    assert grade_evidence(question, typed).score == score
    verdict, elsewhere = grade_evidence_paste(question, ARTICLE, typed)
    assert (verdict.score, elsewhere) == (score, None)


def test_a_clause_item_still_names_another_sentence_pasted() -> None:
    other = next(s for s in ARTICLE.sentences if s.paragraph == 11)
    verdict, elsewhere = grade_evidence_paste(E04, ARTICLE, other.text)
    assert verdict.score == 0.0 and elsewhere == other
