"""Bank files: the ones in a folder, and every one of them loaded and validated together."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from quizzes.content import shipped_banks, shipped_seeds
from quizzes.errors import BankError, Problem
from quizzes.loader.articles import article_source
from quizzes.loader.bank import parse_bank
from quizzes.model import Bank


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
