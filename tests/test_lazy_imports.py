"""The bot starts without the libraries only exports and charts need: openpyxl and matplotlib
are imported by the functions that build a workbook or draw a chart, not at startup."""

from __future__ import annotations

import subprocess
import sys

HEAVY = "print('openpyxl' in sys.modules, 'matplotlib' in sys.modules)"


def test_starting_the_bot_loads_neither_openpyxl_nor_matplotlib() -> None:
    # numpy and PIL come with matplotlib: none of the four is loaded by the bot or the CLI.
    libraries = ("openpyxl", "matplotlib", "numpy", "PIL")
    code = (
        "import sys, bot.app, bot.cli\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({libraries!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_building_a_workbook_and_a_chart_loads_them() -> None:
    """The other side: the lazy imports are the ones that run, so the check above is not
    passing because nothing imports the libraries at all."""
    code = (
        "import sys\n"
        "from bot.formatting import Formatter\n"
        "from bot.reports import charts\n"
        "from bot.reports.xlsx import workbook\n"
        "from quizzes.analysis import ClassData\n"
        "from zoneinfo import ZoneInfo\n"
        "workbook(Formatter(), ClassData(chat_id=1, title='', roster=(), results=(), answers=()),"
        " {}, {}, ZoneInfo('UTC'))\n"
        "charts.report_png(Formatter(), '', [], [])\n"
        f"{HEAVY}"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True"]
