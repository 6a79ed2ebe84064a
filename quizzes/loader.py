"""Bank loader and validator: YAML in, Bank objects out, or every problem with its line.

Run `python -m quizzes.loader FILE...` to validate without the bot installed.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from quizzes.arabic import normalize, strip_diacritics
from quizzes.article import Article, Passage, load_article
from quizzes.content import shipped_banks, shipped_seeds
from quizzes.errors import ArticleError, BankError, Problem
from quizzes.grading import accepted_as
from quizzes.model import (
    FALSE_KEY,
    TRUE_KEY,
    Bank,
    Citation,
    MatchRules,
    Option,
    PeerBand,
    Point,
    Question,
    QuestionType,
)

BANK_ID = re.compile(r"^[a-z0-9_]{1,16}$")
QUESTION_ID = re.compile(r"^[a-z0-9_]{1,12}$")
OPTION_KEY = re.compile(r"^[a-f]$")
MAX_OPTION_CHARS = 100
MAX_ALERT_CHARS = 200
MAX_MESSAGE_CHARS = 4096
MAX_CALLBACK_BYTES = 64
# Room the bot's own words take around bank text in the longest message (feedback).
MESSAGE_OVERHEAD = 400
# The widest button payload the bot builds: kind, attempt or session id, position, key.
WIDEST_CALLBACK = "xx:{bank}:{question}:999999999999:f"
DIFFICULTIES = ("easy", "medium", "hard")
SKILLS = ("fact", "inference", "attribution", "vocabulary", "cause", "sequence", "evaluation")

BANK_KEYS = {
    "id",
    "title",
    "description",
    "article",
    "article_sha256",
    "level",
    "match",
    "peer",
    "questions",
    "waive",
}
PEER_KEYS = {"low", "high"}
# `waive` holds lint waivers (quizzes/lint.py checks them); the bank model does not keep them.
COMMON_KEYS = {
    "id",
    "type",
    "prompt",
    "explanation",
    "cite",
    "difficulty",
    "skill",
    "time_limit",
    "waive",
}
TYPE_KEYS: dict[QuestionType, set[str]] = {
    QuestionType.SINGLE: {"options", "answer", "misconceptions"},
    QuestionType.MULTI: {"options", "answer", "misconceptions"},
    QuestionType.TRUE_FALSE: {"answer"},
    QuestionType.SHORT: {"accepted", "match"},
    QuestionType.DISCUSSION: {"points", "min_length"},
    QuestionType.PEER: {"options", "answer", "misconceptions", "discussion_seconds"},
    QuestionType.EVIDENCE: set(),
}
MATCH_FLAGS = ("optional_article", "optional_waw", "typos", "years")
MATCH_WORDS = ("leading_particles", "titles")
MATCH_GROUPS = ("synonyms", "variants")
MATCH_KEYS = {*MATCH_FLAGS, *MATCH_WORDS, *MATCH_GROUPS}

Path_ = tuple[Any, ...]
ArticleSource = Callable[[str], Article]


def _line_map(root: yaml.Node, out: dict[Path_, int], dupes: list) -> None:
    """Record the 1-based line of every value, and duplicate mapping keys.

    Each node is visited once: an alias is the node it names, so a recursive alias (a list
    that contains itself) or aliases of aliases would otherwise loop or blow up.
    """
    stack: list[tuple[yaml.Node, Path_]] = [(root, ())]
    visited: set[int] = set()
    while stack:
        node, path = stack.pop()
        if id(node) in visited:
            continue
        visited.add(id(node))
        out[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            seen: set[Any] = set()
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else id(key_node)
                if key in seen:
                    dupes.append((key, key_node.start_mark.line + 1))
                seen.add(key)
                out[(*path, key, "@key")] = key_node.start_mark.line + 1
                stack.append((value_node, (*path, key)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*path, index)) for index, item in enumerate(node.value))


def _shown(value: Any) -> str:
    """A value as a problem message quotes it: its repr, clipped to stay one readable line."""
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


@dataclass
class _Checker:
    """Collects problems for one file while the bank is built."""

    file: str
    lines: dict[Path_, int]
    problems: list[Problem]

    def line(self, path: Path_) -> int:
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)

    def add(self, path: Path_, message: str) -> None:
        self.problems.append(Problem(self.file, self.line(path), message))

    def text(self, data: dict, key: str, path: Path_, *, required: bool = True) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.add(path, f"missing '{key}': add a non-empty Arabic text")
            return ""
        if not isinstance(value, str) or not value.strip():
            self.add((*path, key), f"'{key}' must be a non-empty text")
            return ""
        return value.strip()

    def integer(self, data: dict, key: str, path: Path_, low: int, high: int) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.add((*path, key), f"'{key}' must be a whole number from {low} to {high}")
            return None
        return value

    def unknown_keys(self, data: dict, allowed: set[str], path: Path_, what: str) -> None:
        for key in data:
            if key not in allowed:
                expected = ", ".join(sorted(allowed))
                self.add(
                    (*path, key, "@key"), f"unknown key '{key}' in {what}; expected: {expected}"
                )


def _sentence_of(article: Article, passage: Passage) -> Passage | None:
    for sentence in article.sentences:
        if (
            sentence.paragraph == passage.paragraph
            and sentence.start <= passage.start
            and passage.end <= sentence.end
        ):
            return sentence
    return None


def _on_word_edges(article: Article, passage: Passage) -> bool:
    """Whether a passage starts and ends between words (a letter's marks belong to it)."""
    text = strip_diacritics(article.paragraph(passage.paragraph)[: passage.start])
    before = text[-1:] or " "
    rest = article.paragraph(passage.paragraph)[passage.end :]
    after = (strip_diacritics(rest) or " ")[0]
    return not before.isalnum() and not after.isalnum()


def _evidence_quotes(
    check: _Checker, citations: list[Citation], path: Path_, article: Article
) -> None:
    """An evidence item cites whole sentences or clauses: each gives full credit when pasted."""
    for index, citation in enumerate(citations):
        where = (*path, index, "quote")
        if citation.sentence is None:
            check.add(
                where,
                "an evidence quote must lie inside one sentence of the article: cite the "
                "sentence, or the clause of it that answers the prompt",
            )
        elif not _on_word_edges(article, citation.passage):
            check.add(where, "an evidence quote must start and end on whole words")


def _citations(
    check: _Checker, raw: Any, path: Path_, article: Article | None, question: str | None = None
) -> list[Citation]:
    if not isinstance(raw, list) or not raw:
        check.add(path, "'cite' must be a list of {paragraph, quote} with at least one entry")
        return []
    found: list[Citation] = []
    for index, item in enumerate(raw):
        where = (*path, index)
        if not isinstance(item, dict):
            check.add(where, "each citation needs 'paragraph' and 'quote'")
            continue
        check.unknown_keys(item, {"paragraph", "quote"}, where, "a citation")
        paragraph = item.get("paragraph")
        quote = item.get("quote")
        if isinstance(paragraph, bool) or not isinstance(paragraph, int):
            check.add(where, "citation 'paragraph' must be a paragraph number")
            continue
        if not isinstance(quote, str) or not quote.strip():
            # Draft banks (import-bank) leave quotes empty: the teacher looks for them by id.
            whose = f"question '{question}' has no quote: " if question else ""
            check.add(
                where, f"{whose}citation 'quote' must be a non-empty text copied from the paragraph"
            )
            continue
        if article is None:
            continue
        if not 1 <= paragraph <= len(article.paragraphs):
            check.add(
                (*where, "paragraph"),
                f"paragraph {paragraph} does not exist; the article has "
                f"{len(article.paragraphs)} paragraphs",
            )
            continue
        passage = article.find(paragraph, quote)
        if passage is None:
            check.add(
                (*where, "quote"),
                f"quote not found in paragraph {paragraph}: «{quote.strip()[:60]}»; copy it "
                "exactly from that paragraph (diacritics, quote marks and spacing may differ)",
            )
            continue
        found.append(Citation(paragraph, quote.strip(), passage, _sentence_of(article, passage)))
    return found


def _options(check: _Checker, q: dict, path: Path_, low: int) -> list[Option]:
    raw = q.get("options")
    if not isinstance(raw, dict) or not raw:
        check.add(path, "'options' must be a mapping of keys a..f to option texts")
        return []
    if not low <= len(raw) <= 6:
        check.add((*path, "options"), f"give {low} to 6 options (found {len(raw)})")
    notes = q.get("misconceptions") or {}
    if not isinstance(notes, dict):
        check.add((*path, "misconceptions"), "'misconceptions' must map wrong option keys to notes")
        notes = {}
    options: list[Option] = []
    for key, text in raw.items():
        where = (*path, "options", key)
        if not isinstance(key, str) or not OPTION_KEY.match(key):
            check.add((*where, "@key"), f"option key '{key}' must be one of a, b, c, d, e, f")
            continue
        if not isinstance(text, str | int) or not str(text).strip():
            check.add(where, f"option '{key}' needs a text")
            continue
        text = str(text).strip()
        if len(text) > MAX_OPTION_CHARS:
            check.add(
                where,
                f"option '{key}' has {len(text)} characters; buttons show at most "
                f"{MAX_OPTION_CHARS}: shorten it",
            )
        note = notes.get(key)
        if note is not None and (not isinstance(note, str) or len(note) > MAX_ALERT_CHARS):
            check.add(
                (*path, "misconceptions", key),
                f"misconception note for '{key}' must be a text of at most "
                f"{MAX_ALERT_CHARS} characters (a Telegram alert)",
            )
            note = None
        options.append(Option(key, text, note.strip() if isinstance(note, str) else None))
    for key in notes:
        if key not in raw:
            check.add(
                (*path, "misconceptions", key, "@key"),
                f"misconception for '{key}', which is not an option",
            )
    return options


def _answer(
    check: _Checker, q: dict, path: Path_, qtype: QuestionType, options: list[Option]
) -> frozenset[str]:
    raw = q.get("answer")
    where = (*path, "answer")
    if raw is None:
        check.add(path, "missing 'answer'")
        return frozenset()
    if qtype is QuestionType.TRUE_FALSE:
        if not isinstance(raw, bool):
            check.add(where, "a true_false answer must be true or false")
            return frozenset()
        return frozenset({TRUE_KEY if raw else FALSE_KEY})
    keys = [raw] if not isinstance(raw, list) else raw
    if qtype is not QuestionType.MULTI and isinstance(raw, list):
        check.add(where, f"a {qtype} question has exactly one answer key")
        return frozenset()
    if not keys:
        check.add(where, "give at least one answer key")
    option_keys = {o.key for o in options}
    for key in keys:
        # A key must be one of the option letters; a list or mapping here is not a key at all.
        if not isinstance(key, str) or key not in option_keys:
            check.add(
                where,
                f"answer {_shown(key)} is not among the options ({', '.join(sorted(option_keys))})",
            )
    answer = frozenset(k for k in keys if isinstance(k, str))
    if qtype is QuestionType.MULTI and option_keys and answer >= option_keys:
        check.add(where, "a multi question must have at least one wrong option")
    for option in options:
        if option.key in answer and option.misconception:
            check.add(
                (*path, "misconceptions", option.key),
                f"'{option.key}' is a correct answer; misconceptions are for wrong options",
            )
    return answer


def _single_words(check: _Checker, raw: Any, path: Path_, what: str) -> tuple[str, ...] | None:
    """A list of texts that are each one word once normalized, or None after a problem."""
    if not isinstance(raw, list):
        check.add(path, f"{what} must be a list of words")
        return None
    words: list[str] = []
    for index, item in enumerate(raw):
        if isinstance(item, bool) or not isinstance(item, str | int):
            check.add((*path, index), f"{what}: {_shown(item)} is not a word")
            return None
        if len(normalize(str(item)).split()) != 1:
            check.add((*path, index), f"{what}: «{str(item)[:40]}» must be exactly one word")
            return None
        words.append(str(item).strip())
    return tuple(words)


def _match_block(check: _Checker, raw: Any, path: Path_) -> dict[str, Any]:
    """A `match:` block's valid settings (bank or question level); problems for the rest."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        check.add(path, "'match' must be a mapping (see docs/bank-format.md)")
        return {}
    check.unknown_keys(raw, MATCH_KEYS, path, "'match'")
    found: dict[str, Any] = {}
    for key in MATCH_FLAGS:
        if key in raw:
            if isinstance(raw[key], bool):
                found[key] = raw[key]
            else:
                check.add((*path, key), f"'{key}' must be true or false")
    for key in MATCH_WORDS:
        if key in raw:
            words = _single_words(check, raw[key], (*path, key), f"'{key}'")
            if words is not None:
                found[key] = words
    for key in MATCH_GROUPS:
        if key not in raw:
            continue
        groups = raw[key]
        if not isinstance(groups, list):
            check.add((*path, key), f"'{key}' must be a list of groups like [قوة, قوات]")
            continue
        kept: list[tuple[str, ...]] = []
        for index, group in enumerate(groups):
            where = (*path, key, index)
            words = _single_words(check, group, where, f"a group of '{key}'")
            if words is None:
                continue
            if len({normalize(w) for w in words}) != len(words) or len(words) < 2:
                check.add(where, f"a group of '{key}' needs two or more different words")
                continue
            kept.append(words)
        found[key] = tuple(kept)
    seen: dict[str, int] = {}
    for index, group in enumerate((*found.get("synonyms", ()), *found.get("variants", ()))):
        for word in group:
            if seen.setdefault(normalize(word), index) != index:
                check.add(path, f"«{word}» is in two groups: a word may stand for one word only")
    return found


def _rules(check: _Checker, bank: dict[str, Any], own: dict[str, Any], path: Path_) -> MatchRules:
    """The domain's defaults, then the bank's `match:`, then the question's; groups add up."""
    merged = {**bank, **own}
    for key in MATCH_GROUPS:
        merged[key] = (*bank.get(key, ()), *own.get(key, ()))
    inherited = {normalize(w) for key in MATCH_GROUPS for g in bank.get(key, ()) for w in g}
    for key in MATCH_GROUPS:
        for group in own.get(key, ()):
            for word in group:
                if normalize(word) in inherited:
                    check.add(
                        (*path, "match"),
                        f"«{word}» is already in a group of the bank's 'match': a word may "
                        "stand for one word only",
                    )
    return MatchRules(**merged)


def _accepted(check: _Checker, q: dict, path: Path_, rules: MatchRules) -> tuple[str, ...]:
    accepted = q.get("accepted")
    if (
        not isinstance(accepted, list)
        or not accepted
        or not all(
            not isinstance(a, bool) and isinstance(a, str | int) and str(a).strip()
            for a in accepted
        )
    ):
        check.add((*path, "accepted"), "'accepted' must be a non-empty list of answers")
        return ()
    answers = tuple(str(a).strip() for a in accepted)
    for index, answer in enumerate(answers):
        if not normalize(answer):
            check.add(
                (*path, "accepted", index),
                f"accepted answer «{answer[:40]}» has no letters or digits: it would accept "
                "an empty reply",
            )
            return ()
    reported: set[int] = set()
    for i, first in enumerate(answers):
        for j in range(i + 1, len(answers)):
            second = answers[j]
            if i in reported or j in reported:
                continue
            # The later one is reported unless it is the earlier one that adds words.
            if accepted_as(rules, first, second):
                extra, kept, at = second, first, j
            elif accepted_as(rules, second, first):
                extra, kept, at = first, second, i
            else:
                continue
            reported.add(at)
            check.add(
                (*path, "accepted", at),
                f"accepted answer «{extra}» is already accepted as «{kept}» (the same "
                "answer once normalized and matched): remove it",
            )
    return answers


def _question(
    check: _Checker,
    q: Any,
    path: Path_,
    article: Article | None,
    bank_id: str,
    bank_match: dict[str, Any],
) -> Question | None:
    if not isinstance(q, dict):
        check.add(path, "each question must be a mapping with id, type, prompt, …")
        return None
    qid = q.get("id")
    if not isinstance(qid, str) or not QUESTION_ID.match(qid):
        check.add((*path, "id"), f"question id {_shown(qid)} must match {QUESTION_ID.pattern}")
        qid = None
    raw_type = q.get("type")
    try:
        qtype = QuestionType(raw_type)
    except ValueError:
        check.add(
            (*path, "type"),
            f"unknown type {_shown(raw_type)}; use one of "
            f"{', '.join(t.value for t in QuestionType)}",
        )
        return None
    check.unknown_keys(q, COMMON_KEYS | TYPE_KEYS[qtype], path, f"a {qtype} question")
    prompt = check.text(q, "prompt", path)
    explanation = check.text(q, "explanation", path)
    citations = _citations(check, q.get("cite"), (*path, "cite"), article, qid)
    difficulty = q.get("difficulty")
    if difficulty is not None and difficulty not in DIFFICULTIES:
        check.add((*path, "difficulty"), f"difficulty must be one of {', '.join(DIFFICULTIES)}")
    skill = q.get("skill")
    if skill is not None and skill not in SKILLS:
        check.add((*path, "skill"), f"skill must be one of {', '.join(SKILLS)}")
    fields: dict[str, Any] = {}
    options: list[Option] = []
    if qtype in (QuestionType.SINGLE, QuestionType.PEER, QuestionType.MULTI):
        options = _options(check, q, path, 3 if qtype is QuestionType.MULTI else 2)
        fields["answer"] = _answer(check, q, path, qtype, options)
    elif qtype is QuestionType.TRUE_FALSE:
        options = [Option(TRUE_KEY, ""), Option(FALSE_KEY, "")]
        fields["answer"] = _answer(check, q, path, qtype, options)
    elif qtype is QuestionType.SHORT:
        rules = _rules(
            check, bank_match, _match_block(check, q.get("match"), (*path, "match")), path
        )
        fields["match"] = rules
        fields["accepted"] = _accepted(check, q, path, rules)
    elif qtype is QuestionType.EVIDENCE and article is not None:
        _evidence_quotes(check, citations, (*path, "cite"), article)
    elif qtype is QuestionType.DISCUSSION:
        fields["points"] = tuple(_points(check, q.get("points"), (*path, "points"), article))
        min_length = check.integer(q, "min_length", path, 0, 1000)
        fields["min_length"] = min_length or 0
    if qtype is QuestionType.PEER:
        seconds = check.integer(q, "discussion_seconds", path, 10, 900)
        fields["discussion_seconds"] = seconds or 60
    time_limit = check.integer(q, "time_limit", path, 5, 600)
    if bank_id and qid:
        payload = WIDEST_CALLBACK.format(bank=bank_id, question=qid)
        if len(payload.encode()) > MAX_CALLBACK_BYTES:
            check.add((*path, "id"), "bank id plus question id too long for button data")
    size = (
        len(prompt)
        + len(explanation)
        + sum(len(o.text) + len(o.misconception or "") for o in options)
        + sum(len(c.passage.text) for c in citations)
        + sum(
            len(p.text) + sum(len(c.passage.text) for c in p.citations)
            for p in fields.get("points", ())
        )
        + MESSAGE_OVERHEAD
    )
    if size > MAX_MESSAGE_CHARS:
        check.add(
            path,
            f"question renders to about {size} characters; a Telegram message "
            f"holds {MAX_MESSAGE_CHARS}: shorten the prompt, explanation or quotes",
        )
    if qid is None:
        return None
    return Question(
        id=qid,
        type=qtype,
        prompt=prompt,
        explanation=explanation,
        citations=tuple(citations),
        options=tuple(options),
        difficulty=difficulty,
        skill=skill,
        time_limit=time_limit,
        **fields,
    )


def _points(check: _Checker, raw: Any, path: Path_, article: Article | None) -> list[Point]:
    if not isinstance(raw, list) or not raw:
        check.add(path, "'points' must be a list of {text, cite}")
        return []
    points: list[Point] = []
    for index, item in enumerate(raw):
        where = (*path, index)
        if not isinstance(item, dict):
            check.add(where, "each point needs 'text' and 'cite'")
            continue
        check.unknown_keys(item, {"text", "cite"}, where, "a point")
        text = check.text(item, "text", where)
        points.append(
            Point(text, tuple(_citations(check, item.get("cite"), (*where, "cite"), article)))
        )
    return points


def parse_bank(text: str, file: str, articles: ArticleSource) -> tuple[Bank | None, list[Problem]]:
    """Parse and validate one bank's YAML text. Returns the bank (if valid) and its problems."""
    problems: list[Problem] = []
    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(error, "problem", None) or str(error)
        if isinstance(error, yaml.reader.ReaderError):
            line = text.count("\n", 0, error.position) + 1
            reason = f"character #x{error.character:04x} is not allowed in YAML ({error.reason})"
        return None, [Problem(file, line, f"YAML syntax error: {reason}")]
    except RecursionError:
        # PyYAML composes nested collections recursively; no bank is nested this deep.
        return None, [Problem(file, 1, "YAML nested too deeply: a bank is a few levels deep")]
    lines: dict[Path_, int] = {}
    dupes: list[tuple[Any, int]] = []
    if node is not None:
        _line_map(node, lines, dupes)
    check = _Checker(file, lines, problems)
    for key, line in dupes:
        problems.append(Problem(file, line, f"key '{key}' appears twice in the same mapping"))
    if not isinstance(data, dict):
        check.add((), "a bank must be a mapping with id, title, description, article, questions")
        return None, problems
    check.unknown_keys(data, BANK_KEYS, (), "the bank")
    bank_id = data.get("id")
    if not isinstance(bank_id, str) or not BANK_ID.match(bank_id):
        check.add(("id",), f"bank id {_shown(bank_id)} must match {BANK_ID.pattern}")
        bank_id = ""
    title = check.text(data, "title", ())
    description = check.text(data, "description", ())
    level = check.integer(data, "level", (), 1, 99) or 1
    bank_match = _match_block(check, data.get("match"), ("match",))
    peer = _peer_band(check, data.get("peer"), ("peer",))
    article = None
    article_id = data.get("article")
    if not isinstance(article_id, str):
        check.add(("article",), "'article' must name an article in seeds/ (its file stem)")
    else:
        try:
            article = articles(article_id)
        except ArticleError as error:
            check.add(("article",), str(error))
    recorded = data.get("article_sha256")
    if article is not None and recorded != article.sha256:
        check.add(
            ("article_sha256",),
            f"the bank was written from an article with SHA-256 {recorded}, but the "
            f"article now has {article.sha256}: re-check every quote, then update the hash",
        )
    raw_questions = data.get("questions")
    questions: list[Question] = []
    if not isinstance(raw_questions, list) or not raw_questions:
        check.add(("questions",), "'questions' must be a non-empty list")
        raw_questions = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_questions):
        question = _question(check, raw, ("questions", index), article, bank_id, bank_match)
        if question is None:
            continue
        if question.id in seen:
            check.add(
                ("questions", index, "id"),
                f"duplicate question id '{question.id}' (first at line {seen[question.id]})",
            )
            continue
        seen[question.id] = check.line(("questions", index, "id"))
        questions.append(question)
    problems.sort(key=lambda p: p.line)
    if problems:
        return None, problems
    return Bank(
        id=bank_id,
        title=title,
        description=description,
        article_id=str(article_id),
        article_sha256=str(recorded),
        level=level,
        questions=tuple(questions),
        source=file,
        peer=peer,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    ), problems


