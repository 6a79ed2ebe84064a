"""Item-writing checks: what makes a question guessable or unfair, found without a student.

`validate` proves that a bank is well-formed and that its quotes are in the article. The
linter looks at what a careful reviewer looks at: a key that is the longest option by far, the
only hedged option, "all of the above", two items that ask the same thing or rest on the same
words, a key that repeats the prompt, a lopsided answer key, paragraphs nobody asks about, and
an explanation that credits the article with what the article attributes to someone else.

Every finding is a warning with its file and line. A bank waives one check for one question
(or, for the bank-wide checks, for the bank) with a stated reason:

    waive:
      key-longest: «the reason, for the teacher who reads the bank»
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from rapidfuzz import fuzz

from quizzes.arabic import light_stem, normalize
from quizzes.article import Article, Passage
from quizzes.ask import STOP_WORDS
from quizzes.model import Bank, Question, QuestionType

CHECKS: dict[str, str] = {
    "key-longest": "the key is the longest option by a wide margin",
    "key-only-hedged": "the key is the only hedged option",
    "key-only-unqualified": "the key is the only option without an absolute",
    "all-none-above": "an option is 'all/none of the above'",
    "contradicts-premise": "an option denies what the prompt takes for granted",
    "duplicate-prompt": "the prompt repeats another item's prompt",
    "duplicate-span": "the item rests on the same words as another item",
    "crowded-sentence": "many items rest on one sentence",
    "key-echoes-prompt": "the key repeats the prompt's words",
    "true-false-balance": "the true/false keys are lopsided",
    "key-positions": "the keys sit in one position",
    "paragraph-uncited": "a paragraph no item cites",
    "paragraph-overcited": "a paragraph cited far more than the others",
    "unattributed-claim": "the explanation credits the article with an attributed claim",
}
BANK_CHECKS = frozenset(
    {"true-false-balance", "key-positions", "paragraph-uncited", "paragraph-overcited"}
)

# A key this many times longer than the longest distractor (and by this many characters)
# stands out to a student who has not read the text.
LONGEST_RATIO = 1.5
LONGEST_MIN_GAP = 10
PROMPT_SIMILARITY = 85
SPAN_OVERLAP = 0.8
# A sentence carries too many items at twice the article's average per sentence (at least 5).
CROWDED_FACTOR = 2.0
CROWDED_MIN = 5
ECHO_MARGIN = 2
TRUE_SHARE = (0.3, 0.7)
MIN_TRUE_FALSE = 4
MIN_POSITIONED = 8
POSITION_SHARE = 0.45
OVERCITED_FACTOR = 2.0
OVERCITED_GAP = 5


def _phrases(text: str) -> tuple[str, ...]:
    """One normalized phrase per line, so the lists below can be written in plain Arabic."""
    return tuple(normalize(line) for line in text.strip().splitlines() if line.strip())


HEDGES = _phrases("""
يبدو
ربما
لعل
لم يتضح
غير واضح
غير مؤكد
ليس بالضرورة
لا ... بالضرورة
بالضرورة
يحتمل
محتمل
من المحتمل
يرجح
على الأرجح
فرضية
افتراض
""")
ABSOLUTES = _phrases("""
جميعاً
جميعهم
جميعها
دائماً
أبداً
مؤكد
مؤكدة
بالتأكيد
قطعاً
حتماً
مطلقاً
إطلاقاً
تماماً
كلياً
بلا شك
""")
ALL_OR_NONE = _phrases("""
كل ما سبق
جميع ما سبق
كل ما ذكر
جميع ما ذكر
كل ما تقدم
لا شيء مما سبق
لا شيء مما ذكر
لا شيء مما تقدم
ليس أيا مما سبق
لا أحد مما سبق
كل الإجابات
جميع الإجابات
""")
NEGATIONS = frozenset(_phrases("لم\nلا\nليس\nليست\nلن\nما"))
DID_NOT_HAPPEN = _phrases("""
لم يحدث
لم تحدث
لم يقع
لم تقع
لم يجر
لا يوجد
""")
WH_WORDS = frozenset(_phrases("لماذا\nكيف\nمتى\nأين\nماذا\nما\nمن\nبم\nبماذا\nلم"))
# The article's own voice, when an explanation speaks for it.
ARTICLE_VOICE = _phrases("""
بحسب المقال
حسب المقال
وفق المقال
وفقا للمقال
يذكر المقال
يؤكد المقال
يقول المقال
يقرر المقال
يثبت المقال
""")
# Markers of a claim the article gives to someone else, or offers as a hypothesis.
ATTRIBUTION = _phrases("""
بحسب
حسب
وفق
وفقا
يرى
ترى
يرون
يعتقد
يعتقدون
ذهب
ذهبوا
ثمة فرضية
فرضية
يفترض
مراقبين
مراقبون
المراقبين
المراقبون
محللين
محللون
المحللين
المحللون
خبراء
الخبراء
قال
قالت
يقول
تقول
أشار
أشارت
زعم
ادعى
ينسب
ينسبها
نسب
""")


@dataclass(frozen=True)
class Finding:
    """One warning: where, which check, what is wrong, and the waiver's reason if waived."""

    file: str
    line: int
    check: str
    message: str
    question_id: str | None = None
    waived: str | None = None

    def __str__(self) -> str:
        suffix = f" (waived: {self.waived})" if self.waived else ""
        return f"{self.file}:{self.line}: warning [{self.check}]: {self.message}{suffix}"


