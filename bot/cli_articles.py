"""`quizbot article add|list` and `quizbot bank new`: bring a new article and start a bank.

They write only into the teacher's own folders (QUIZBOT_CONTENT, or QUIZBOT_SEEDS and
QUIZBOT_BANKS when they are not the shipped ones); the shipped article is never touched.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

from bot.config import content_folders
from bot.exits import Exit
from quizzes.article import load_article, sha256_of
from quizzes.article_import import (
    ARTICLE_ID,
    BLOCKS,
    LINES,
    ImportProblem,
    decode,
    default_id,
    import_text,
    metadata_yaml,
    opening,
)
from quizzes.content import ContentFolders
from quizzes.errors import ArticleError
from quizzes.loader import BANK_ID, article_source
from quizzes.starter import EXAMPLE, starter_bank

_NO_FOLDER = (
    "error: no folder of your own to write {what} to: set QUIZBOT_CONTENT to a folder "
    "(articles go in its articles/, banks in its banks/); the shipped folders are not written"
)
_LAYOUTS = {LINES: "one paragraph per line", BLOCKS: "blocks separated by blank lines"}


def _fail(message: str, code: Exit) -> int:
    print(f"error: {message}" if not message.startswith("error:") else message, file=sys.stderr)
    return code


def _write_all(files: dict[Path, bytes]) -> None:
    """Write every file or none: each goes to a .partial first, then all are renamed."""
    partials = {path: path.with_name(path.name + ".partial") for path in files}
    try:
        for path, data in files.items():
            partials[path].write_bytes(data)
        for path, partial in partials.items():
            os.replace(partial, path)
    finally:
        for partial in partials.values():
            partial.unlink(missing_ok=True)


def cmd_article_add(args: argparse.Namespace) -> int:
    """Import a text file as an article into the teacher's articles folder."""
    folders = content_folders()
    target = folders.own_articles()
    if target is None:
        return _fail(_NO_FOLDER.format(what="the article"), Exit.USAGE)
    source: Path = args.file
    if not source.is_file():
        what = "a directory" if source.is_dir() else "not found"
        return _fail(f"{source}: {what}; give the article's text file", Exit.USAGE)
    if args.id is not None and not ARTICLE_ID.match(args.id):
        return _fail(
            f"--id {args.id!r} must be 1 to 32 of a-z, 0-9, _ and - (it names the files)",
            Exit.USAGE,
        )
    try:
        text = decode(source.read_bytes(), str(source))
        imported = import_text(text, layout=args.paragraphs, title=args.title)
    except ImportProblem as error:
        return _fail(str(error), Exit.FAILED)
    except OSError as error:
        return _fail(f"cannot read {source}: {error.strerror}", Exit.FAILED)
    existing = folders.article_texts()
    article_id = args.id or default_id(imported, set(existing))
    clash = _clash(existing.get(article_id, []), target, args.force)
    if clash:
        return _fail(clash, Exit.FAILED)
    title = args.title or imported.title_from_first_line or article_id
    meta = metadata_yaml(article_id, title, imported)
    try:
        target.mkdir(parents=True, exist_ok=True)
        _write_all(
            {
                target / f"{article_id}.txt": imported.text,
                target / f"{article_id}.yaml": meta.encode("utf-8"),
            }
        )
    except OSError as error:
        return _fail(f"cannot write to {target}: {error.strerror or error}", Exit.FAILED)
    article = load_article(target, article_id)  # what the bot will read, read back
    print(f"added article {article.id} to {target}")
    print(f"title: {article.title}")
    if imported.title_from_first_line and not args.title:
        print("  (taken from the file's first line, which is not a paragraph; --title to set)")
    elif title == article_id:
        print("  (no title found: the id stands in; pass --title to set one)")
    spacing = " (blank lines between them dropped)" if imported.spaced else ""
    print(f"paragraphs: {len(article.paragraphs)}, read as {_LAYOUTS[imported.layout]}{spacing}")
    for number, paragraph in enumerate(article.paragraphs, start=1):
        print(f"  ¶{number:>2}: {opening(paragraph)}")
    for other, paths in existing.items():
        if other != article_id and any(sha256_of(p) == article.sha256 for p in paths):
            print(f"note: the same text is already article {other}")
    print(f"next: quizbot bank new {article.id}")
    return Exit.OK


def _clash(paths: list[Path], target: Path, force: bool) -> str | None:
    """Why an article id cannot be written, if it is taken."""
    if not paths:
        return None
    mine = [p for p in paths if p.parent.resolve() == target.resolve()]
    if force and mine == paths:
        return None
    hint = "; pass --force to replace it" if mine == paths else "; choose another --id"
    return f"article id '{paths[0].stem}' already exists: {paths[0]}{hint}"