def _peer_band(check: _Checker, raw: Any, path: Path_) -> PeerBand:
    """The bank's `peer: {low, high}`: percentages 0-100 with low < high; either may be left
    out for its default."""
    default = PeerBand()
    if raw is None:
        return default
    if not isinstance(raw, dict):
        check.add(path, "'peer' must be a mapping such as {low: 35, high: 70}")
        return default
    check.unknown_keys(raw, PEER_KEYS, path, "'peer'")
    bounds = {}
    for key in ("low", "high"):
        value = raw.get(key, getattr(default, key))
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
            check.add((*path, key), f"'peer.{key}' must be a number from 0 to 100 (a percentage)")
            return default
        bounds[key] = float(value)
    if not bounds["low"] < bounds["high"]:
        check.add(
            path, f"'peer.low' ({bounds['low']:g}) must be below 'peer.high' ({bounds['high']:g})"
        )
        return default
    return PeerBand(bounds["low"], bounds["high"])


def article_source(seeds: Path | Sequence[Path]) -> ArticleSource:
    """Load articles from one or more articles folders, once each.

    An id found in two folders is an error naming both files: neither is preferred."""
    folders = [seeds] if isinstance(seeds, Path) else list(seeds)
    cache: dict[str, Article] = {}

    def load(article_id: str) -> Article:
        if article_id not in cache:
            found = [d for d in folders if (d / f"{article_id}.txt").is_file()]
            if len(found) > 1:
                raise ArticleError(
                    f"article id '{article_id}' is in two folders: "
                    + " and ".join(str(d / f"{article_id}.txt") for d in found)
                    + "; rename or remove one of them"
                )
            cache[article_id] = load_article(found[0] if found else folders[0], article_id)
        return cache[article_id]

    return load


