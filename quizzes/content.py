"""Where the shipped article and banks are: inside the installed package, or in a checkout.

A wheel carries the top-level seeds/ folder as quizzes/seeds (see pyproject.toml), so an
install never depends on the folder it was built from. A source or editable checkout has no
quizzes/seeds, and reads seeds/ where it lies.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _package_dir() -> Path:
    # Installs are unpacked on disk (pip never runs a wheel from a zip), so this is a real path.
    return Path(str(resources.files("quizzes")))


def shipped_banks() -> Path:
    """The folder of the banks that come with quizbot."""
    return _package_dir() / "banks"


def shipped_seeds() -> Path:
    """The folder of the article that comes with quizbot, and its metadata."""
    installed = _package_dir() / "seeds"
    if installed.is_dir():
        return installed
    return _package_dir().parent / "seeds"
