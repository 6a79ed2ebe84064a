"""Times as the class reads them: in the teachers' zone (QUIZBOT_TIMEZONE, Config.tz), to the
minute. Everything the bot shows or exports goes through here (/score, homework deadlines,
reports, the export files), so a time reads the same wherever it appears."""

from __future__ import annotations

from datetime import datetime, tzinfo

from bot import bidi
from bot.formatting import Formatter

DATE_FORMAT = "%Y-%m-%d %H:%M"


def local(moment: datetime, tz: tzinfo) -> datetime:
    """Naive local time (spreadsheets have no time zones)."""
    return moment.astimezone(tz).replace(tzinfo=None)


def plain(moment: datetime, tz: tzinfo) -> str:
    """The local date and time as text, with western digits (files, chart titles)."""
    return local(moment, tz).strftime(DATE_FORMAT)


def shown(fmt: Formatter, moment: datetime, tz: tzinfo) -> str:
    """The local date and time in a message: the digit style, kept left to right."""
    return f"{bidi.FSI}{fmt.num(plain(moment, tz))}{bidi.PDI}"
