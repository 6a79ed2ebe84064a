"""The `quizbot` command: run the bot, validate banks, play a bank in the terminal."""

from __future__ import annotations

import argparse
import logging
import os
import sqlite3
import sys
import traceback
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from bot import cli_articles
from bot.config import ENVIRONMENT, Config, ConfigError, content_folders, environment_help
from bot.exits import Exit
from bot.formatting import Formatter
from bot.installation import version
from bot.redaction import redact, remember, setup_logging
from quizzes.article import Article
from quizzes.content import Folder
from quizzes.errors import ArticleError, BankError
from quizzes.library import load_library
from quizzes.loader import article_source
from quizzes.model import Bank
from quizzes.reliability import Attempts

if TYPE_CHECKING:
    from storage.health import UnusableDatabase

log = logging.getLogger("quizbot")


def _load(args: argparse.Namespace) -> tuple[list[Bank], Sequence[Path]]:
    """The banks named on the command line, or those the bot loads; and the articles folders.

    Both defaults come from QUIZBOT_BANKS, QUIZBOT_SEEDS and QUIZBOT_CONTENT, combined by the
    same function as for `run`, so what passes here is what the bot will load.
    """
    folders = content_folders()
    seeds = [args.seeds] if args.seeds else folders.article_dirs
    if args.seeds:
        folders = replace(folders, articles=(Folder(args.seeds, False),))
    library = load_library(folders, [Path(f) for f in args.files or []])
    return list(library.banks), seeds


def cmd_validate(args: argparse.Namespace) -> int:
    """Print every problem in the banks; exit 1 if there is any."""
    try:
        banks, seeds = _load(args)
    except BankError as error:
        for problem in error.problems:
            print(problem)
        print(f"{len(error.problems)} problem(s) found", file=sys.stderr)
        return 1
    total = sum(len(b.questions) for b in banks)
    print(f"OK: {len(banks)} banks, {total} questions")
    for bank in banks:
        print(
            f"  {bank.id:<10} level {bank.level}  {len(bank.questions):>3} questions  {bank.source}"
        )
    if args.coverage:
        print(coverage_report(banks, seeds))
    return 0


def cmd_lint(args: argparse.Namespace) -> int:
    """Print every item-writing warning; exit 1 if any is not waived."""
    from quizzes.lint import BankLayout, lint

    try:
        banks, seeds = _load(args)
    except BankError as error:
        for problem in error.problems:
            print(problem)
        print("fix these problems first (quizbot validate)", file=sys.stderr)
        return 1
    layouts = {b.source: BankLayout.read(Path(b.source).read_text(encoding="utf-8")) for b in banks}
    errors = [f"{file}: {p}" for file, layout in layouts.items() for p in layout.problems]
    findings = lint(banks, layouts, article_source(seeds))
    open_findings = [f for f in findings if not f.waived]
    for finding in open_findings:
        print(finding)
    if args.waived:
        for finding in findings:
            if finding.waived:
                print(finding)
    for error in errors:
        print(f"error: {error}")
    waived = len(findings) - len(open_findings)
    print(
        f"{len(open_findings)} warning(s), {waived} waived, over {len(banks)} banks",
        file=sys.stderr,
    )
    return 1 if open_findings or errors else 0


def coverage_report(banks: Sequence[Bank], seeds: Path | Sequence[Path]) -> str:
    """Per article: questions citing each of its paragraphs, and counts per type and skill."""
    source = article_source(seeds)
    lines: list[str] = []
    for article_id in sorted({b.article_id for b in banks}):
        lines.extend(_article_coverage(source(article_id), banks))
    return "\n".join(lines)


