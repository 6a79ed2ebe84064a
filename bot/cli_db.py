"""`quizbot db copy`: move a school's SQLite data into a (district) PostgreSQL database. The
work is in storage/copy.py; this is the command line. No password is ever printed."""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bot.exits import Exit
from bot.redaction import remember
from storage.urls import is_postgres, redact, sqlite_path

if TYPE_CHECKING:  # asyncpg is imported only when a copy runs
    from storage.copy import CopyReport


def _source(text: str) -> Path | None:
    """The SQLite file of --from: `sqlite:///PATH` or a plain path (None: another URL)."""
    if "://" not in text:
        return Path(text)
    return sqlite_path(text)


def report_lines(report: CopyReport) -> list[str]:
    """The table of counts, one line per table, a mark where the target lacks rows."""
    head = ("table", "source", "target", "added", "updated", "NUL dropped")
    rows = [head] + [
        (c.table, str(c.source), str(c.target), str(c.added), str(c.updated), str(c.cleaned))
        for c in report.counts
    ]
    width = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = []
    for row in rows:
        cells = [row[0].ljust(width[0])] + [
            v.rjust(w) for v, w in zip(row[1:], width[1:], strict=True)
        ]
        mark = ""
        if row is not head and row[1] != row[2]:
            mark = "  <- differs"
        lines.append("  ".join(cells) + mark)
    return lines


def cmd_db_copy(args: argparse.Namespace) -> int:
    """Copy every row of the SQLite database into the PostgreSQL one, then compare counts."""
    import asyncpg

    from storage.copy import CopyRefused, copy_database
    from storage.health import UnusableDatabase, check_database, explain

    target: str = args.to
    password = urlsplit(target).password
    if password:
        remember("", password)  # from now on, in any traceback or log line too
    source = _source(args.source)
    if source is None:
        print(
            f"error: --from must be sqlite:///PATH or a file path, not {redact(args.source)}",
            file=sys.stderr,
        )
        return Exit.USAGE
    if not is_postgres(target):
        print(f"error: --to must be a postgresql:// URL, not {redact(target)}", file=sys.stderr)
        return Exit.USAGE
    if not source.is_file():
        print(f"error: no SQLite database at {source}", file=sys.stderr)
        return Exit.USAGE
    shown = redact(target)

    async def work() -> CopyReport:
        await check_database(source)
        try:
            return await copy_database(source, target)
        except sqlite3.Error as error:
            raise explain(source, error) from error

    try:
        report = asyncio.run(work())
    except UnusableDatabase as error:
        print(f"error: cannot use the database {error}", file=sys.stderr)
        return Exit.DATABASE_UNUSABLE
    except CopyRefused as error:
        print(f"error: copy refused: {error}", file=sys.stderr)
        return Exit.FAILED
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
        reason = str(error).replace(target, shown)
        print(f"error: cannot use the database {shown}: {reason}", file=sys.stderr)
        return Exit.DATABASE_UNUSABLE
    print(f"copied {source} into {shown}")
    print("\n".join(report_lines(report)))
    if not report.committed:
        print(
            "error: some rows of the source are not in the target (marked above);"
            " the copy was rolled back and nothing was written",
            file=sys.stderr,
        )
        return Exit.FAILED
    print("verified: every row of the source is in the target")
    return Exit.OK


def register(add_parser: Callable[..., argparse.ArgumentParser]) -> None:
    """Add `db` (with `copy`) to the quizbot parser (`add_parser` of its subparsers)."""
    db = add_parser("db", help="database tools: copy a school's SQLite data into PostgreSQL")
    sub = db.add_subparsers(dest="db_command", required=True)
    copy = sub.add_parser(
        "copy",
        help="copy every row of a SQLite database into a PostgreSQL one, and verify it",
        description="Copies every table in one transaction, keeping the ids, then counts the "
        "source's rows found in the target and exits 1 (writing nothing) if any is missing. "
        "Safe to run again: rows already there are skipped, rows the school changed since are "
        "brought up to date. Refuses another database's rows with the same ids. See docs/cli.md.",
    )
    copy.add_argument(
        "--from", dest="source", required=True, help="the SQLite file: sqlite:///PATH or PATH"
    )
    copy.add_argument("--to", required=True, help="postgresql://USER:PASSWORD@HOST/DATABASE")
    copy.set_defaults(func=cmd_db_copy)
