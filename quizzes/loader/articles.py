"""Articles for the banks: each loaded once, from one or more folders."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from quizzes.article import Article, load_article
from quizzes.errors import ArticleError

ArticleSource = Callable[[str], Article]


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