def _article_coverage(article: Article, banks: Sequence[Bank]) -> list[str]:
    own = [b for b in banks if b.article_id == article.id]
    per_paragraph: Counter[int] = Counter()
    types: Counter[str] = Counter()
    skills: Counter[str] = Counter()
    for bank in own:
        for q in bank.questions:
            for paragraph in q.paragraphs:
                per_paragraph[paragraph] += 1
            types[q.type.value] += 1
            skills[q.skill or "(none)"] += 1
    lines = [
        "",
        f"Article {article.id}: {article.title} (banks: {', '.join(b.id for b in own)})",
        "Questions citing each paragraph:",
    ]
    for number in range(1, len(article.paragraphs) + 1):
        n = per_paragraph[number]
        lines.append(f"  ¶{number:>2}: {n:>3} {'#' * n}{'  <- not cited' if n == 0 else ''}")
    lines.append("By type:  " + ", ".join(f"{k} {v}" for k, v in sorted(types.items())))
    lines.append("By skill: " + ", ".join(f"{k} {v}" for k, v in sorted(skills.items())))
    return lines


def cmd_run(args: argparse.Namespace) -> int:
    """Start the bot with long polling (or a webhook)."""
    import asyncio

    from bot import eventloop
    from bot.app import build_application
    from bot.startup import TokenRejected, Unreachable, started_lines
    from storage.health import UnusableDatabase, check_path
    from storage.lease import make_lease

    try:
        config = Config.from_env()
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return Exit.USAGE
    setup_logging(config.log_level, config.token, config.webhook_secret)
    try:
        lease = make_lease(config.database, config.bot_id, _lease_lost)
        application = build_application(config, lease=lease)
    except BankError as error:
        print("error: the question banks are invalid; fix these problems first:", file=sys.stderr)
        for problem in error.problems or ["no bank found in " + str(config.banks_dir)]:
            print(f"  {problem}", file=sys.stderr)
        return Exit.FAILED
    except ArticleError as error:
        print(f"error: {error}", file=sys.stderr)
        return Exit.FAILED
    api = config.api_url or "https://api.telegram.org"
    try:
        if config.database_url is None:
            check_path(config.db_path)
        username = asyncio.run(_preflight(config, api))
    except UnusableDatabase as error:
        print(_unusable(error), file=sys.stderr)
        return Exit.DATABASE_UNUSABLE
    except TokenRejected:
        print(_TOKEN_REJECTED, file=sys.stderr)
        return Exit.TOKEN_REJECTED
    except Unreachable as error:
        print(redact(_unreachable(str(error), api)), file=sys.stderr)
        return Exit.API_UNREACHABLE
    log.info(
        "starting on %s: %d banks, database %s",
        eventloop.install(),
        len(application.bot_data.banks),
        config.database_name,
    )
    # On stdout, whatever the log level: the operator's next step is adding the bot to a group.
    print("\n".join(started_lines(username, config.database_name)), flush=True)
    updates = ["message", "callback_query", "my_chat_member"]
    if config.webhook_url:
        # PTB's webhook server answers 403 to any update without this exact secret header.
        log.info(
            "webhook mode: listening on %s:%d/%s",
            config.webhook_listen,
            config.webhook_port,
            config.webhook_path,
        )
        application.run_webhook(
            listen=config.webhook_listen,
            port=config.webhook_port,
            url_path=config.webhook_path,
            webhook_url=config.webhook_url,
            secret_token=config.webhook_secret,
            allowed_updates=updates,
        )
    else:
        application.run_polling(allowed_updates=updates)
    return 0


def _lease_lost(reason: str) -> None:
    """Stop at once, as a killed process would: the standby may be polling already, and a
    graceful stop would poll once more and finish handlers beside it. Every answer this
    process acknowledged is committed; what it had not acknowledged, Telegram hands to the
    standby."""
    log.error("lost the lease: %s; stopping now so that only the standby polls", reason)
    for handler in logging.getLogger().handlers:
        handler.flush()
    os._exit(Exit.LEASE_LOST)


_TOKEN_REJECTED = (
    "error: Telegram rejected the bot token: check TELEGRAM_BOT_TOKEN "
    "(@BotFather shows it under /mybots, API Token)"
)


