"""Aiken in: Moodle's Aiken format (a question line, lettered options, `ANSWER: X`)."""

from __future__ import annotations

import re

from quizzes.interop.imported import Choice, Imported, ReadProblem

_OPTION = re.compile(r"^([A-Z])[.)]\s+(.*)$")
_ANSWER = re.compile(r"^ANSWER:\s*([A-Z])\s*$")


def read_aiken(text: str) -> tuple[list[Imported], list[ReadProblem]]:
    """Every multiple-choice question of an Aiken file, and what is not one."""
    questions: list[Imported] = []
    problems: list[ReadProblem] = []
    prompt: list[str] = []
    options: list[tuple[str, str]] = []
    start = 0

    def reset() -> None:
        prompt.clear()
        options.clear()

    for number, raw in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        answer = _ANSWER.match(line)
        option = _OPTION.match(line)
        if answer and prompt:
            letters = [letter for letter, _ in options]
            if answer.group(1) not in letters or len(options) < 2:
                problems.append(
                    ReadProblem(start, f"ANSWER: {answer.group(1)} is not one of the options")
                )
            else:
                choices = tuple(
                    Choice(t, 1.0 if letter == answer.group(1) else 0.0) for letter, t in options
                )
                questions.append(Imported(start, "multichoice", " ".join(prompt), choices=choices))
            reset()
        elif option and prompt:
            options.append((option.group(1), option.group(2).strip()))
        elif options:
            problems.append(ReadProblem(start, "a question ends without its ANSWER: line"))
            reset()
            prompt.append(line)
            start = number
        else:
            if not prompt:
                start = number
            prompt.append(line)
    if prompt:
        problems.append(ReadProblem(start, "a question ends without its ANSWER: line"))
    return questions, problems
