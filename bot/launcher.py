"""The `quizbot` console script: check that the install is sound, then run the command line.

bot.cli imports quizzes and storage at once, so a foreign package under one of those names
would fail with an ImportError traceback there; the check runs before that import.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from bot.exits import Exit
from bot.installation import clash


def main(argv: Sequence[str] | None = None) -> int:
    problem = clash()
    if problem:
        print(problem, file=sys.stderr)
        return Exit.CLASH
    from bot.cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    raise SystemExit(main())