@dataclass(frozen=True)
class BankLayout:
    """What the linter needs from a bank's YAML beyond the Bank: lines and waivers."""

    lines: dict[str, int]
    waivers: dict[str | None, dict[str, str]]
    problems: tuple[str, ...] = ()

    @classmethod
    def read(cls, text: str) -> BankLayout:
        """The line of each question id, and the `waive:` blocks (None for the bank's own)."""
        lines: dict[str, int] = {}
        waivers: dict[str | None, dict[str, str]] = {}
        problems: list[str] = []
        data = yaml.safe_load(text) or {}
        node = yaml.compose(text)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == "questions" and isinstance(value, yaml.SequenceNode):
                    for item in value.value:
                        if isinstance(item, yaml.MappingNode):
                            for k, v in item.value:
                                if k.value == "id":
                                    lines[str(v.value)] = item.start_mark.line + 1
        waivers[None] = _waivers(data.get("waive"), "the bank", problems)
        for raw in data.get("questions") or []:
            if isinstance(raw, dict) and "waive" in raw:
                qid = str(raw.get("id"))
                waivers[qid] = _waivers(raw["waive"], f"question {qid}", problems)
        return cls(lines, waivers, tuple(problems))


def _waivers(raw: Any, owner: str, problems: list[str]) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(f"'waive' of {owner} must map a check name to a reason")
        return {}
    out: dict[str, str] = {}
    for check, reason in raw.items():
        if check not in CHECKS:
            problems.append(f"'waive' of {owner} names unknown check {check!r}")
        elif not isinstance(reason, str) or len(reason.strip()) < 10:
            problems.append(f"'waive' of {owner} needs a reason for {check!r} (a sentence)")
        else:
            out[check] = reason.strip()
    return out


def _has(text: str, phrases: Iterable[str]) -> bool:
    """Whether normalized `text` holds any phrase, as whole words (a و or ف may lead)."""
    padded = f" {normalize(text)} "
    for phrase in phrases:
        if "..." in phrase:
            first, _, last = (part.strip() for part in phrase.partition("..."))
            at = padded.find(f" {first} ")
            if at >= 0 and f" {last} " in padded[at:]:
                return True
            continue
        for lead in ("", "و", "ف"):
            if f" {lead}{phrase} " in padded:
                return True
    return False


