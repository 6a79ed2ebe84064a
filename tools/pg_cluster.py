"""A throwaway PostgreSQL cluster for the tests and CI: initdb in a fresh folder, started as a
user other than root (PostgreSQL refuses to run as root), listening only on a Unix socket in
that folder, with durability turned off since nothing in it outlives the run.

    python tools/pg_cluster.py start DIR   # prints the URL of the cluster's `postgres` database
    python tools/pg_cluster.py stop DIR    # stops it and removes DIR

Not collected by pytest (testpaths = tests); tests/pg_support.py uses it too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

SUPERUSER = "quizbot"
# Who runs the server when we are root: the distribution's own postgres user if there is one.
RUN_AS_CANDIDATES = ("postgres", "nobody")
SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "listen_addresses": "''",
    "max_connections": "300",
}


def bindir() -> Path | None:
    """PostgreSQL's programs: from `pg_config --bindir`, or on PATH, or None."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    config = shutil.which("pg_config")
    if config:
        out = subprocess.run([config, "--bindir"], capture_output=True, text=True, check=False)
        folder = Path(out.stdout.strip())
        if (folder / "pg_ctl").exists():
            return folder
    return None


def _run_as() -> list[str]:
    if os.geteuid() != 0:
        return []
    import pwd

    for name in RUN_AS_CANDIDATES:
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return ["runuser", "-u", name, "--"]
    raise RuntimeError("running as root and no postgres or nobody user to run PostgreSQL as")


def _owner() -> str | None:
    prefix = _run_as()
    return prefix[2] if prefix else None


def url(folder: Path, database: str = "postgres") -> str:
    return f"postgresql://{SUPERUSER}@/{database}?host={folder}"


def start(folder: Path) -> str:
    """Create and start a cluster in `folder` (made if needed); return its URL."""
    programs = bindir()
    if programs is None:
        raise RuntimeError("PostgreSQL is not installed (no pg_ctl, no pg_config)")
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "data"
    owner = _owner()
    if owner:
        shutil.chown(folder, user=owner)
    prefix = _run_as()
    subprocess.run(
        [*prefix, str(programs / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust"]
        + ["-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
        check=True,
        capture_output=True,
    )
    options = " ".join(f"-c {key}={value}" for key, value in SETTINGS.items())
    options += f" -c unix_socket_directories={folder} -c port=5432"
    subprocess.run(
        [*prefix, str(programs / "pg_ctl"), "-D", str(data), "-l", str(folder / "log")]
        + ["-o", options, "-w", "-t", "60", "start"],
        check=True,
        capture_output=True,
    )
    return url(folder)


def stop(folder: Path) -> None:
    """Stop the cluster in `folder` (if it runs) and remove the folder."""
    programs = bindir()
    data = folder / "data"
    if programs is not None and (data / "postmaster.pid").exists():
        subprocess.run(
            [*_run_as(), str(programs / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            check=False,
            capture_output=True,
        )
    shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("start", "stop"):
        print(__doc__, file=sys.stderr)
        return 2
    folder = Path(argv[1])
    if argv[0] == "start":
        print(start(folder))
    else:
        stop(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
