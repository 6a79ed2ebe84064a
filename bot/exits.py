"""The exit codes of `quizbot`, as docs/cli.md lists them (a test holds the two together)."""

from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    OK = 0
    FAILED = 1  # invalid banks, a failed backup, `play` ended by end of input before the end
    USAGE = 2  # bad arguments or environment, no database, a directory given for a file
    TOKEN_REJECTED = 3
    API_UNREACHABLE = 4
    DATABASE_UNUSABLE = 5  # not SQLite, damaged, or cannot be opened
    LEASE_LOST = 6  # `run` on PostgreSQL lost its lease: the standby may be polling already
    INTERNAL = 70  # a bug: the traceback is printed, secrets redacted (sysexits' EX_SOFTWARE)
    CLASH = 78  # another installed package owns bot, quizzes or storage (sysexits' EX_CONFIG)
    INTERRUPTED = 130  # Ctrl-C: 128 + SIGINT, as shells report it
    BROKEN_PIPE = 141  # stdout closed early (`| head`): 128 + SIGPIPE, as shells report it
