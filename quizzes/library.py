"""The banks and articles of every content folder, loaded as one: what the bot and every
`quizbot` subcommand read, so that what validates is what the bot serves."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from quizzes.article import Article
from quizzes.content import ContentFolders
from quizzes.errors import BankError, Problem
from quizzes.loader import article_source, load_banks
from quizzes.model import Bank


@dataclass(frozen=True)
class Library:
    """Valid banks in level order, and the article of each (by article id)."""

    banks: tuple[Bank, ...]
    articles: dict[str, Article]


def load_library(folders: ContentFolders, files: Sequence[Path] | None = None) -> Library:
    """Load `files` (default: every bank of every banks folder) against every articles folder.

    Raises BankError listing every problem, a bank or article id found twice among them too
    (in any folder, used or not: which copy a teacher meant cannot be guessed)."""
    paths = list(files) if files else folders.bank_files()
    if not paths:
        where = ", ".join(str(f.path) for f in folders.banks)
        raise BankError([Problem(where, 1, "no bank file (*.yaml) in this folder")])
    clashes = [
        Problem(
            str(later), 1, f"article id '{first.stem}' is also in {first}; rename or remove one"
        )
        for first, *others in folders.article_texts().values()
        for later in others
    ]
    try:
        banks = load_banks(paths, folders.article_dirs)
    except BankError as error:
        raise BankError(clashes + error.problems) from None
    if clashes:
        raise BankError(clashes)
    source = article_source(folders.article_dirs)
    articles = {a: source(a) for a in sorted({b.article_id for b in banks})}
    return Library(tuple(banks), articles)
