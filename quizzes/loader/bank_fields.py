"""The bank's own fields: its id, the keys a bank may have, and the peer band."""

from __future__ import annotations

import re
from typing import Any

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
