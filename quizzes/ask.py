"""Asking the article: rank its sentences against a free question (BM25 over light stems).

A question and the sentences go through the grading normalization, lose their stop words,
and each remaining word becomes a small set of candidate stems (the word, and the word with
one prefix ال و ب ل ف and/or one common suffix removed). A query word matches a sentence word
when their sets meet, and scores with the BM25 weight of the rarest stem they share. Several
candidates instead of one stem, because a light stemmer cannot tell a prefix from a root
letter: بوتين and لبوتين meet only if both readings are kept.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from quizzes.arabic import light_stem, normalize
from quizzes.article import Article, Passage

# BM25 parameters (the usual defaults).
K1 = 1.2
B = 0.75
# A sentence is an answer only if the query words it matches carry at least this share of the
# query's total weight; words the article never uses weigh the most, so "what is the capital of
# Japan" does not turn into "any sentence that mentions a capital".
MIN_COVERAGE = 0.34
# Sentences after the first are shown only if they score at least this share of the best one.
RELATIVE_CUTOFF = 0.5
MAX_HITS = 3

_STOP_WORDS_TEXT = """
في من إلى الى على عن مع عند بعد قبل بين حتى منذ خلال ضد دون حول نحو لدى عبر
و أو ثم أم بل لكن ولكن لكنه إن أن إنه أنه إنها أنها كان كانت كانوا يكون تكون قد لقد
لم لن لا ليس ليست ما ماذا لماذا لما كيف متى أين هل كم أي أية أيهما من
هو هي هم هن هما أنا نحن أنت أنتم انت ذلك تلك هذا هذه هؤلاء هناك هنا
الذي التي الذين اللذين اللتين اللواتي اللاتي
كل بعض غير أيضا أيضاً فقط إذ إذا إذن كما مثل حيث عندما بأن بأنه به بها له لها لهم
فيه فيها منه منها عليه عليها إليه إليها عنه عنها
بحسب حسب وفق وفقا يقول يقوله قال قالت المقال مقال الكاتب النص
"""
STOP_WORDS = frozenset(normalize(_STOP_WORDS_TEXT).split())
_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ب", "ل", "ف")
_ENDINGS = ("وا", "ا", "ت")
_MIN_EXTRA = 4


def _is_stop(word: str) -> bool:
    # "وفي", "فهل": a stop word behind a conjunction is still a stop word.
    return word in STOP_WORDS or (word[:1] in ("و", "ف") and word[1:] in STOP_WORDS)


def candidates(word: str) -> frozenset[str]:
    """The word and its light stems: prefix removed, suffix removed, both.

    Endings light_stem keeps (tanween alef, past-tense ت and وا) are dropped here as extra
    candidates too: عسكرياً meets عسكري, انتشرت meets انتشر.
    """
    extra: set[str] = set()
    for prefix in _PREFIXES:
        if word.startswith(prefix):
            rest = word[len(prefix) :]
            extra |= {rest, light_stem(rest)}
    for form in [word, *extra]:
        for ending in _ENDINGS:
            if form.endswith(ending):
                rest = form[: -len(ending)]
                extra |= {rest, light_stem(rest)}
    # Extra readings keep four letters at least: a three-letter leftover of a name (فلداي ->
    # داي) would meet unrelated words (بداية -> داي). The word's own light stem may be shorter.
    return frozenset({word, light_stem(word)} | {e for e in extra if len(e) >= _MIN_EXTRA})


def terms(text: str) -> list[frozenset[str]]:
    """The content words of a text, each as its set of candidate stems."""
    return [candidates(w) for w in normalize(text).split() if not _is_stop(w)]


@dataclass(frozen=True)
class Hit:
    """A sentence of the article that answers a question, with its score and coverage."""

    passage: Passage
    score: float
    coverage: float


@dataclass(frozen=True)
class _Doc:
    passage: Passage
    counts: Counter[str]  # stem -> number of words in the sentence offering it
    length: int


class ArticleIndex:
    """BM25 over the sentences of one article, built once."""

    def __init__(self, article: Article) -> None:
        self.article = article

    @cached_property
    def _docs(self) -> tuple[_Doc, ...]:
        docs = []
        for passage in self.article.sentences:
            words = terms(passage.text)
            counts: Counter[str] = Counter()
            for stems in words:
                counts.update(stems)
            docs.append(_Doc(passage, counts, len(words)))
        return tuple(docs)

    @cached_property
    def _df(self) -> Counter[str]:
        df: Counter[str] = Counter()
        for doc in self._docs:
            df.update(doc.counts.keys())
        return df

    @cached_property
    def _average_length(self) -> float:
        return sum(d.length for d in self._docs) / max(1, len(self._docs))

    def idf(self, stem: str) -> float:
        n = len(self._docs)
        df = self._df.get(stem, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def _word_score(self, stems: frozenset[str], doc: _Doc) -> float:
        best = 0.0
        norm = K1 * (1 - B + B * doc.length / self._average_length)
        for stem in stems:
            tf = doc.counts.get(stem, 0)
            if tf:
                best = max(best, self.idf(stem) * tf * (K1 + 1) / (tf + norm))
        return best

    def search(self, question: str, limit: int = MAX_HITS) -> list[Hit]:
        """The best 0..limit sentences for a question, best first; [] when nothing matches."""
        query = list(dict.fromkeys(terms(question)))
        if not query:
            return []
        # A word's weight is its rarest stem's IDF (the highest, for words the article lacks).
        weights = [max(self.idf(s) for s in stems) for stems in query]
        total = sum(weights)
        scored: list[Hit] = []
        for doc in self._docs:
            score = 0.0
            covered = 0.0
            for stems, weight in zip(query, weights, strict=True):
                part = self._word_score(stems, doc)
                if part:
                    score += part
                    covered += weight
            coverage = covered / total
            if score > 0 and coverage >= MIN_COVERAGE:
                scored.append(Hit(doc.passage, score, coverage))
        scored.sort(key=lambda h: (-h.score, h.passage.paragraph, h.passage.start))
        if not scored:
            return []
        best = scored[0].score
        return [h for h in scored[:limit] if h.score >= RELATIVE_CUTOFF * best]
