"""A class's live peer rounds over the term, for the teacher: a workbook sheet listing each
round by date with its first vote, re-vote and normalized gain, the mean gain under it, and a
one-line trend for /stats. The numbers come from quizzes.adaptive, the rounds from
bot.reports.collect; this module only lays them out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from bot import dates, texts
from bot.formatting import Formatter
from bot.reports.worksheet import DATE_CELL
from quizzes.adaptive import RoundGain, trend
from quizzes.model import Bank

GAIN_CELL = "0.00"
SHARE_CELL = "0%"


def _note(r: RoundGain) -> str:
    if not r.pre_voted:
        return texts.PEER_NOTE_NO_VOTES
    if r.pre is not None and r.pre >= 100:
        return texts.PEER_NOTE_FULL
    if not r.revoted:
        return texts.PEER_NOTE_SKIPPED
    return ""


def _share(value: float | None) -> float | None:
    return None if value is None else round(value / 100, 4)


def peer_rows(
    rounds: Sequence[tuple[RoundGain, str]], banks: Mapping[str, Bank], tz: tzinfo
) -> list[list[Any]]:
    """One row per round (shares as fractions, for a percent format), then the mean gain."""
    rows: list[list[Any]] = []
    for r, bank_id in rounds:
        bank = banks.get(bank_id)
        rows.append(
            [
                dates.local(r.at, tz),
                bank.title if bank else bank_id,
                bank.question(r.question_id).prompt if bank else r.question_id,
                r.pre_voted,
                _share(r.pre),
                r.post_voted if r.revoted else None,
                _share(r.post),
                None if r.gain is None else round(r.gain, 4),
                _note(r),
            ]
        )
    mean = trend([r for r, _ in rounds]).mean
    rows.append([texts.PEER_MEAN_ROW, "", "", None, None, None, None, mean, ""])
    return rows


@dataclass(frozen=True)
class Table:
    """A sheet for the workbook's own sheet builder: title, header, rows and cell styles."""

    title: str
    header: Sequence[str]
    rows: list[list[Any]]
    formats: Mapping[int, str]
    widths: Mapping[int, int]


def peer_table(
    rounds: Sequence[tuple[RoundGain, str]], banks: Mapping[str, Bank], tz: tzinfo
) -> Table | None:
    """The workbook's sheet of peer rounds; None when the class had no peer round."""
    if not rounds:
        return None
    return Table(
        texts.SHEET_PEER,
        texts.PEER_COLUMNS,
        peer_rows(rounds, banks, tz),
        formats={1: DATE_CELL, 5: SHARE_CELL, 7: SHARE_CELL, 8: GAIN_CELL},
        widths={2: 22, 3: 50, 9: 24},
    )


def trend_line(fmt: Formatter, rounds: Sequence[tuple[RoundGain, str]]) -> str | None:
    """The one-line trend of a class's gains for /stats; None without peer rounds."""
    if not rounds:
        return None
    summary = trend([r for r, _ in rounds])
    count = fmt.count("round", summary.rounds)
    if summary.mean is None:
        return texts.PEER_TREND_NONE.format(rounds=count)
    values = {
        "rounds": count,
        "mean": fmt.decimal(summary.mean),
        "counted": fmt.num(summary.with_gain),
    }
    if summary.earlier is None or summary.later is None:
        return texts.PEER_TREND.format(**values)
    return texts.PEER_TREND_CHANGE.format(
        **values, earlier=fmt.decimal(summary.earlier), later=fmt.decimal(summary.later)
    )
