"""Online backup of the database file with SQLite's backup API, safe while the bot runs."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from storage.health import UnusableDatabase, damaged, explain

PAGES_PER_STEP = 256  # small steps, so the bot's writers are never blocked for long


def backup_database(source: Path, target: Path) -> int:
    """Copy `source` to `target` page by page; return the number of pages copied.

    The copy is a consistent snapshot even if the bot writes meanwhile: SQLite restarts the
    step sequence when the source changes under it. It is written to `<target>.partial` and
    renamed only once checked, so `target` is never half-written; on any failure (an
    interrupt included) the partial file is removed. Raises UnusableDatabase when the source
    is not a SQLite database or is damaged.
    """
    if not source.is_file():
        raise FileNotFoundError(f"no database at {source}")
    if target.is_dir():
        raise IsADirectoryError(f"{target} is a directory; give the backup a file name")
    if target.resolve() == source.resolve():
        raise ValueError("the backup must go to another file than the database itself")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    # A partial file left by a crash is not ours to keep, and may not even be a database.
    partial.unlink(missing_ok=True)
    pages = 0

    def progress(status: int, remaining: int, total: int) -> None:
        nonlocal pages
        pages = total

    try:
        _copy(source, partial, progress)
        # Rename only a complete, checked copy over the target.
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return pages


def _copy(source: Path, partial: Path, progress: Callable[[int, int, int], None]) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.execute("PRAGMA busy_timeout = 5000")
            src.backup(dst, pages=PAGES_PER_STEP, progress=progress)
            check = dst.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as error:
            # The copy is fresh: whatever damage it shows came from the source.
            if damaged(error):
                raise explain(source, error) from error
            raise
        finally:
            dst.close()
    finally:
        src.close()
    if check != "ok":
        reason = f"damaged: its copy failed the integrity check ({check})"
        raise UnusableDatabase(source, reason, damaged=True)