# «قد» before an imperfect verb (يـ تـ نـ أـ) says "may"; before a perfect one it asserts
# ("وقد ربطه": he did link it). Perfect verbs rarely start with ي, so the prefix is enough.
_IMPERFECT_PREFIXES = tuple(normalize("ي ت ن أ").split())


def _hedged(text: str) -> bool:
    if _has(text, HEDGES):
        return True
    words = normalize(text).split()
    return any(
        word.lstrip("وف") == "قد" and following.startswith(_IMPERFECT_PREFIXES)
        for word, following in zip(words, words[1:], strict=False)
    )


def _stems(text: str) -> set[str]:
    return {
        light_stem(word)
        for word in normalize(text).split()
        if word not in STOP_WORDS and len(word) > 2 and not word.isdigit()
    }


def _choice_findings(q: Question) -> list[tuple[str, str]]:
    """(check, message) for one choice question's options."""
    if not q.is_choice or q.type is QuestionType.TRUE_FALSE:
        return []
    keys = [o for o in q.options if o.key in q.answer]
    others = [o for o in q.options if o.key not in q.answer]
    if not keys or not others:
        return []
    out: list[tuple[str, str]] = []
    key_len = statistics.mean(len(o.text) for o in keys)
    longest_other = max(len(o.text) for o in others)
    if key_len >= LONGEST_RATIO * longest_other and key_len - longest_other >= LONGEST_MIN_GAP:
        out.append(
            (
                "key-longest",
                f"the key has {key_len:.0f} characters, the longest other option "
                f"{longest_other}: even them out with near-misses of the same length",
            )
        )
    if len(others) >= 2:
        if all(_hedged(o.text) for o in keys) and not any(_hedged(o.text) for o in others):
            out.append(
                (
                    "key-only-hedged",
                    "only the key is hedged (قد، يبدو، ربما…): add hedged distractors "
                    "that are wrong for another reason",
                )
            )
        if all(_has(o.text, ABSOLUTES) for o in others) and not any(
            _has(o.text, ABSOLUTES) for o in keys
        ):
            out.append(
                (
                    "key-only-unqualified",
                    "every distractor is absolute (جميعاً، دائماً، أبداً، مؤكد…) and the key "
                    "is not: students learn to pick the moderate option",
                )
            )
    for option in q.options:
        if _has(option.text, ALL_OR_NONE):
            out.append(
                ("all-none-above", f"option {option.key} is 'all/none of the above': drop it")
            )
    out.extend(_premise_findings(q))
    prompt_stems = _stems(q.prompt)
    shared = {o.key: len(_stems(o.text) & prompt_stems) for o in q.options}
    key_shared = min(shared[o.key] for o in keys)
    other_shared = max(shared[o.key] for o in others)
    if key_shared >= ECHO_MARGIN and key_shared >= other_shared + ECHO_MARGIN:
        out.append(
            (
                "key-echoes-prompt",
                f"the key repeats {key_shared} of the prompt's words, the distractors at most "
                f"{other_shared}: a student can match words instead of reading",
            )
        )
    return out


def _premise_findings(q: Question) -> list[tuple[str, str]]:
    """Options that deny the prompt's premise: a negated echo of it, or "it did not happen"."""
    words = normalize(q.prompt).split()
    asks = bool(words) and words[0].lstrip("و") in WH_WORDS
    prompt_stems = [light_stem(w) for w in words if w not in STOP_WORDS and len(w) > 2]
    bigrams = set(zip(prompt_stems, prompt_stems[1:], strict=False))
    out = []
    for option in q.options:
        option_words = normalize(option.text).split()
        if asks and _has(option.text, DID_NOT_HAPPEN):
            out.append(
                (
                    "contradicts-premise",
                    f"option {option.key} says that what the prompt asks about did not happen",
                )
            )
            continue
        if option_words and option_words[0] in NEGATIONS:
            rest = [light_stem(w) for w in option_words[1:] if w not in STOP_WORDS and len(w) > 2]
            if set(zip(rest, rest[1:], strict=False)) & bigrams:
                out.append(
                    (
                        "contradicts-premise",
                        f"option {option.key} negates the prompt's own words",
                    )
                )
    return out