def cmd_article_list(args: argparse.Namespace) -> int:
    """Every article with its id, title, paragraphs and banks, shipped and the teacher's."""
    folders = content_folders()
    banks = folders.bank_articles()
    code = Exit.OK
    texts = folders.article_texts()
    for article_id, paths in sorted(texts.items()):
        if len(paths) > 1:
            both = " and ".join(str(p) for p in paths)
            print(f"{article_id}  error: the same id in two folders: {both}; rename one")
            code = Exit.FAILED
            continue
        folder = folders.folder_of(paths[0])
        label = folder.label if folder else "?"
        try:
            article = load_article(paths[0].parent, article_id)
        except ArticleError as error:
            print(f"{article_id}  [{label}]  error: {error}")
            code = Exit.FAILED
            continue
        print(f"{article.id}  {article.title}  ({len(article.paragraphs)} paragraphs)  [{label}]")
        own = [(p, b) for p, b, a in banks if a == article_id]
        if own:
            listed = ", ".join(f"{b} [{_label(folders, p)}]" for p, b in own)
            print(f"    banks: {listed}")
        else:
            print(f"    banks: none yet (quizbot bank new {article.id})")
    for path, bank_id, article_id in banks:
        if article_id not in texts:
            print(f"bank {bank_id} ({path}) names article '{article_id}', which is not found")
            code = Exit.FAILED
    if not texts:
        print("no article found in " + ", ".join(str(p) for p in folders.article_dirs))
    return code


def _label(folders: ContentFolders, path: Path) -> str:
    folder = folders.folder_of(path)
    return folder.label if folder else "?"


def _bank_id(article_id: str, taken: set[str]) -> str:
    """`a001` for article `001_<hash>` (bank ids show in buttons: short), else a slug."""
    numbered = re.match(r"^(\d{3})_", article_id)
    slug = re.sub(r"[^a-z0-9_]", "", article_id.lower())[:13]
    base = f"a{numbered.group(1)}" if numbered else slug or "bank"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}_{n}"
    return candidate


def cmd_bank_new(args: argparse.Namespace) -> int:
    """Write a starter bank for an article."""
    folders = content_folders()
    try:
        article = article_source(folders.article_dirs)(args.article)
    except ArticleError as error:
        known = ", ".join(sorted(folders.article_texts())) or "none"
        return _fail(f"{error} (articles: {known})", Exit.FAILED)
    taken = {bank_id for _, bank_id, _ in folders.bank_articles()}
    if args.id is not None and not BANK_ID.match(args.id):
        return _fail(f"--id {args.id!r} must be 1 to 16 of a-z, 0-9 and _", Exit.USAGE)
    if args.id in taken:
        return _fail(f"bank id '{args.id}' is already used; choose another --id", Exit.FAILED)
    bank_id = args.id or _bank_id(article.id, taken)
    own = folders.own_banks()
    if args.out is None and own is None:
        return _fail(_NO_FOLDER.format(what="the bank") + ", or pass --out FILE", Exit.USAGE)
    out: Path = args.out or own / f"{bank_id}.yaml"
    if out.is_dir():
        return _fail(f"--out {out} is a directory; give a file name", Exit.USAGE)
    if out.exists() and not args.force:
        return _fail(f"{out} already exists; pass --force to replace it", Exit.FAILED)
    text = starter_bank(article, bank_id)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        _write_all({out: text.encode("utf-8")})
    except OSError as error:
        return _fail(f"cannot write {out}: {error.strerror or error}", Exit.FAILED)
    commented = text.count("\n" + EXAMPLE)
    print(f"wrote {out}: bank {bank_id} for article {article.id} ({article.title})")
    print(f"  1 example question to replace, {commented} more to uncomment, and the")
    print(f"  {len(article.paragraphs)} paragraphs as comments to copy quotes from")
    print(f"next: edit it, then quizbot validate {out} and quizbot lint {out}")
    return Exit.OK


def add_parsers(add_parser: Callable[..., argparse.ArgumentParser]) -> None:
    """Register `article` and `bank` with the `add_parser` of quizbot's subcommands."""
    article = add_parser("article", help="add a new article, or list the articles")
    verbs = article.add_subparsers(dest="verb", required=True)
    add = verbs.add_parser(
        "add",
        help="import a UTF-8 text file as an article (into QUIZBOT_CONTENT/articles)",
        description="Normalizes the text (line breaks, Unicode NFC, spaces, invisible "
        "characters), splits it into paragraphs, and writes ID.txt and ID.yaml.",
    )
    add.add_argument("file", type=Path, help="the article as a UTF-8 text file")
    add.add_argument("--id", default=None, help="article id (default: NNN_<hash16>)")
    add.add_argument("--title", default=None, help="Arabic title (default: a short first line)")
    add.add_argument(
        "--paragraphs",
        choices=[LINES, BLOCKS],
        default=None,
        help="lines: each line is a paragraph; blocks: blank lines separate them "
        "(default: detected)",
    )
    add.add_argument("--force", action="store_true", help="replace your own article of this id")
    add.set_defaults(func=cmd_article_add)
    listing = verbs.add_parser("list", help="every article, its paragraphs and its banks")
    listing.set_defaults(func=cmd_article_list)

    bank = add_parser("bank", help="start a new question bank for an article")
    bank_verbs = bank.add_subparsers(dest="verb", required=True)
    new = bank_verbs.add_parser(
        "new",
        help="write a starter bank: an example of each question type, the paragraphs as comments",
    )
    new.add_argument("article", help="article id (quizbot article list shows them)")
    new.add_argument("--out", type=Path, default=None, help="file (default: QUIZBOT_CONTENT/banks)")
    new.add_argument("--id", default=None, help="bank id (default: from the article id)")
    new.add_argument("--force", action="store_true", help="replace --out if it exists")
    new.set_defaults(func=cmd_bank_new)
