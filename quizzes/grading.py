"""Grading: pure functions from a question and an answer to a Verdict."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from quizzes.arabic import normalize
from quizzes.article import Article, Passage
from quizzes.model import Question, QuestionType

# Evidence: share of the target sentence's words a paste must cover for full / partial credit.
EVIDENCE_FULL = 0.9
EVIDENCE_PARTIAL = 0.4


@dataclass(frozen=True)
class Verdict:
    """The outcome of one answer. `correct` is None for unscored (discussion) answers.

    `fuzzy` marks a short answer accepted only thanks to the typo tolerance, so the feedback
    can show the right spelling.
    """

    correct: bool | None
    score: float
    matched: str | None = None
    fuzzy: bool = False


def grade_choice(question: Question, keys: Iterable[str]) -> Verdict:
    """All-or-nothing: the chosen set must equal the correct set."""
    chosen = frozenset(keys)
    correct = chosen == question.answer
    return Verdict(correct, 1.0 if correct else 0.0)


def _strip_article(word: str) -> str:
    return word[2:] if word.startswith("ال") and len(word) > 3 else word


def _variants(text: str, question: Question) -> set[str]:
    """The normalized forms of an answer that the bank's match rules treat as equal."""
    words = normalize(text).split()
    forms = {" ".join(words)}
    if question.match.optional_waw and words and words[0].startswith("و") and len(words[0]) > 2:
        forms.add(" ".join([words[0][1:], *words[1:]]))
    if question.match.optional_article:
        forms |= {" ".join(_strip_article(w) for w in form.split()) for form in list(forms)}
    return forms


def _typo_budget(word: str) -> int:
    """Edits tolerated in an accepted word: none in short words or in numbers (2011 ≠ 2014)."""
    if any(char.isdigit() for char in word):
        return 0
    if len(word) >= 9:
        return 2
    return 1 if len(word) >= 5 else 0


def _close(given: str, accepted: str) -> bool:
    """Word by word, each pair within the typo budget of the accepted word.

    OSA distance counts a swap of two neighbouring letters (a common slip on a phone) as one edit.
    """
    a, b = given.split(), accepted.split()
    if len(a) != len(b):
        return False
    return all(
        OSA.distance(x, y, score_cutoff=_typo_budget(y)) <= _typo_budget(y)
        for x, y in zip(a, b, strict=True)
    )


def grade_short(question: Question, text: str) -> Verdict:
    """Match a typed answer against the accepted answers after Arabic normalization."""
    given = _variants(text, question)
    for accepted in question.accepted:
        targets = _variants(accepted, question)
        if given & targets:
            return Verdict(True, 1.0, accepted)
    if question.match.typos:
        for accepted in question.accepted:
            targets = _variants(accepted, question)
            if any(_close(g, t) for g in given for t in targets):
                return Verdict(True, 1.0, accepted, fuzzy=True)
    return Verdict(False, 0.0)


def _overlap(given: list[str], target: list[str]) -> tuple[float, float]:
    """(coverage, precision): the share of `target` the paste covers, and of the paste in it."""
    joined_given, joined_target = f" {' '.join(given)} ", f" {' '.join(target)} "
    if joined_given in joined_target or joined_target in joined_given:
        # Contiguous, on word boundaries: the shorter run lies inside the longer one.
        shared = min(len(given), len(target))
    else:
        shared = sum(min(given.count(w), target.count(w)) for w in set(target))
    return shared / len(target), shared / len(given)


def grade_evidence(question: Question, text: str) -> Verdict:
    """Full credit for pasting a cited sentence, half credit for a real overlapping fragment."""
    given = normalize(text).split()
    if not given:
        return Verdict(False, 0.0)
    best = 0.0
    matched = None
    for citation in question.citations:
        target = normalize(citation.passage.text).split()
        if not target:
            continue
        coverage, precision = _overlap(given, target)
        if coverage >= EVIDENCE_FULL and precision >= EVIDENCE_FULL:
            return Verdict(True, 1.0, citation.passage.text)
        if min(coverage, precision) > best:
            best, matched = min(coverage, precision), citation.passage.text
    if best >= EVIDENCE_PARTIAL:
        return Verdict(False, 0.5, matched)
    return Verdict(False, 0.0)


@functools.lru_cache(maxsize=8)
def _sentence_words(article: Article) -> tuple[tuple[Passage, list[str]], ...]:
    """Every sentence of an article with its normalized words, computed once per article."""
    return tuple((s, normalize(s.text).split()) for s in article.sentences)


def locate_sentence(article: Article, text: str) -> Passage | None:
    """The article sentence a paste reproduces (at least EVIDENCE_FULL both ways), if any.

    Lets the bot say "this sentence is from paragraph N, but it is not the one that supports
    the answer" instead of a bare "wrong".
    """
    given = normalize(text).split()
    if not given:
        return None
    best: tuple[float, Passage] | None = None
    for sentence, target in _sentence_words(article):
        if not target:
            continue
        coverage, precision = _overlap(given, target)
        fit = min(coverage, precision)
        if fit >= EVIDENCE_FULL and (best is None or fit > best[0]):
            best = (fit, sentence)
    return best[1] if best else None


def _overlaps(a: Passage, b: Passage) -> bool:
    return a.paragraph == b.paragraph and a.start < b.end and b.start < a.end


def _contains(outer: Passage, inner: Passage) -> bool:
    return (
        outer.paragraph == inner.paragraph and outer.start <= inner.start <= inner.end <= outer.end
    )


def grade_evidence_paste(
    question: Question, article: Article, text: str
) -> tuple[Verdict, Passage | None]:
    """Grade an evidence paste against the article too.

    Returns the verdict and, when the paste reproduces a sentence of the article that is not
    the supporting one, that sentence (no credit: it is not a fragment of the evidence). A
    whole sentence that contains a shorter cited quote is full credit.
    """
    verdict = grade_evidence(question, text)
    if verdict.correct:
        return verdict, None
    located = locate_sentence(article, text)
    if located is None:
        return verdict, None
    if any(_overlaps(located, c.passage) for c in question.citations):
        if any(_contains(located, c.passage) for c in question.citations):
            return Verdict(True, 1.0, located.text), None
        return verdict, None
    return Verdict(False, 0.0), located


def grade_text(question: Question, text: str) -> Verdict:
    """Grade a typed answer for a text question."""
    if question.type is QuestionType.SHORT:
        return grade_short(question, text)
    if question.type is QuestionType.EVIDENCE:
        return grade_evidence(question, text)
    return Verdict(None, 0.0)