def _overlap(a: Passage, b: Passage) -> float:
    """Shared characters over the longer of two spans of one paragraph (0 across paragraphs)."""
    if a.paragraph != b.paragraph:
        return 0.0
    shared = min(a.end, b.end) - max(a.start, b.start)
    return max(shared, 0) / max(a.end - a.start, b.end - b.start, 1)


@dataclass(frozen=True)
class _Item:
    bank: Bank
    question: Question
    file: str
    line: int


def _sentence_of(article: Article, passage: Passage) -> tuple[int, int] | None:
    for sentence in article.sentences:
        if sentence.paragraph == passage.paragraph and sentence.start <= passage.start:
            if passage.start < sentence.end:
                return (sentence.paragraph, sentence.start)
    return None


def _cross_item_findings(
    items: Sequence[_Item], articles: dict[str, Article]
) -> list[tuple[_Item, str, str]]:
    out: list[tuple[_Item, str, str]] = []
    prompts = [normalize(item.question.prompt) for item in items]
    by_sentence: dict[tuple[str, int, int], list[_Item]] = defaultdict(list)
    for i, item in enumerate(items):
        q = item.question
        for j in range(i):
            earlier = items[j]
            where = f"{earlier.question.id} ({earlier.file}:{earlier.line})"
            if fuzz.ratio(prompts[i], prompts[j]) >= PROMPT_SIMILARITY:
                out.append((item, "duplicate-prompt", f"the prompt is nearly that of {where}"))
            elif q.type is not QuestionType.DISCUSSION and (
                earlier.question.type is not QuestionType.DISCUSSION
            ):
                if any(
                    _overlap(a.passage, b.passage) >= SPAN_OVERLAP
                    for a in q.citations
                    for b in earlier.question.citations
                ):
                    out.append(
                        (
                            item,
                            "duplicate-span",
                            f"it cites the same words as {where}: ask "
                            "about another passage, or about something else in this one",
                        )
                    )
        article = articles.get(item.bank.article_id)
        if article is not None and q.type is not QuestionType.DISCUSSION and q.citations:
            sentence = _sentence_of(article, q.citations[0].passage)
            if sentence is not None:
                by_sentence[(item.bank.article_id, *sentence)].append(item)
    for (article_id, paragraph, _), crowd in by_sentence.items():
        sentences = len(articles[article_id].sentences)
        placed = sum(len(c) for (a, _, _), c in by_sentence.items() if a == article_id)
        if len(crowd) >= max(CROWDED_MIN, math.ceil(CROWDED_FACTOR * placed / sentences)):
            ids = ", ".join(c.question.id for c in crowd)
            out.append(
                (
                    crowd[-1],
                    "crowded-sentence",
                    f"{len(crowd)} items ({ids}) rest on one sentence of paragraph {paragraph}",
                )
            )
    return out


def _bank_findings(bank: Bank) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    tf = [q for q in bank.questions if q.type is QuestionType.TRUE_FALSE]
    if len(tf) >= MIN_TRUE_FALSE:
        share = sum(1 for q in tf if "t" in q.answer) / len(tf)
        if not TRUE_SHARE[0] <= share <= TRUE_SHARE[1]:
            out.append(
                (
                    "true-false-balance",
                    f"{share:.0%} of the {len(tf)} true/false keys are 'true': aim for 30–70%",
                )
            )
    positioned = [q for q in bank.questions if q.type in (QuestionType.SINGLE, QuestionType.PEER)]
    if len(positioned) >= MIN_POSITIONED:
        positions = Counter(
            next(i for i, o in enumerate(q.options) if o.key in q.answer) for q in positioned
        )
        position, count = positions.most_common(1)[0]
        if count / len(positioned) > POSITION_SHARE:
            out.append(
                (
                    "key-positions",
                    f"{count} of {len(positioned)} keys are option {'abcdef'[position]}: "
                    "the bot shuffles options, but exports and the terminal preview do not",
                )
            )
    return out