def _unreachable(reason: str, api: str = "") -> str:
    where = f" at {api}" if api else ""
    return (
        f"error: cannot reach the Telegram Bot API{where}: {reason}; "
        "check the network, or TELEGRAM_API_URL"
    )


def _unusable(error: UnusableDatabase) -> str:
    if error.damaged:
        return (
            f"error: cannot use the database {error}; restore a backup, "
            "or move the file away to start with an empty one"
        )
    return f"error: cannot use the database {error}; check QUIZBOT_DB or QUIZBOT_DATABASE_URL"


async def _preflight(config: Config, api: str) -> str:
    """The database opens and is sound, then getMe answers: the bot's username.

    On asyncio's own loop: eventloop.install() comes after, for the loop PTB makes."""
    from bot.api import make_bot
    from bot.startup import reach_telegram
    from storage.health import check_database

    await check_database(config.database)
    return await reach_telegram(lambda: make_bot(config, None, None), api, config.startup_timeout)


def cmd_backup(args: argparse.Namespace) -> int:
    """Copy the database with SQLite's online backup API (safe while the bot runs)."""
    from storage.backup import backup_database
    from storage.health import UnusableDatabase

    try:
        source = args.db or Config.from_env(need_token=False).db_path
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return Exit.USAGE
    try:
        pages = backup_database(Path(source), Path(args.file))
    except UnusableDatabase as error:
        print(_unusable(error), file=sys.stderr)
        return Exit.DATABASE_UNUSABLE
    except (OSError, ValueError, sqlite3.Error) as error:
        print(f"error: backup failed: {error}", file=sys.stderr)
        return Exit.FAILED
    print(f"backed up {source} to {args.file} ({pages} pages)")
    return Exit.OK


def _export_paths_problem(db: Path | str, out: Path, directory: bool) -> str | None:
    """What is wrong with --db and --out before anything is read or written, if anything."""
    # A PostgreSQL URL has no file to look at: check_database says whether it can be used.
    if isinstance(db, Path) and db.is_dir():
        return f"--db {db} is a directory, not a database file"
    if isinstance(db, Path) and not db.is_file():
        return f"no database at {db} (set QUIZBOT_DB or pass --db)"
    if not directory and out.is_dir():
        return f"--out {out} is a directory; give a file name, e.g. {out / 'results.csv'}"
    if directory and out.exists() and not out.is_dir():
        return f"--out {out} is a file; with --all it must be a directory"
    return None


ATTEMPTS_NOTE = {"first": "each student's first attempt", "all": "every attempt"}


def cmd_export(args: argparse.Namespace) -> int:
    """Write one class's results (--chat) or every class's (--all) as CSV or XLSX."""
    import asyncio

    from bot.app import load_content
    from bot.reports.collect import UnknownClass, gather
    from bot.reports.files import write_to_disk
    from storage.health import UnusableDatabase, check_database, explain
    from storage.repository import Repository

    try:
        config = Config.from_env(need_token=False)
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return Exit.USAGE
    # --db names a SQLite file; without it the bot's own database, which may be PostgreSQL.
    db: Path | str = Path(args.db) if args.db else config.database
    problem = _export_paths_problem(db, args.out, args.all)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return Exit.USAGE
    try:
        articles, banks = load_content(config)
    except (BankError, ArticleError) as error:
        print(f"error: cannot load the banks: {error}", file=sys.stderr)
        return Exit.FAILED

    async def read() -> list:
        await check_database(db)
        try:
            async with Repository(db) as repo:
                return await gather(repo, banks, args.chat, config.teacher_ids)
        except sqlite3.Error as error:
            raise explain(Path(db), error) from error

    try:
        classes = asyncio.run(read())
    except UnknownClass as error:
        print(f"error: {error}", file=sys.stderr)
        return Exit.USAGE
    except UnusableDatabase as error:
        print(_unusable(error), file=sys.stderr)
        return Exit.DATABASE_UNUSABLE
    try:
        written = write_to_disk(
            classes,
            banks,
            articles,
            config.tz,
            fmt=args.format,
            formatter=Formatter(config.digits),
            out=args.out,
            directory=args.all,
            attempts=Attempts(args.attempts),
        )
    except OSError as error:
        print(f"error: cannot write the export: {error}", file=sys.stderr)
        return Exit.FAILED
    for item in written:
        files = ", ".join(str(p) for p in item.paths)
        print(f"class {item.chat_id} ({item.title}): {item.results} results -> {files}")
    if written and args.format == "xlsx":
        print(f"item statistics from {ATTEMPTS_NOTE[args.attempts]} (--attempts {args.attempts})")
    if not written:
        print("no class found: the bot has not been used in any group yet")
    return Exit.OK