def load_banks(files: Iterable[Path], seeds: Path | Sequence[Path]) -> list[Bank]:
    """Load and validate bank files; raise BankError listing every problem in all of them."""
    articles = article_source(seeds)
    banks: list[Bank] = []
    problems: list[Problem] = []
    ids: dict[str, str] = {}
    for path in files:
        if path.is_dir():
            problems.append(Problem(str(path), 1, "is a directory; pass the bank files in it"))
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            problems.append(Problem(str(path), 1, f"cannot read the file as UTF-8: {error}"))
            continue
        bank, found = parse_bank(text, str(path), articles)
        problems.extend(found)
        if bank is None:
            continue
        if bank.id in ids:
            problems.append(
                Problem(str(path), 1, f"bank id '{bank.id}' is also used by {ids[bank.id]}")
            )
            continue
        ids[bank.id] = str(path)
        banks.append(bank)
    if problems:
        raise BankError(problems)
    return sorted(banks, key=lambda b: (b.level, b.id))


def bank_files(folder: Path) -> list[Path]:
    """The bank files of a folder, in name order."""
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])


def main(argv: list[str] | None = None) -> int:
    """Validate the given files (or the default banks) and print every problem."""
    args = argv if argv is not None else sys.argv[1:]
    files = [Path(a) for a in args] or bank_files(shipped_banks())
    try:
        banks = load_banks(files, shipped_seeds())
    except BankError as error:
        for problem in error.problems:
            print(problem)
        return 1
    print(f"{len(banks)} banks, {sum(len(b.questions) for b in banks)} questions: all valid")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
