"""What the installed quizbot is: its version, and whether its packages are really its own.

The top-level packages have generic names (bot, quizzes, storage). Another distribution with
one of them would silently overwrite our files, or be overwritten, in a shared environment;
a folder of that name earlier on sys.path would shadow ours. Either is found here.
"""

from __future__ import annotations

import importlib
import re
from importlib import metadata

DISTRIBUTION = "quizbot"
PACKAGES = ("bot", "quizzes", "storage")


def version() -> str:
    """The installed version, or a placeholder when run from a checkout that is not installed."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def clash() -> str | None:
    """One line naming what shares or replaces one of our top-level packages; None if nothing."""
    providers = metadata.packages_distributions()
    for name in PACKAGES:
        others = sorted({d for d in providers.get(name, []) if _canonical(d) != DISTRIBUTION})
        if others:
            return (
                f"error: the distribution '{others[0]}' also installs a top-level '{name}' "
                "package, which overwrites quizbot's or is overwritten by it; "
                "install quizbot in a virtualenv of its own"
            )
        try:
            module = importlib.import_module(name)
        except ImportError:
            return f"error: quizbot's '{name}' package is missing; reinstall quizbot"
        if getattr(module, "DISTRIBUTION", None) != DISTRIBUTION:
            where = getattr(module, "__file__", None) or ", ".join(getattr(module, "__path__", []))
            return (
                f"error: the '{name}' package imported from {where} is not quizbot's; "
                "remove it from the Python path or install quizbot in a virtualenv of its own"
            )
    return None
