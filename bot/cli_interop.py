"""`quizbot export-bank` and `quizbot import-bank`: banks to Moodle (GIFT, Moodle XML) and
GIFT or Aiken files into draft banks. The work is in quizzes/interop; this is the command line.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from bot import texts
from bot.config import content_folders
from bot.exits import Exit
from bot.formatting import Formatter
from quizzes.errors import ArticleError, BankError
from quizzes.interop.aiken import read_aiken
from quizzes.interop.draft import bank_id_from, draft_bank
from quizzes.interop.gift import write_gift
from quizzes.interop.gift_read import read_gift
from quizzes.interop.moodle_xml import write_moodle_xml
from quizzes.interop.plan import Wording
from quizzes.loader import article_source, load_banks
from quizzes.model import Bank

FORMATS = {"gift": write_gift, "moodle-xml": write_moodle_xml}


def wording(fmt: Formatter) -> Wording:
    """The Arabic that goes around exported feedback, from bot/texts.py."""
    return Wording(
        quote=texts.MOODLE_QUOTE,
        points=texts.MOODLE_POINTS,
        point=texts.MOODLE_POINT,
        evidence=texts.MOODLE_EVIDENCE,
        number=fmt.num,
    )


def _bank(args: argparse.Namespace) -> Bank:
    """The bank named by id among the banks the bot loads, or the bank file given."""
    folders = content_folders()
    seeds = args.seeds or folders.article_dirs
    given = Path(args.bank)
    if given.suffix in (".yaml", ".yml") or given.is_file():
        return load_banks([given], seeds)[0]
    banks = load_banks(folders.bank_files(), seeds)
    for bank in banks:
        if bank.id == args.bank:
            return bank
    raise LookupError(f"no bank '{args.bank}'; available: {', '.join(b.id for b in banks)}")


def _write(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")


def cmd_export_bank(args: argparse.Namespace) -> int:
    """Write one bank as GIFT or Moodle XML; say on stderr what went and what did not."""
    digits = os.environ.get("QUIZBOT_DIGITS", "").strip().lower() or "arabic"
    if digits not in ("arabic", "western"):
        print("error: QUIZBOT_DIGITS must be 'arabic' (٠١٢٣) or 'western' (0123)", file=sys.stderr)
        return Exit.USAGE
    fmt = Formatter(digits)
    try:
        bank = _bank(args)
    except BankError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print("error: the bank is invalid; fix it first (quizbot validate)", file=sys.stderr)
        return Exit.FAILED
    except LookupError as error:
        print(f"error: {error.args[0]}", file=sys.stderr)
        return Exit.USAGE
    if args.out is not None and args.out.is_dir():
        print(f"error: --out {args.out} is a directory; give a file name", file=sys.stderr)
        return Exit.USAGE
    text, summary = FORMATS[args.format](bank, wording(fmt), essays=not args.no_essays)
    try:
        _write(text, args.out)
    except OSError as error:
        print(f"error: cannot write {args.out}: {error}", file=sys.stderr)
        return Exit.FAILED
    for line in summary.lines(bank.id, args.format):
        print(line, file=sys.stderr)
    return Exit.OK


def cmd_import_bank(args: argparse.Namespace) -> int:
    """Read a GIFT (.gift) or Aiken (.txt) file into a draft bank for one article."""
    seeds_dir = content_folders().article_dirs
    if args.out is not None and args.out.exists() and not args.force:
        # A draft is where the teacher adds the quotes: never write over one unasked.
        print(f"error: {args.out} exists; choose another --out, or add --force", file=sys.stderr)
        return Exit.USAGE
    try:
        raw = args.file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        print(f"error: cannot read {args.file} as UTF-8: {error}", file=sys.stderr)
        return Exit.USAGE
    try:
        article = article_source(args.seeds or seeds_dir)(args.article)
    except ArticleError as error:
        print(f"error: {error}", file=sys.stderr)
        return Exit.USAGE
    aiken = args.format == "aiken" or (args.format is None and args.file.suffix == ".txt")
    questions, problems = (read_aiken if aiken else read_gift)(raw)
    stem = (args.out or args.file).stem
    text, report = draft_bank(
        questions,
        article,
        wording(Formatter()),  # a draft is edited by hand, in the default digits
        bank_id=args.id or bank_id_from(stem),
        source=args.file.name,
    )
    try:
        _write(text, args.out)
    except OSError as error:
        print(f"error: cannot write {args.out}: {error}", file=sys.stderr)
        return Exit.FAILED
    fmt = "Aiken" if aiken else "GIFT"
    print(f"{len(report.written)} question(s) imported from {fmt}", file=sys.stderr)
    for item in report.left_out:
        print(f"  not imported: {item}", file=sys.stderr)
    for problem in problems:
        print(f"  not read: {args.file}:{problem}", file=sys.stderr)
    if report.need_quote:
        print(
            f"{len(report.need_quote)} need a quote from the article: "
            f"{', '.join(report.need_quote)}; then run quizbot validate",
            file=sys.stderr,
        )
    return Exit.OK


def register(add_parser: Callable[..., argparse.ArgumentParser]) -> None:
    """Add export-bank and import-bank to the quizbot parser (`add_parser` of its subparsers)."""
    export = add_parser(
        "export-bank",
        help="write a bank as GIFT or Moodle XML for Moodle's question import",
        description="Multiple choice, multiple answer, true/false and short answer go over "
        "as they are; peer questions as multiple choice; discussion and evidence items as "
        "essays graded by hand (or left out with --no-essays). stderr says what went.",
    )
    export.add_argument("bank", help="bank id (e.g. facts) or a bank file")
    export.add_argument("--format", choices=sorted(FORMATS), required=True)
    export.add_argument("--out", type=Path, default=None, help="output file (default: stdout)")
    export.add_argument(
        "--no-essays", action="store_true", help="leave discussion and evidence items out"
    )
    export.add_argument("--seeds", type=Path, default=None, help=argparse.SUPPRESS)
    export.set_defaults(func=cmd_export_bank)

    imp = add_parser(
        "import-bank",
        help="read a GIFT or Aiken file into a draft bank (YAML) for an article",
        description="Multiple choice, multiple answer, true/false and short answer are "
        "imported; other GIFT types are listed, not dropped. Each question without a cited "
        "passage gets an empty quote: marked TODO, which quizbot validate then names.",
    )
    imp.add_argument("file", type=Path, help="a .gift file (GIFT) or .txt file (Aiken)")
    imp.add_argument("--article", required=True, help="the article id (file stem in seeds/)")
    imp.add_argument("--out", type=Path, default=None, help="draft bank file (default: stdout)")
    imp.add_argument("--format", choices=["gift", "aiken"], default=None, help="override")
    imp.add_argument("--id", default=None, help="bank id (default: from the file name)")
    imp.add_argument("--force", action="store_true", help="write over an existing --out file")
    imp.add_argument("--seeds", type=Path, default=None, help=argparse.SUPPRESS)
    imp.set_defaults(func=cmd_import_bank)
