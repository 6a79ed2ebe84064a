"""/ask ranking: questions whose answering paragraph is known, and questions the article lacks."""

from __future__ import annotations

import pytest

from bot.config import DEFAULT_SEEDS
from quizzes.ask import MAX_HITS, ArticleIndex, candidates, terms
from quizzes.loader import article_source

ARTICLE = article_source(DEFAULT_SEEDS)("000_b2ad9beff8a3f107")
INDEX = ArticleIndex(ARTICLE)

# (question, the paragraph that answers it): the best sentence must come from that paragraph.
KNOWN = [
    ("ما الشعار الذي انتشر في الميم عن بوتين؟", 1),
    ("متى قُتل القذافي؟", 2),
    ("إلى أين نُقل مادورو؟", 2),
    ("من اقتحم غرفة نوم مادورو؟", 2),
    ("يانوكوفيتش", 2),
    ("ما المنظومات الصاروخية التي استهدفها الضرب؟", 3),
    ("هل كانت معاهدة الدفاع تُلزم روسيا بالتدخل العسكري؟", 3),
    ("الغزو الخارجي", 3),
    ("كيف وصفت الخارجية الروسية احتجاز مادورو؟", 4),
    ("ما تداعيات الحادث على سمعة الكرملين؟", 5),
    ("من هو أليشير إلكاموف؟", 6),
    ("على ماذا يرتكز النظام العالمي الجديد؟", 6),
    ("ماذا حدث عندما هرب الأسد إلى موسكو؟", 7),
    ("هل اتفق ترامب وبوتين في قمة أنكريج؟", 7),
    ("ما علاقة غرينلاند بالتفاهمات؟", 7),
    ("القطب الشمالي", 7),
    ("ما هو بازينوفسكا سفتي؟", 8),
    ("هل يمنع النفط الصخري بكين من الاستقلال الطاقي؟", 8),
    ("هل خسارة مادورو كارثة سياسية داخلية لموسكو؟", 9),
    ("ما هي الإمبريالية الأمريكية؟", 9),
    ("ما موقف ترامب من ادعاء محاولة اغتيال بوتين؟", 10),
    ("أين تقع فلداي؟", 10),
    ("من سرّب المعلومات إلى الأميركيين؟", 10),
    ("متى بدأت العلاقات بين موسكو وكاراكاس؟", 11),
    ("لماذا تراجع إنتاج النفط في فنزويلا؟", 11),
    ("ماذا اشترت فنزويلا من روسيا؟", 11),
    ("بندقية AK-47", 11),
    ("هجرة المهندسين", 11),
    ("ماذا طلب مادورو من روسيا في أكتوبر؟", 12),
    ("S-300", 12),
    ("صداقة أبدية", 12),
    ("ماذا كتب كيريل سترلينكوف عن الغرب؟", 13),
    ("ما الخطاب الموالي للكرملين؟", 13),
]

NOTHING = [
    "ما عاصمة اليابان؟",
    "كم عدد لاعبي كرة القدم؟",
    "ما لون السماء؟",
    "ما رأي بوتين في كرة القدم؟",
    "ما هي أفضل وصفة للكبسة؟",
    "hello world",
    "ما هو؟",
    "؟؟؟",
]


@pytest.mark.parametrize(("question", "paragraph"), KNOWN)
def test_the_answering_paragraph_comes_first(question: str, paragraph: int) -> None:
    hits = INDEX.search(question)
    assert hits, f"nothing found for {question!r}"
    assert hits[0].passage.paragraph == paragraph
    assert 1 <= len(hits) <= MAX_HITS
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    # What is shown is a sentence of the article, in its own characters.
    assert all(h.passage in ARTICLE.sentences for h in hits)


def test_a_loosely_worded_question_still_finds_its_paragraph_among_the_hits() -> None:
    hits = INDEX.search("لماذا لم يرد بوتين عسكريا؟")
    assert 4 in [h.passage.paragraph for h in hits]


@pytest.mark.parametrize("question", NOTHING)
def test_questions_the_article_does_not_answer_find_nothing(question: str) -> None:
    assert INDEX.search(question) == []


def test_stop_words_are_not_content() -> None:
    assert terms("ما هو الذي في المقال؟") == []
    assert len(terms("وفي موسكو")) == 1


def test_prefixed_and_bare_forms_meet() -> None:
    assert candidates("لبوتين") & candidates("بوتين")
    assert candidates("والمحللين") & candidates("المحلل")
    assert candidates("عسكرياً".replace("ً", "")) & candidates("عسكري")
    # A name's three-letter leftover does not meet an unrelated word.
    assert not candidates("فلداي") & candidates("بدايه")


def test_a_single_common_word_returns_at_most_three_sentences() -> None:
    hits = INDEX.search("بوتين")
    assert 1 <= len(hits) <= 3
    assert all("بوتين" in h.passage.text for h in hits)
