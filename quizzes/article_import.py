"""Turning a teacher's text file into an article: normalized text, paragraphs, metadata.

Pure functions on bytes and strings; writing the files is the caller's part.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import yaml

from quizzes.errors import QuizError

# Every break str.splitlines() honours: the loader numbers paragraphs with it, so none of
# these may survive inside a paragraph.
_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Invisible characters that copy-paste leaves behind and that mean nothing in an article:
# zero-width space, word joiner, BOM, soft hyphen, direction marks and embeddings.
# ZWNJ and ZWJ stay: they shape letters in Persian and Urdu words.
_JUNK = re.compile("[\u200b\u2060\ufeff\u00ad\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"[^\S\n]+")
# A line that ends a sentence (or a quotation) ends a paragraph in a one-per-line file.
_SENTENCE_END = re.compile(r"[.!?؟:؛…»\"”')\]]$")
ARTICLE_ID = re.compile(r"^[a-z0-9_-]{1,32}$")
LINES = "lines"
BLOCKS = "blocks"


class ImportProblem(QuizError):
    """The file cannot become an article; the message says why, for the operator."""


@dataclass(frozen=True)
class Imported:
    """An article ready to write: its text file's bytes and what was detected on the way."""

    paragraphs: tuple[str, ...]
    layout: str  # LINES or BLOCKS
    title_from_first_line: str | None
    spaced: bool = False  # LINES with blank lines between paragraphs, which were dropped

    @property
    def text(self) -> bytes:
        return ("\n".join(self.paragraphs) + "\n").encode("utf-8")

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text).hexdigest()


def decode(raw: bytes, name: str) -> str:
    """The file's text, or ImportProblem if it is empty or not UTF-8."""
    if not raw.strip():
        raise ImportProblem(f"{name} is empty: there is no paragraph to import")
    if b"\x00" in raw:
        raise ImportProblem(
            f"{name} holds NUL bytes: it is not UTF-8 text (UTF-16?); save it as UTF-8"
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ImportProblem(
            f"{name} is not UTF-8 (byte {error.start}: {raw[error.start : error.start + 1]!r}); "
            "save it as UTF-8 and import it again"
        ) from None


def clean_lines(text: str) -> list[str]:
    """NFC, one kind of line break, no invisible junk, single spaces, no edge spaces."""
    text = unicodedata.normalize("NFC", _LINE_BREAKS.sub("\n", text))
    text = _JUNK.sub("", text)
    return [_SPACES.sub(" ", line).strip() for line in text.split("\n")]


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def detect_layout(lines: list[str]) -> str:
    """BLOCKS when blank lines separate hard-wrapped paragraphs, else LINES.

    Wrapped text has blocks of several lines, most of them stopping mid-sentence. A file of
    one paragraph per line can have a stray blank line (two blocks of whole sentences) or a
    title line on top of the first paragraph (one block of two lines among single lines):
    neither is wrapped, so both read as lines, and their blank lines as spacing.
    """
    blocks = _blocks(lines)
    several = [block for block in blocks if len(block) > 1]
    inner = [line for block in several for line in block[:-1]]
    if len(blocks) < 2 or len(several) * 2 <= len(blocks):
        return LINES
    wrapped = sum(1 for line in inner if not _SENTENCE_END.search(line))
    return BLOCKS if wrapped * 2 > len(inner) else LINES


def _looks_like_title(line: str) -> bool:
    return len(line) <= 100 and not _SENTENCE_END.search(line)


def import_text(text: str, *, layout: str | None = None, title: str | None = None) -> Imported:
    """Paragraphs from `text`, as blocks or lines (detected unless given).

    Without a title, a short first line that does not end a sentence is taken as the title
    and is not a paragraph."""
    lines = clean_lines(text)
    layout = layout or detect_layout(lines)
    if layout == BLOCKS:
        paragraphs = [" ".join(block) for block in _blocks(lines)]
    else:
        paragraphs = [line for line in lines if line]
    if not paragraphs:
        raise ImportProblem("the file holds only spaces and invisible characters")
    first = None
    if title is None and len(paragraphs) > 1 and _looks_like_title(paragraphs[0]):
        first, paragraphs = paragraphs[0], paragraphs[1:]
    spaced = layout == LINES and len(_blocks(lines)) > 1
    return Imported(tuple(paragraphs), layout, first, spaced)


def metadata_yaml(article_id: str, title: str, imported: Imported, language: str = "ar") -> str:
    """The metadata file beside the text, with the fields and order of the shipped one."""
    fields = {
        "id": article_id,
        "title": title,
        "language": language,
        "paragraphs": len(imported.paragraphs),
        "sha256": imported.sha256,
    }
    body = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=10_000)
    return "# Metadata of the article beside it; sha256 is of the text file's bytes.\n" + body


def default_id(imported: Imported, existing: set[str]) -> str:
    """`NNN_<first 16 hex of the text's SHA-256>`, NNN one above the highest number in use,
    as the shipped article is `000_<hash16>`."""
    numbers = [int(i[:3]) for i in existing if re.match(r"^\d{3}_", i)]
    return f"{max(numbers, default=0) + 1:03d}_{imported.sha256[:16]}"


def opening(paragraph: str, words: int = 8) -> str:
    """The first words of a paragraph, for a preview."""
    split = paragraph.split()
    return " ".join(split[:words]) + (" …" if len(split) > words else "")
