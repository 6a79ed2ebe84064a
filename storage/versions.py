"""The content version columns that homework and live sessions share (bank and article hashes)."""

from __future__ import annotations

from quizzes.model import ContentVersion
from storage.base import Row

COLUMNS = ("bank_sha256", "article_id", "article_sha256")


def values(version: ContentVersion | None) -> tuple[str | None, str | None, str | None]:
    if version is None:
        return (None, None, None)
    return (version.bank_sha256, version.article_id, version.article_sha256)


def read(row: Row, prefix: str = "") -> ContentVersion | None:
    """The version stored in a row (its columns named with `prefix`), None for older rows."""
    bank, article_id, article = (row[prefix + c] for c in COLUMNS)
    if article_id is None:
        return None
    return ContentVersion(bank or "", article_id, article or "")
