"""Online backup of the database file with SQLite's backup API, safe while the bot runs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

PAGES_PER_STEP = 256  # small steps, so the bot's writers are never blocked for long


def backup_database(source: Path, target: Path) -> int:
    """Copy `source` to `target` page by page; return the number of pages copied.

    The copy is a consistent snapshot even if the bot writes meanwhile: SQLite restarts the
    step sequence when the source changes under it.
    """
    if not source.is_file():
        raise FileNotFoundError(f"no database at {source}")
    if target.resolve() == source.resolve():
        raise ValueError("the backup must go to another file than the database itself")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    pages = 0

    def progress(status: int, remaining: int, total: int) -> None:
        nonlocal pages
        pages = total

    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(partial)
    try:
        src.execute("PRAGMA busy_timeout = 5000")
        src.backup(dst, pages=PAGES_PER_STEP, progress=progress)
        check = dst.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise sqlite3.DatabaseError(f"backup failed its integrity check: {check}")
    finally:
        dst.close()
        src.close()
    # Rename only a complete, checked copy over the target.
    partial.replace(target)
    return pages
