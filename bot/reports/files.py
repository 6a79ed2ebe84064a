"""A class export as files: the ones the bot sends the teacher (`export_files`) and the ones
`quizbot export` writes to disk (`write_to_disk`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path

from bot import texts
from bot.formatting import Formatter
from bot.reports.csv_files import answers_csv, results_csv, reviews_csv
from bot.reports.xlsx import workbook
from quizzes.analysis import ClassData
from quizzes.article import Article
from quizzes.model import Bank
from quizzes.reliability import Attempts


@dataclass(frozen=True)
class ExportFile:
    """A file to send or write: its name, bytes and Arabic caption template."""

    name: str
    content: bytes
    caption: str


def export_files(
    fmt: Formatter,
    data: ClassData,
    banks: Mapping[str, Bank],
    articles: Mapping[str, Article],
    tz: tzinfo,
    formats: Sequence[str] = ("csv", "xlsx"),
    attempts: Attempts = Attempts.FIRST,
) -> list[ExportFile]:
    """The files of one class export, in the order they are sent."""
    stem = f"class{data.chat_id}"
    files = []
    if "csv" in formats:
        files.append(
            ExportFile(
                f"{stem}-results.csv", results_csv(data, banks, tz), texts.EXPORT_CAPTION_RESULTS
            )
        )
        files.append(
            ExportFile(
                f"{stem}-answers.csv", answers_csv(data, banks, tz), texts.EXPORT_CAPTION_ANSWERS
            )
        )
        if data.reviews:
            content = reviews_csv(data, banks, tz)
            files.append(ExportFile(f"{stem}-reviews.csv", content, texts.EXPORT_CAPTION_REVIEWS))
    if "xlsx" in formats:
        files.append(
            ExportFile(
                f"{stem}.xlsx",
                workbook(fmt, data, banks, articles, tz, attempts),
                texts.EXPORT_CAPTION_WORKBOOK,
            )
        )
    return files


def answers_path(path: Path) -> Path:
    """Where the answers CSV goes beside a results CSV: results.csv -> results-answers.csv."""
    return path.with_name(f"{path.stem}-answers{path.suffix or '.csv'}")


@dataclass(frozen=True)
class Written:
    """One class written to disk, for the operator's summary line."""

    chat_id: int
    title: str
    results: int
    paths: tuple[Path, ...]


def write_to_disk(
    classes: Sequence[ClassData],
    banks: Mapping[str, Bank],
    articles: Mapping[str, Article],
    tz: tzinfo,
    *,
    fmt: str,
    formatter: Formatter,
    out: Path,
    directory: bool,
    attempts: Attempts = Attempts.FIRST,
) -> list[Written]:
    """`quizbot export`: one class to the file `out`, or (directory) each class into the
    directory `out`, named as the bot names the files it sends. CSV writes two files: the
    results at the path, the answers beside it with an -answers suffix."""
    written = []
    for data in classes:
        if directory:
            name = (
                f"class{data.chat_id}-results.csv" if fmt == "csv" else f"class{data.chat_id}.xlsx"
            )
            path = out / name
        else:
            path = out
        path.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "csv":
            path.write_bytes(results_csv(data, banks, tz))
            answers_path(path).write_bytes(answers_csv(data, banks, tz))
            paths: tuple[Path, ...] = (path, answers_path(path))
        else:
            path.write_bytes(workbook(formatter, data, banks, articles, tz, attempts))
            paths = (path,)
        written.append(Written(data.chat_id, data.title, len(data.results), paths))
    return written
