"""GIFT in: Moodle's GIFT text read into Imported questions, as Moodle's own importer reads it.

Questions are blocks separated by blank lines; lines starting with // are comments. The
escapes \\~ \\= \\# \\{ \\} \\: \\n and \\\\ are undone only once the structure is parsed.
"""

from __future__ import annotations

import re

from quizzes.interop.imported import Choice, Imported, ReadProblem

# Private-use characters stand for escaped ones while the structure is parsed.
_ESCAPES = {"\\": "\ue05c", ":": "\ue03a", "#": "\ue023", "=": "\ue03d", "{": "\ue07b",
            "}": "\ue07d", "~": "\ue07e", "n": "\ue00a"}  # fmt: skip
_BACK = {v: ("\n" if k == "n" else k) for k, v in _ESCAPES.items()}
_ESCAPED = re.compile(r"\\([\\:#={}~n])")
_WEIGHT = re.compile(r"^%(-?[0-9]+(?:\.[0-9]*)?)%")
_FORMAT = re.compile(r"^\[(moodle|html|plain|markdown)\]")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


def _protect(text: str) -> str:
    return _ESCAPED.sub(lambda m: _ESCAPES[m.group(1)], text)


def _restore(text: str) -> str:
    for placeholder, char in _BACK.items():
        text = text.replace(placeholder, char)
    return _FORMAT.sub("", text.strip()).strip()


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """Blank-line separated blocks with their first line number; comment lines blanked."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        if not line.strip():
            if any(part.strip() for part in current):
                blocks.append((start, current))
            current = []
            continue
        if not current:
            start = number
        current.append("" if line.strip().startswith("//") else line)
    if any(part.strip() for part in current):
        blocks.append((start, current))
    return blocks


def _split_feedback(answer: str) -> tuple[str, str]:
    text, _, feedback = answer.partition("#")
    return _restore(text), _restore(feedback)


def _weighted(answer: str, default: float) -> tuple[float, str]:
    match = _WEIGHT.match(answer)
    if not match:
        return default, answer
    return float(match.group(1)) / 100, answer[match.end() :]


def _multichoice(answers: str) -> tuple[tuple[Choice, ...], bool]:
    single = "=" in answers
    parts = [p.strip() for p in answers.replace("=", "~=").split("~")]
    choices: list[Choice] = []
    for part in filter(None, parts):
        if part.startswith("="):
            fraction, part = 1.0, part[1:]
        else:
            fraction, part = _weighted(part, 0.0)
        text, feedback = _split_feedback(part)
        choices.append(Choice(text, fraction, feedback))
    return tuple(choices), single


def _shortanswer(answers: str) -> tuple[Choice, ...]:
    choices: list[Choice] = []
    for part in filter(None, (p.strip() for p in answers.split("="))):
        fraction, part = _weighted(part, 1.0)
        text, feedback = _split_feedback(part)
        choices.append(Choice(text.replace("\\*", "*"), fraction, feedback))
    return tuple(choices)


def _kind(answers: str) -> str:
    if answers == "":
        return "essay"
    if answers.startswith("#"):
        return "numerical"
    if "~" in answers:
        return "multichoice"
    if "=" in answers and "->" in answers:
        return "match"
    if answers.split("#", 1)[0].strip() in _TRUE_FALSE:
        return "truefalse"
    return "shortanswer"


def _question(line: int, raw: str, category: str) -> Imported | ReadProblem:
    text = _protect(raw.strip())
    name = ""
    if text.startswith("::") and "::" in text[2:]:
        name, text = text[2:].split("::", 1)
        name, text = _restore(name), text.strip()
    start, end = text.find("{"), text.find("}")
    if start < 0 and end < 0:
        return Imported(line, "description", _restore(text), name, category=category)
    if start < 0 or end < start:
        return ReadProblem(line, "unbalanced braces: a question needs one {…} answer part")
    answers = text[start + 1 : end].strip()
    # As Moodle: answers inside the sentence leave a blank where they stood.
    blank = "" if text.endswith("}") else "_____"
    prompt = text[:start] + blank + text[end + 1 :]
    general = ""
    if "####" in answers:
        answers, _, general = answers.rpartition("####")
        answers = answers.strip()
    common = {"name": name, "general_feedback": _restore(general), "category": category}
    kind = _kind(answers)
    prompt = _restore(prompt)
    if kind == "multichoice":
        choices, single = _multichoice(answers)
        if len(choices) < 2:
            return ReadProblem(line, "a multiple-choice question needs at least two answers")
        return Imported(line, kind, prompt, choices=choices, single=single, **common)
    if kind == "truefalse":
        value, _, rest = answers.partition("#")
        wrong, _, right = rest.partition("#")
        truth = _TRUE_FALSE[value.strip()]
        for_true, for_false = (right, wrong) if truth else (wrong, right)
        feedbacks = (Choice("true", 1.0 if truth else 0.0, _restore(for_true)),
                     Choice("false", 0.0 if truth else 1.0, _restore(for_false)))  # fmt: skip
        return Imported(line, kind, prompt, choices=feedbacks, truth=truth, **common)
    if kind == "shortanswer":
        return Imported(line, kind, prompt, choices=_shortanswer(answers), **common)
    return Imported(line, kind, prompt, **common)


def read_gift(text: str) -> tuple[list[Imported], list[ReadProblem]]:
    """Every question of a GIFT file (any Moodle type), and the blocks that are not one."""
    questions: list[Imported] = []
    problems: list[ReadProblem] = []
    category = ""
    for line, lines in _blocks(text):
        raw = "\n".join(lines).strip()
        if raw.startswith("$CATEGORY:"):
            category = raw[len("$CATEGORY:") :].strip()
            continue
        found = _question(line, raw, category)
        (problems if isinstance(found, ReadProblem) else questions).append(found)
    return questions, problems
