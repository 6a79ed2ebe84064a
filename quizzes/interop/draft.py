"""A draft bank (YAML text) from imported questions: what the file gave, and a TODO for the rest.

A question whose feedback holds no cited passage gets an empty `quote:` with a TODO, so that
`quizbot validate` names each question still missing one. Citations written by our own export
(the Wording's quote line) are read back, so a bank survives GIFT and back.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from quizzes.article import Article
from quizzes.interop.imported import Imported
from quizzes.interop.plan import Wording
from quizzes.loader import QUESTION_ID

SUPPORTED = {"multichoice", "truefalse", "shortanswer"}
MAX_OPTIONS = 6
KEYS = "abcdef"


@dataclass
class Drafted:
    """What an import made: the ids written, those needing a quote, and what was left out."""

    written: list[str] = field(default_factory=list)
    need_quote: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)


def _s(text: str) -> str:
    # JSON strings are YAML double-quoted scalars; Arabic stays as it is.
    return json.dumps(text, ensure_ascii=False)


def bank_id_from(stem: str) -> str:
    """A bank id ([a-z0-9_]{1,16}) made from a file name."""
    cleaned = re.sub(r"[^a-z0-9_]+", "_", stem.lower()).strip("_")[:16].strip("_")
    return cleaned or "imported"


def _quote_pattern(wording: Wording) -> re.Pattern[str]:
    pattern = re.escape(wording.quote)
    pattern = pattern.replace(re.escape("{quote}"), "(?P<quote>.+)")
    pattern = pattern.replace(re.escape("{paragraph}"), r"(?P<paragraph>\d+)")
    return re.compile(f"^{pattern}$")


def _explanation_and_cites(feedback: str, wording: Wording) -> tuple[str, list[tuple[int, str]]]:
    quote = _quote_pattern(wording)
    kept: list[str] = []
    cites: list[tuple[int, str]] = []
    for line in feedback.split("\n"):
        match = quote.match(line.strip())
        if match:
            cites.append((int(match.group("paragraph")), match.group("quote")))
        elif line.strip():
            kept.append(line.strip())
    return " ".join(kept), cites


def _ids(questions: list[Imported]) -> list[str]:
    taken: set[str] = set()
    ids: list[str] = []
    for number, question in enumerate(questions, start=1):
        name = question.name.strip()
        qid = name if QUESTION_ID.match(name) and name not in taken else f"q{number:02d}"
        while qid in taken:
            qid += "_"
        taken.add(qid)
        ids.append(qid)
    return ids


def _choices(q: Imported, notes: list[str]) -> list[str]:
    choices = list(q.choices)
    if len(choices) > MAX_OPTIONS:
        dropped = ", ".join(f"«{c.text}»" for c in choices[MAX_OPTIONS:])
        notes.append(f"the bot shows at most {MAX_OPTIONS} options: left out {dropped}")
        choices = choices[:MAX_OPTIONS]
    keyed = list(zip(KEYS, choices, strict=False))
    lines = [f"    type: {'single' if q.single else 'multi'}", "    options:"]
    lines += [f"      {key}: {_s(c.text)}" for key, c in keyed]
    if q.single:
        right = [key for key, c in keyed if c.fraction >= 0.999]
        if len(right) == 1:
            lines.append(f"    answer: {right[0]}")
        else:
            notes.append("the file gives no single fully right answer: choose it")
            lines.append("    answer:   # TODO: the key of the right option")
        for _, c in keyed:
            if 0 < c.fraction < 0.999:
                notes.append(f"partial credit ({c.fraction:.0%}) for «{c.text}» not kept")
    else:
        right = [key for key, c in keyed if c.fraction > 0]
        lines.append(f"    answer: [{', '.join(right)}]")
    wrong = [(key, c.feedback) for key, c in keyed if c.feedback and key not in right]
    for key, c in keyed:
        if c.feedback and key in right:
            notes.append(f"feedback on the right option «{c.text}» not kept: «{c.feedback}»")
    if wrong:
        lines.append("    misconceptions:")
        lines += [f"      {key}: {_s(text)}" for key, text in wrong]
    return lines


def _body(q: Imported, notes: list[str]) -> list[str]:
    if q.kind == "multichoice":
        return _choices(q, notes)
    if q.kind == "truefalse":
        for choice in q.choices:
            if choice.feedback:
                notes.append(f"feedback for answering {choice.text} not kept: «{choice.feedback}»")
        return ["    type: true_false", f"    answer: {'true' if q.truth else 'false'}"]
    accepted = [c.text for c in q.choices if c.fraction >= 0.999 and c.text]
    for choice in q.choices:
        if choice.fraction < 0.999:
            notes.append(f"partial credit ({choice.fraction:.0%}) for «{choice.text}» not kept")
        if choice.feedback:
            notes.append(f"feedback for «{choice.text}» not kept: «{choice.feedback}»")
        if "*" in choice.text:
            notes.append(f"«{choice.text}»: * is Moodle's wildcard; the bot compares words")
    return ["    type: short", f"    accepted: [{', '.join(_s(a) for a in accepted)}]"]


def _title(questions: list[Imported]) -> str:
    category = next((q.category for q in questions if q.category), "")
    name = category.rstrip("/").rsplit("/", 1)[-1].strip()
    if name and name not in ("$course$", "top"):
        return f"title: {_s(name)}"
    return 'title: ""  # TODO: the Arabic title on the bank button'


def draft_bank(
    questions: list[Imported],
    article: Article,
    wording: Wording,
    *,
    bank_id: str,
    source: str,
) -> tuple[str, Drafted]:
    """The draft bank's YAML text, and what went into it."""
    report = Drafted()
    usable = [q for q in questions if q.kind in SUPPORTED]
    for q in questions:
        if q.kind not in SUPPORTED:
            label = f"::{q.name}:: " if q.name else ""
            report.left_out.append(f"line {q.line}: {label}({q.kind}) {q.text[:60]}")
    lines = [
        f"# Draft bank imported from {source} by quizbot import-bank.",
        "# Fill in every TODO (each quote copied from the article), then: quizbot validate",
        f"id: {bank_id}",
        _title(questions),
        'description: ""  # TODO: one or two Arabic sentences about the bank',
        f"article: {article.id}",
        f"article_sha256: {article.sha256}",
        "level: 1",
        "questions:",
    ]
    for qid, q in zip(_ids(usable), usable, strict=True):
        notes: list[str] = []
        body = _body(q, notes)
        explanation, cites = _explanation_and_cites(q.general_feedback, wording)
        block = [f"  - id: {qid}"]
        if q.name and q.name != qid:
            block.append(f"    # named in the file: {' '.join(q.name.split())}")
        block += [f"    # note: {' '.join(n.split())}" for n in notes]
        block.insert(1, body[0])
        block.append(f"    prompt: {_s(q.text)}")
        block += body[1:]
        if explanation:
            block.append(f"    explanation: {_s(explanation)}")
        else:
            block.append('    explanation: ""  # TODO: why the answer is right, in Arabic')
        block.append("    cite:")
        if cites:
            for paragraph, quote in cites:
                block += [f"      - paragraph: {paragraph}", f"        quote: {_s(quote)}"]
        else:
            report.need_quote.append(qid)
            block += [
                "      - paragraph: 1  # TODO: the paragraph the answer rests on",
                '        quote: ""  # TODO: copy the words from that paragraph',
            ]
        lines += block
        lines.append("")
        report.written.append(qid)
    if not usable:
        lines.append("  []  # TODO: no question of the file could be imported")
    if report.left_out:
        lines.append("# Not imported (the bot has no such type; write them by hand):")
        lines += [f"#   {item}" for item in report.left_out]
    return "\n".join(lines).rstrip() + "\n", report
