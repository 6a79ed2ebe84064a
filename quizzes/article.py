"""The article a bank is written from: its paragraphs, passages and sentences."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from quizzes.arabic import fold_for_quote, split_sentences
from quizzes.errors import ArticleError, ParagraphOutOfRange


@dataclass(frozen=True)
class Passage:
    """A span of one paragraph, always in the article's own characters."""

    paragraph: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Article:
    """An article: id, Arabic title, and numbered paragraphs (1-based)."""

    id: str
    title: str
    language: str
    paragraphs: tuple[str, ...]
    sha256: str

    def paragraph(self, number: int) -> str:
        """Return paragraph `number` (1-based), or raise ParagraphOutOfRange."""
        if not 1 <= number <= len(self.paragraphs):
            raise ParagraphOutOfRange(number, len(self.paragraphs))
        return self.paragraphs[number - 1]

    def find(self, paragraph: int, quote: str) -> Passage | None:
        """Find `quote` in a paragraph, ignoring tashkeel, tatweel, quote style and spacing."""
        source = self.paragraph(paragraph)
        folded_source, origin = self._folded[paragraph - 1]
        folded_quote, _ = fold_for_quote(quote.strip())
        if not folded_quote:
            return None
        at = folded_source.find(folded_quote)
        if at < 0:
            return None
        start = origin[at]
        end = origin[at + len(folded_quote) - 1] + 1
        return Passage(paragraph, start, end, source[start:end])

    @cached_property
    def _folded(self) -> tuple[tuple[str, list[int]], ...]:
        return tuple(fold_for_quote(p) for p in self.paragraphs)

    @cached_property
    def sentences(self) -> tuple[Passage, ...]:
        """Every sentence of the article, in order, as passages."""
        found: list[Passage] = []
        for number, text in enumerate(self.paragraphs, start=1):
            for start, end in split_sentences(text):
                found.append(Passage(number, start, end, text[start:end]))
        return tuple(found)


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_article(seeds_dir: Path, article_id: str) -> Article:
    """Load `<seeds_dir>/<article_id>.txt` and its `.yaml` metadata, checking the hash."""
    text_path = seeds_dir / f"{article_id}.txt"
    meta_path = seeds_dir / f"{article_id}.yaml"
    if not text_path.is_file():
        raise ArticleError(f"article text not found: {text_path}")
    if not meta_path.is_file():
        raise ArticleError(f"article metadata not found: {meta_path}")
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8")) or {}
    digest = sha256_of(text_path)
    if meta.get("sha256") != digest:
        raise ArticleError(
            f"{text_path} has SHA-256 {digest}, but {meta_path} records {meta.get('sha256')}: "
            "the article was edited; restore it or re-check every bank written from it"
        )
    paragraphs = tuple(text_path.read_text(encoding="utf-8").splitlines())
    for number, paragraph in enumerate(paragraphs, start=1):
        if not paragraph.strip():
            # Numbering is by line, so a blank line would shift every citation after it.
            raise ArticleError(
                f"{text_path}:{number}: blank line; an article has one paragraph per line and "
                "no empty ones: remove the line, then update sha256 and paragraphs in "
                f"{meta_path.name} (or re-import it with quizbot article add)"
            )
    if "paragraphs" in meta and meta["paragraphs"] != len(paragraphs):
        raise ArticleError(
            f"{text_path} has {len(paragraphs)} paragraphs, metadata says {meta['paragraphs']}"
        )
    return Article(
        id=article_id,
        title=str(meta.get("title", article_id)),
        language=str(meta.get("language", "ar")),
        paragraphs=paragraphs,
        sha256=digest,
    )
