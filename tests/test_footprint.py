"""What the running bot carries: the workbook and chart libraries load only when a teacher
exports or asks for a chart, and then in the worker thread that builds the file."""

from __future__ import annotations

import subprocess
import sys

from tests.paths import ROOT

HEAVY = ("openpyxl", "matplotlib", "numpy", "PIL")
LOADED = """
import sys
import bot.app, bot.cli
print(sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[1:])))
"""


def test_the_bot_starts_without_the_workbook_and_chart_libraries() -> None:
    result = subprocess.run(
        [sys.executable, "-c", LOADED, *HEAVY], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
