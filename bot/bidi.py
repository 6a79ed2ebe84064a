"""Escaping and bidi isolation for text placed inside right-to-left Arabic lines.

Messages use Telegram's HTML parse mode, so every user-provided string goes through `name()`
or `esc()` before it is placed; Latin and number runs are wrapped in first-strong isolates so
that they keep their order inside an Arabic sentence.
"""

from __future__ import annotations

import html
import re

FSI, PDI = "\u2068", "\u2069"
_LTR_RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._\-+/@#:]*[A-Za-z0-9]|[A-Za-z0-9]")


def isolate(text: str) -> str:
    """Wrap Latin and number runs in first-strong isolates so they do not reorder the line."""
    return _LTR_RUN.sub(lambda m: f"{FSI}{m.group(0)}{PDI}", text)


def name(raw: str) -> str:
    """A user-provided name, escaped for HTML and isolated: shown exactly as typed."""
    return f"{FSI}{html.escape(raw, quote=False)}{PDI}"


def esc(text: str) -> str:
    """Escape bank or article text for HTML, isolating embedded Latin runs."""
    return html.escape(isolate(text), quote=False)


def latin(text: str) -> str:
    """A Latin code or link, escaped and isolated inside an Arabic line."""
    return f"{FSI}{html.escape(text, quote=False)}{PDI}"


def strip_html(text: str) -> str:
    """Plain text of a rendered message, for the terminal."""
    text = re.sub(r"<[^>]+>", "", text)
    return html.unescape(text).replace(FSI, "").replace(PDI, "")
