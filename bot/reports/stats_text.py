"""The test statistics as the teacher reads them in /stats and /report: which attempts were
counted, each bank's spread and reliability, and the items to check."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot import bidi, texts
from bot.formatting import Formatter
from bot.reports.rows import bank_file
from quizzes.model import Bank
from quizzes.reliability import MIN_TAKERS, Attempts, BankStats


def attempts_from_args(args: Sequence[str] | None) -> Attempts:
    """`/stats all` or `/report all` (Arabic «الكل» too) counts every attempt; else the first."""
    words = {a.strip().lower() for a in args or ()}
    return Attempts.ALL if words & {"all", "الكل", "كل"} else Attempts.FIRST


def _ratio(fmt: Formatter, value: float) -> str:
    """A coefficient with two decimals, minus sign included, in the configured digits."""
    text = f"{value:.2f}"
    return fmt.num(text) if not text.startswith("-") else "−" + fmt.num(text[1:])


def bank_lines(fmt: Formatter, stats: Sequence[BankStats], banks: Mapping[str, Bank]) -> list[str]:
    """One line per bank, then one per item that discriminates negatively."""
    lines = []
    for s in stats:
        bank = banks[s.bank_id]
        title, students = bidi.esc(bank.title), fmt.count("student", s.takers)
        if not s.meaningful or s.mean is None or s.sd is None:
            lines.append(
                texts.STATS_BANK_TOO_FEW.format(
                    bank=title, students=students, minimum=fmt.num(MIN_TAKERS)
                )
            )
            continue
        mean, sd = fmt.percent(round(s.mean)), fmt.percent(round(s.sd))
        if s.alpha is None or s.reading is None:
            lines.append(
                texts.STATS_BANK_NO_ALPHA.format(bank=title, students=students, mean=mean, sd=sd)
            )
        else:
            lines.append(
                texts.STATS_BANK.format(
                    bank=title,
                    students=students,
                    mean=mean,
                    sd=sd,
                    alpha=_ratio(fmt, s.alpha),
                    reading=texts.READING_LABELS[s.reading.value],
                )
            )
        for item in s.flagged:
            lines.append(
                texts.STATS_FLAG.format(
                    question=bidi.latin(item.question_id),
                    file=bidi.latin(bank_file(bank)),
                    r=_ratio(fmt, item.corrected_r or 0.0),
                )
            )
    return lines


def attempts_note(attempts: Attempts) -> str:
    return texts.STATS_ATTEMPTS_ALL if attempts is Attempts.ALL else texts.STATS_ATTEMPTS_FIRST


def report_attempts(attempts: Attempts) -> str:
    return texts.REPORT_ATTEMPTS_ALL if attempts is Attempts.ALL else texts.REPORT_ATTEMPTS_FIRST