def _paragraph_findings(article: Article, items: Sequence[_Item]) -> list[tuple[str, str]]:
    counts = Counter()
    for item in items:
        cited = {c.paragraph for c in item.question.citations}
        cited |= {c.paragraph for p in item.question.points for c in p.citations}
        counts.update(cited)
    out: list[tuple[str, str]] = []
    numbers = range(1, len(article.paragraphs) + 1)
    uncited = [n for n in numbers if not counts[n]]
    if uncited:
        out.append(
            (
                "paragraph-uncited",
                f"no item cites paragraph(s) {', '.join(map(str, uncited))} of {article.id}",
            )
        )
    median = statistics.median(counts[n] for n in numbers)
    for n in numbers:
        if counts[n] >= OVERCITED_FACTOR * max(median, 1) and counts[n] - median >= OVERCITED_GAP:
            out.append(
                (
                    "paragraph-overcited",
                    f"{counts[n]} items cite paragraph {n} of {article.id} (median "
                    f"{median:g}): spread the questions over the article",
                )
            )
    return out


def _attribution_findings(q: Question) -> list[tuple[str, str]]:
    if not _has(q.explanation, ARTICLE_VOICE):
        return []
    passages = [c.passage.text for c in q.citations]
    if not any(_has(text, ATTRIBUTION) for text in passages):
        return []
    rest = normalize(q.explanation)
    for phrase in ARTICLE_VOICE:
        rest = rest.replace(phrase, " ")
    if _has(rest, ATTRIBUTION):
        return []  # the explanation names who says it
    return [
        (
            "unattributed-claim",
            "the explanation says the article states it, but the cited passage attributes it "
            "(بحسب، يرى، ذهب المحللون، ثمة فرضية…): name who says it",
        )
    ]


def lint(
    banks: Sequence[Bank],
    layouts: dict[str, BankLayout],
    articles: Callable[[str], Article],
) -> list[Finding]:
    """Every finding over `banks` (keyed to `layouts` by Bank.source), waived ones included."""
    items = [
        _Item(bank, q, bank.source, layouts[bank.source].lines.get(q.id, 1))
        for bank in banks
        for q in bank.questions
    ]
    by_article: dict[str, Article] = {b.article_id: articles(b.article_id) for b in banks}
    raw: list[tuple[str, int, str, str, str | None]] = []
    for item in items:
        q = item.question
        for check, message in _choice_findings(q) + _attribution_findings(q):
            raw.append((item.file, item.line, check, f"{q.id}: {message}", q.id))
    for item, check, message in _cross_item_findings(items, by_article):
        q = item.question
        raw.append((item.file, item.line, check, f"{q.id}: {message}", q.id))
    for bank in banks:
        for check, message in _bank_findings(bank):
            raw.append((bank.source, 1, check, f"bank {bank.id}: {message}", None))
    for article_id, article in by_article.items():
        own = [i for i in items if i.bank.article_id == article_id]
        first = min((b for b in banks if b.article_id == article_id), key=lambda b: b.source)
        for check, message in _paragraph_findings(article, own):
            raw.append((first.source, 1, check, message, None))
    findings = []
    for file, line, check, message, qid in raw:
        waivers = layouts[file].waivers
        reason = waivers.get(qid, {}).get(check) if qid else None
        if reason is None and (qid is None or check in BANK_CHECKS):
            reason = waivers.get(None, {}).get(check)
        findings.append(Finding(file, line, check, message, qid, reason))
    findings.sort(key=lambda f: (f.file, f.line, f.check))
    return findings
