"""Where the banks and articles are: the shipped ones, and a teacher's own folder beside them.

A wheel carries the top-level seeds/ folder as quizzes/seeds (see pyproject.toml), so an
install never depends on the folder it was built from. A source or editable checkout has no
quizzes/seeds, and reads seeds/ where it lies.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml


def _package_dir() -> Path:
    # Installs are unpacked on disk (pip never runs a wheel from a zip), so this is a real path.
    return Path(str(resources.files("quizzes")))


def shipped_banks() -> Path:
    """The folder of the banks that come with quizbot."""
    return _package_dir() / "banks"


def shipped_seeds() -> Path:
    """The folder of the article that comes with quizbot, and its metadata."""
    installed = _package_dir() / "seeds"
    if installed.is_dir():
        return installed
    return _package_dir().parent / "seeds"


@dataclass(frozen=True)
class Folder:
    """One folder of banks or of articles, and whether it is the one quizbot ships."""

    path: Path
    shipped: bool

    @property
    def label(self) -> str:
        return "shipped" if self.shipped else "yours"


@dataclass(frozen=True)
class ContentFolders:
    """Every folder the bot reads banks and articles from, the shipped (or replacing) first.

    All folders are read together; an id found in two of them is an error naming both files,
    because which one a teacher meant cannot be guessed (see docs/bank-format.md).
    """

    banks: tuple[Folder, ...]
    articles: tuple[Folder, ...]

    @property
    def article_dirs(self) -> tuple[Path, ...]:
        return tuple(f.path for f in self.articles)

    def bank_files(self) -> list[Path]:
        """The bank files of every banks folder, folder by folder, in name order."""
        return [
            path
            for folder in self.banks
            for path in sorted([*folder.path.glob("*.yaml"), *folder.path.glob("*.yml")])
        ]

    def article_texts(self) -> dict[str, list[Path]]:
        """Each article id and the text files that carry it (two or more: a collision)."""
        found: dict[str, list[Path]] = {}
        for folder in self.articles:
            for path in sorted(folder.path.glob("*.txt")):
                found.setdefault(path.stem, []).append(path)
        return found

    def bank_articles(self) -> list[tuple[Path, str, str]]:
        """(file, bank id, article id) of every bank file that parses as a mapping, valid or
        not: a listing should still show a bank that does not validate yet."""
        found = []
        for path in self.bank_files():
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, yaml.YAMLError):
                continue
            if isinstance(data, dict):
                found.append((path, str(data.get("id", path.stem)), str(data.get("article", ""))))
        return found

    def folder_of(self, path: Path) -> Folder | None:
        """The folder (banks or articles) a file lies in."""
        for folder in (*self.banks, *self.articles):
            if path.parent.resolve() == folder.path.resolve():
                return folder
        return None

    def own_articles(self) -> Path | None:
        """Where `article add` writes: the teacher's articles folder, if there is one."""
        return next((f.path for f in reversed(self.articles) if not f.shipped), None)

    def own_banks(self) -> Path | None:
        """Where `bank new` writes by default: the teacher's banks folder, if there is one."""
        return next((f.path for f in reversed(self.banks) if not f.shipped), None)


def combine(banks: Path, seeds: Path, own: Path | None = None) -> ContentFolders:
    """The base banks and articles folders (shipped, or replaced by the environment), then a
    teacher's content folder (its banks/ and articles/), each folder once."""

    def folders(base: Path, shipped: Path, extra: Path | None) -> tuple[Folder, ...]:
        listed = [Folder(base, base.resolve() == shipped.resolve())]
        if extra is not None and extra.resolve() != base.resolve():
            listed.append(Folder(extra, False))
        return tuple(listed)

    return ContentFolders(
        banks=folders(banks, shipped_banks(), own / BANKS if own else None),
        articles=folders(seeds, shipped_seeds(), own / ARTICLES if own else None),
    )


# The two folders inside a teacher's content folder (QUIZBOT_CONTENT).
BANKS = "banks"
ARTICLES = "articles"
