"""Logging for `quizbot`: one stderr handler whose output never contains the bot's secrets.

Redaction happens on the formatted text, after the message, its arguments, the traceback
(exc_info, exc_text) and stack_info have all been joined into one string: whatever part of a
record carries the token, it cannot get past. PTB's own InvalidToken message, httpx's request
URLs and a self-hosted server's URL all contain the token.
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO
from urllib.parse import quote

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
TOKEN_MARK = "<token>"
SECRET_MARK = "<secret>"

# Shorter "secrets" (a test's token "1:x") are not worth turning every such run of letters in
# the logs into a mark; a real token has over 40 characters.
MIN_LENGTH = 6

# Secret text -> the mark that replaces it, filled by `remember`; and its keys, longest first.
_secrets: dict[str, str] = {}
_order: list[str] = []


def _variants(secret: str) -> set[str]:
    """The forms a secret takes in text: as is, and percent-encoded as in a URL."""
    if len(secret) < MIN_LENGTH:
        return set()
    return {secret, quote(secret, safe=""), quote(secret)}


def remember(token: str = "", *others: str) -> None:
    """Redact the bot token, its secret half (after the colon, which may be printed on its
    own) and any other secret from now on."""
    for form in _variants(token):
        _secrets[form] = TOKEN_MARK
    for form in _variants(token.partition(":")[2]):
        _secrets.setdefault(form, TOKEN_MARK)
    for secret in others:
        for form in _variants(secret):
            _secrets.setdefault(form, SECRET_MARK)
    _order[:] = sorted(_secrets, key=len, reverse=True)


def forget_all() -> None:
    """Drop every remembered secret (for tests that install logging several times)."""
    _secrets.clear()
    _order.clear()


def redact(text: str) -> str:
    """`text` with every remembered secret replaced by a mark."""
    for secret in _order:
        if secret in text:
            text = text.replace(secret, _secrets[secret])
    return text


def _safe_repr(value: object) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(_safe_repr(item) for item in value) + ")"
    try:
        return repr(value)
    except Exception:
        return f"<unprintable {type(value).__name__}>"


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then redacts the whole text; a record that cannot be formatted (wrong
    %-arguments, a __str__ that raises) becomes one line saying so instead of an exception."""

    def format(self, record: logging.LogRecord) -> str:
        try:
            text = super().format(record)
        except Exception as error:
            text = (
                f"{self.formatTime(record)} {record.levelname} {record.name}: unformattable log "
                f"call at {record.pathname}:{record.lineno}: msg={_safe_repr(record.msg)} "
                f"args={_safe_repr(record.args)} ({type(error).__name__})"
            )
        # Formatting cached these on the record; later handlers must not get them in clear.
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if getattr(record, "message", None):
            record.message = redact(record.message)
        return redact(text)


class RedactingHandler(logging.StreamHandler):
    """A stream handler that, if writing itself fails, says so in one redacted line instead
    of logging's own report (which prints the record's arguments, token included)."""

    def handleError(self, record: logging.LogRecord) -> None:
        error = sys.exc_info()[1]
        try:
            sys.__stderr__.write(redact(f"logging failed: {type(error).__name__}: {error}\n"))
        except Exception:
            pass


def setup_logging(
    level: str, token: str = "", *others: str, stream: TextIO | None = None
) -> logging.Handler:
    """Log to stderr (or `stream`) at `level`, with `token` and `others` redacted everywhere,
    warnings included. Calling it again replaces the handler it installed before."""
    remember(token, *others)
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, RedactingHandler)]:
        root.removeHandler(old)
    handler = RedactingHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(RedactingFormatter(FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every request URL at INFO, and the URL contains the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # Warnings (PTB's among them) then go through the handler above, redacted too.
    logging.captureWarnings(True)
    return handler