def cmd_play(args: argparse.Namespace) -> int:
    """Play a bank in the terminal."""
    from bot.terminal import play
    from bot.terminal_screen import BidiModeError, choose_bidi

    try:
        banks, seeds = _load(args)
    except BankError as error:
        for problem in error.problems:
            print(problem)
        return 1
    by_id = {b.id: b for b in banks}
    if args.bank not in by_id:
        print(f"error: no bank '{args.bank}'; available: {', '.join(by_id)}", file=sys.stderr)
        return 2
    try:
        bidi = args.bidi or choose_bidi(os.environ, sys.stdout.isatty())
    except BidiModeError as error:
        print(f"error: {error}", file=sys.stderr)
        return Exit.USAGE
    article = article_source(seeds)(by_id[args.bank].article_id)
    return play(
        by_id[args.bank],
        article,
        sys.stdin,
        sys.stdout,
        seed=args.seed,
        digits=args.digits,
        bidi=bidi,
    )


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="quizbot", description="Arabic discussion-quiz bot.")
    root.add_argument("--version", action="version", version=f"quizbot {version()}")
    sub = root.add_subparsers(dest="command", required=True)

    run = sub.add_parser(
        "run",
        help="start the Telegram bot (needs TELEGRAM_BOT_TOKEN)",
        description="Start the Telegram bot: long polling, or a webhook if QUIZBOT_WEBHOOK_URL\n"
        "is set. The exit codes are listed in docs/cli.md.",
        epilog=environment_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.set_defaults(func=cmd_run)

    backup = sub.add_parser("backup", help="copy the database safely, even while the bot runs")
    backup.add_argument("file", help="where to write the copy")
    backup.add_argument("--db", type=Path, default=None, help="database (default: QUIZBOT_DB)")
    backup.set_defaults(func=cmd_backup)

    export = sub.add_parser(
        "export",
        help="write a class's results as CSV or XLSX (teachers get the same with /export)",
        description="CSV writes two UTF-8 files (with BOM): the results at --out and one row "
        "per answer beside it, with an -answers suffix (results.csv, results-answers.csv).",
    )
    which = export.add_mutually_exclusive_group(required=True)
    which.add_argument("--chat", type=int, help="the class's group chat id, e.g. -1001234567890")
    which.add_argument("--all", action="store_true", help="every class; --out is then a directory")
    export.add_argument("--format", choices=["csv", "xlsx"], required=True)
    export.add_argument("--out", type=Path, required=True, help="output file (or directory)")
    export.add_argument("--db", type=Path, default=None, help="database (default: QUIZBOT_DB)")
    export.add_argument(
        "--attempts",
        choices=[a.value for a in Attempts],
        default=Attempts.FIRST.value,
        help="item statistics (XLSX) from each student's first attempt, as Moodle does "
        "(default), or from all attempts; the CSV files always hold every attempt",
    )
    export.set_defaults(func=cmd_export)

    validate = sub.add_parser("validate", help="check bank files and print every problem")
    validate.add_argument(
        "files", nargs="*", help="bank files (default: those the bot loads, see QUIZBOT_BANKS)"
    )
    validate.add_argument(
        "--coverage",
        action="store_true",
        help="also show questions per paragraph, per type and per skill",
    )
    validate.add_argument("--seeds", type=Path, default=None, help=argparse.SUPPRESS)
    validate.set_defaults(func=cmd_validate)

    lint = sub.add_parser(
        "lint",
        help="flag guessable or unfair items (warnings with file:line; exit 1 if any)",
        description="Checks what validate cannot: a key that stands out by length or hedging, "
        "'all of the above', duplicate items, lopsided keys, uncited paragraphs, and "
        "explanations that credit the article with an attributed claim. A question (or the "
        "bank) waives a check with  waive: {CHECK: REASON}.",
    )
    lint.add_argument("files", nargs="*", help="bank files (default: the shipped banks)")
    lint.add_argument("--waived", action="store_true", help="also list the waived warnings")
    lint.add_argument("--seeds", type=Path, default=None, help=argparse.SUPPRESS)
    lint.set_defaults(func=cmd_lint)

    play = sub.add_parser("play", help="take a bank in the terminal, without Telegram")
    play.add_argument("bank", help="bank id, e.g. facts")
    play.add_argument(
        "--files", nargs="*", help="bank files to load (default: those the bot loads)"
    )
    play.add_argument("--seed", type=int, default=None, help="shuffle seed, for a fixed order")
    play.add_argument("--digits", choices=["arabic", "western"], default="arabic")
    play.add_argument(
        "--bidi",
        choices=["visual", "logical"],
        default=None,
        help="Arabic for terminals that do not lay out right-to-left text (visual: xterm, tmux) "
        "or that do (logical: GNOME Terminal, Konsole); default: QUIZBOT_BIDI, else a guess "
        "from the terminal (docs/cli.md)",
    )
    play.add_argument("--seeds", type=Path, default=None, help=argparse.SUPPRESS)
    play.set_defaults(func=cmd_play)

    # Articles and starter banks live in their own module.
    cli_articles.add_parsers(sub.add_parser)
    from bot.cli_interop import register as register_interop

    register_interop(sub.add_parser)
    from bot.cli_db import register as register_db

    register_db(sub.add_parser)
    return root


def _remember_environment_secrets() -> None:
    """Redact the secrets set in the environment from anything printed, even before logging
    is set up (a traceback from a bug can hold them too)."""
    found = {v.name: os.environ.get(v.name, "").strip() for v in ENVIRONMENT if v.secret}
    remember(found.pop("TELEGRAM_BOT_TOKEN", ""), *found.values())


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that Python's own flush at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real stdout (tests capture it)
        pass


def _late_telegram_failure(error: Exception) -> int | None:
    """A rejected token or a lost network raised by PTB once `run` is past its own checks (the
    token revoked a moment later): the same line and code as at the check."""
    telegram_errors = sys.modules.get("telegram.error")
    if telegram_errors is None:
        return None
    if isinstance(error, telegram_errors.InvalidToken):
        print(_TOKEN_REJECTED, file=sys.stderr)
        return Exit.TOKEN_REJECTED
    if isinstance(error, telegram_errors.NetworkError):
        print(redact(_unreachable(str(error))), file=sys.stderr)
        return Exit.API_UNREACHABLE
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run a subcommand; every failure ends in a line on stderr and an exit code (bot/exits.py)."""
    _remember_environment_secrets()
    try:
        args = parser().parse_args(argv)
        code = args.func(args)
        sys.stdout.flush()  # inside the try: a closed pipe shows up here, not at exit
        return code
    except BrokenPipeError:
        # The reader (`| head`) has all it wanted: stop quietly.
        _silence_stdout()
        return Exit.BROKEN_PIPE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return Exit.INTERRUPTED
    except Exception as error:
        late = _late_telegram_failure(error)
        if late is not None:
            return late
        sys.stderr.write(redact(traceback.format_exc()))
        print("error: unexpected failure (a bug; the traceback above says where)", file=sys.stderr)
        return Exit.INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())
