"""quizbot's own log handler in a test: what it writes, and the root logger put back after."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from bot import redaction


@contextmanager
def own_log() -> Iterator[io.StringIO]:
    """A stream for setup_logging(..., stream=); the handler, the root level, the capture of
    warnings and the remembered secrets are undone on leaving."""
    root = logging.getLogger()
    level = root.level
    stream = io.StringIO()
    try:
        yield stream
    finally:
        for handler in [h for h in root.handlers if isinstance(h, redaction.RedactingHandler)]:
            root.removeHandler(handler)
        root.setLevel(level)
        logging.captureWarnings(False)
        redaction.forget_all()
