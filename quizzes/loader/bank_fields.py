"""The bank's own fields: its id, the keys a bank may have, its article and the peer band."""

from __future__ import annotations

import re
from typing import Any

from quizzes.article import Article
from quizzes.errors import ArticleError
from quizzes.loader.articles import ArticleSource
from quizzes.loader.checker import Checker
from quizzes.loader.yaml_lines import NodePath
from quizzes.model import PeerBand

BANK_ID = re.compile(r"^[a-z0-9_]{1,16}$")
BANK_KEYS = {
    "id",
    "title",
    "description",
    "article",
    "article_sha256",
    "level",
    "match",
    "peer",
    "questions",
    "waive",
}
PEER_KEYS = {"low", "high"}


def read_peer(check: Checker, raw: Any, path: NodePath) -> PeerBand:
    """The bank's `peer: {low, high}`: percentages 0-100 with low < high; either may be left
    out for its default."""
    default = PeerBand()
    if raw is None:
        return default
    if not isinstance(raw, dict):
        check.add(path, "'peer' must be a mapping such as {low: 35, high: 70}")
        return default
    check.unknown_keys(raw, PEER_KEYS, path, "'peer'")
    bounds = {}
    for key in ("low", "high"):
        value = raw.get(key, getattr(default, key))
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
            check.add((*path, key), f"'peer.{key}' must be a number from 0 to 100 (a percentage)")
            return default
        bounds[key] = float(value)
    if not bounds["low"] < bounds["high"]:
        check.add(
            path, f"'peer.low' ({bounds['low']:g}) must be below 'peer.high' ({bounds['high']:g})"
        )
        return default
    return PeerBand(bounds["low"], bounds["high"])


def read_article(check: Checker, data: dict, articles: ArticleSource) -> Article | None:
    """The bank's article, or None after a problem; its hash must be the one the bank records,
    since an edited article may no longer hold the bank's quotes where they were."""
    article = None
    article_id = data.get("article")
    if not isinstance(article_id, str):
        check.add(("article",), "'article' must name an article in seeds/ (its file stem)")
    else:
        try:
            article = articles(article_id)
        except ArticleError as error:
            check.add(("article",), str(error))
    recorded = data.get("article_sha256")
    if article is not None and recorded != article.sha256:
        check.add(
            ("article_sha256",),
            f"the bank was written from an article with SHA-256 {recorded}, but the "
            f"article now has {article.sha256}: re-check every quote, then update the hash",
        )
    return article
