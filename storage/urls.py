"""Database locations: a SQLite file path or a PostgreSQL URL, and how to show one."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

POSTGRES_SCHEMES = ("postgresql", "postgres")


def is_postgres(target: object) -> bool:
    return isinstance(target, str) and urlsplit(target).scheme in POSTGRES_SCHEMES


def sqlite_path(target: str) -> Path | None:
    """The file of a `sqlite:///PATH` URL (None if `target` is not one)."""
    parts = urlsplit(target)
    if parts.scheme != "sqlite":
        return None
    if parts.netloc:
        return Path("/" + parts.netloc + parts.path)
    # `sqlite:////srv/x.db` (an absolute path) splits into "//srv/x.db", which POSIX paths keep
    # as it is and SQLite then reads as a URI authority.
    return Path("/" + parts.path.lstrip("/") if parts.path.startswith("//") else parts.path)


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host += f":{parts.port}"
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit(parts._replace(netloc=user + host))
