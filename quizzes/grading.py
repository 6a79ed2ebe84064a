"""Grading: pure functions from a question and an answer to a Verdict."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from quizzes.arabic import normalize
from quizzes.article import Article, Passage
from quizzes.model import YEAR_AFTER, YEAR_BEFORE, MatchRules, Question, QuestionType

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


def _strip_waw(word: str) -> str:
    return word[1:] if word.startswith("و") and len(word) > 2 else word


def _one_word(text: str) -> str:
    return " ".join(normalize(text).split())


@dataclass(frozen=True)
class _Words:
    """A bank's match rules with every word normalized, ready to compare with typed words."""

    particles: frozenset[str]
    letters: frozenset[str]
    titles: frozenset[str]
    year_before: frozenset[str]
    year_after: frozenset[str]
    spellings: dict[str, tuple[str, ...]]


@functools.lru_cache(maxsize=256)
def _words(rules: MatchRules) -> _Words:
    particles = frozenset(_one_word(w) for w in rules.leading_particles)
    spellings: dict[str, tuple[str, ...]] = {}
    for group in (*rules.synonyms, *rules.variants):
        members = tuple(dict.fromkeys(_one_word(w) for w in group))
        for member in members:
            spellings[member] = (member, *(m for m in members if m != member))
    return _Words(
        particles=particles,
        letters=frozenset(w for w in particles if len(w) == 1),
        titles=frozenset(_one_word(w) for w in rules.titles),
        year_before=frozenset(_one_word(w) for w in YEAR_BEFORE) if rules.years else frozenset(),
        year_after=frozenset(_one_word(w) for w in YEAR_AFTER) if rules.years else frozenset(),
        spellings=spellings,
    )


Form = tuple[str, ...]
# An accepted answer as the grader holds it: for each word, the spellings that count as it.
Target = tuple[tuple[str, ...], ...]


def _without_year_words(words: Form, w: _Words) -> Form:
    """«عام 2011 م» → «2011»: year words go only when they stand next to a year."""

    def is_year(index: int) -> bool:
        return 0 <= index < len(words) and words[index].isdigit() and len(words[index]) <= 4

    return tuple(
        word
        for i, word in enumerate(words)
        if not (word in w.year_before and is_year(i + 1))
        and not (word in w.year_after and is_year(i - 1))
    )


def _is_particle(word: str, w: _Words) -> bool:
    """«في», or «وفي»/«ففي»: a particle with a conjunction written onto it."""
    return word in w.particles or (word[:1] in ("و", "ف") and word[1:] in w.particles)


def _optional(form: Form, rules: MatchRules) -> set[Form]:
    """The forms the bank's optional article and conjunction make equal to `form`."""
    forms = {form}
    if rules.optional_waw and form and _strip_waw(form[0]) != form[0]:
        forms.add((_strip_waw(form[0]), *form[1:]))
    if rules.optional_article:
        forms |= {tuple(_strip_article(x) for x in f) for f in list(forms)}
    return forms


def _given_forms(text: str, rules: MatchRules) -> tuple[set[Form], set[Form]]:
    """What a typed answer may mean once the words students add around an answer are removed.

    Returns the forms that may also be compared with typo tolerance, and the forms that only
    count when they equal an accepted answer exactly: a particle letter written onto the
    first word («بفلداي»), which would otherwise turn «بوك» into «وك».
    """
    w = _words(rules)
    words = tuple(normalize(text).split())
    forms = {words}
    rest = words
    for _ in range(2):  # «في», «و في»
        if len(rest) < 2 or not _is_particle(rest[0], w):
            break
        rest = rest[1:]
        forms.add(rest)
    forms |= {f[1:] for f in forms if len(f) > 1 and f[0] in w.titles}
    forms |= {_without_year_words(f, w) for f in forms}
    attached: set[Form] = set()
    for form in forms:
        first = form[0] if form else ""
        if len(first) > 2 and first[0] in w.letters:
            attached.add((first[1:], *form[1:]))
            if first.startswith("لل"):  # «للقذافي» is ل + «القذافي»
                attached.add(("ا" + first[1:], *form[1:]))
    return (
        {o for f in forms for o in _optional(f, rules)},
        {o for f in attached for o in _optional(f, rules)} - forms,
    )


@functools.lru_cache(maxsize=4096)
def _targets(accepted: str, rules: MatchRules) -> tuple[Target, ...]:
    """An accepted answer's forms, each word with the spellings its groups make equal."""
    w = _words(rules)
    words = _without_year_words(tuple(normalize(accepted).split()), w)
    spelled = tuple(w.spellings.get(word, (word,)) for word in words)
    forms: set[Target] = {spelled}
    if rules.optional_waw and spelled and _strip_waw(spelled[0][0]) != spelled[0][0]:
        forms.add((tuple(_strip_waw(s) for s in spelled[0]), *spelled[1:]))
    if rules.optional_article:
        forms |= {tuple(tuple(_strip_article(s) for s in a) for a in f) for f in list(forms)}
    return tuple(forms)


def _equal(given: Form, target: Target) -> bool:
    return len(given) == len(target) and all(g in a for g, a in zip(given, target, strict=True))


def _typo_budget(word: str) -> int:
    """Edits tolerated in an accepted word: none in short words or in numbers (2011 ≠ 2014)."""
    if any(char.isdigit() for char in word):
        return 0
    if len(word) >= 9:
        return 2
    return 1 if len(word) >= 5 else 0


def _near(given: str, accepted: str) -> bool:
    budget = _typo_budget(accepted)
    return OSA.distance(given, accepted, score_cutoff=budget) <= budget


def _close(given: Form, target: Target) -> bool:
    """Word by word, each within the typo budget of one spelling of the accepted word.

    OSA distance counts a swap of two neighbouring letters (a common slip on a phone) as one edit.
    """
    if len(given) != len(target):
        return False
    return all(any(_near(g, s) for s in a) for g, a in zip(given, target, strict=True))


def accepted_as(rules: MatchRules, accepted: str, text: str) -> bool:
    """Whether `text` counts as the accepted answer `accepted` under `rules`, typos aside."""
    given, attached = _given_forms(text, rules)
    targets = _targets(accepted, rules)
    return any(_equal(g, t) for g in given | attached for t in targets)


def grade_short(question: Question, text: str) -> Verdict:
    """Match a typed answer against the accepted answers after Arabic normalization."""
    given, attached = _given_forms(text, question.match)
    for accepted in question.accepted:
        targets = _targets(accepted, question.match)
        if any(_equal(g, t) for g in given | attached for t in targets):
            return Verdict(True, 1.0, accepted)
    if question.match.typos:
        for accepted in question.accepted:
            targets = _targets(accepted, question.match)
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
    """Full credit for pasting a cited passage, half credit for a real overlapping fragment.

    A cited passage may be one clause of a sentence. A paste then earns full credit when it
    holds the clause and stays inside that sentence: the clause alone, the whole sentence, or
    anything between.
    """
    given = normalize(text).split()
    if not given:
        return Verdict(False, 0.0)
    best = 0.0
    matched = None
    for citation in question.citations:
        target = normalize(citation.passage.text).split()
        if not target:
            continue
        sentence = normalize((citation.sentence or citation.passage).text).split()
        coverage, _ = _overlap(given, target)
        _, precision = _overlap(given, sentence)
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


def grade_typed(question: Question, article: Article, text: str) -> tuple[Verdict, Passage | None]:
    """Grade any typed answer as the bot does; evidence is checked against the article too."""
    if question.type is QuestionType.EVIDENCE:
        return grade_evidence_paste(question, article, text)
    return grade_text(question, text), None
