"""`quizbot db copy`: a school's SQLite database into a PostgreSQL database, checked and safe to
run again.

asyncpg directly rather than the Store's statements: each table goes over with one binary COPY
into a temporary table, then a handful of set-based statements compare, insert and update it
against the real table, all in one transaction. Row-by-row INSERTs would cost one round trip
per row, and the comparison (which rows are new, changed or another database's) is one join.

Keys are kept as they are in SQLite. A row whose key the target holds already is the same row
when the columns that nothing updates agree (BIRTH: the moment it was made, its bank, ...): it
is brought up to date, since the school may have gone on using SQLite after an earlier copy
(an attempt finished, a review item moved to the next box). Otherwise it is another database's
row with the same key, and the copy is refused rather than skip or overwrite it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg

from storage.postgres import PostgresStore, clean
from storage.repository import Repository
from storage.sqlite import SqliteStore
from storage.urls import is_postgres, redact

# What makes two rows with one key the same row: columns their INSERT sets and nothing updates
# (a forgotten student's rows change owner, so user ids are not among them).
BIRTH: dict[str, tuple[str, ...]] = {
    "students": ("created_at",),
    "chats": ("created_at",),
    "attempts": ("bank_id", "question_ids", "option_order", "started_at"),
    "answers": ("attempt_id", "question_id", "choice", "answered_at"),
    "class_members": ("first_seen",),
    "homework": ("code", "chat_id", "bank_id", "created_at"),
    "live_sessions": ("chat_id", "bank_id", "plan", "created_at"),
    "live_participants": ("joined_at",),
    "live_answers": ("session_id", "question_id", "round", "choice", "answered_at"),
    "peer_first_votes": ("choice", "voted_at"),
    "review_items": ("added_at",),
    "review_prompts": ("bank_id", "question_id", "sighting", "kind", "sent_at"),
    "review_answers": ("prompt_id", "bank_id", "question_id", "sighting", "answered_at"),
}
# Rows every migrated database has of its own (the anonymous owner): not copied.
OWN_ROWS = {"students": "user_id <> 0", "chats": "chat_id <> 0"}
CHUNK = 5000


class CopyRefused(Exception):
    """The copy cannot go ahead; nothing was written to the target."""


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...]
    uniques: tuple[tuple[str, ...], ...]
    identity: str | None


@dataclass
class Count:
    table: str
    source: int = 0  # rows in the source
    target: int = 0  # of those, rows found in the target with the same content
    added: int = 0
    updated: int = 0
    cleaned: int = 0  # rows whose text held NUL characters, which PostgreSQL cannot store


@dataclass
class CopyReport:
    counts: list[Count] = field(default_factory=list)
    committed: bool = False

    @property
    def verified(self) -> bool:
        return all(c.source == c.target for c in self.counts)


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _columns(names: Sequence[str], alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    return ", ".join(prefix + q(n) for n in names)


def _same(left: str, right: str, names: Sequence[str]) -> str:
    return " AND ".join(f"{left}.{q(n)} = {right}.{q(n)}" for n in names)


async def copy_database(source: Path | str, target: str) -> CopyReport:
    """Copy every row of `source` (SQLite) into `target` (PostgreSQL) in one transaction.

    Raises CopyRefused when the two schemas differ or a row belongs to another database. When a
    table's rows are not all found in the target afterwards, the transaction is rolled back and
    the report says so (`committed` is False).
    """
    if not is_postgres(target):
        raise CopyRefused(f"the target must be a postgresql:// URL, not {redact(target)}")
    if is_postgres(source):
        raise CopyRefused(f"the source must be a SQLite file, not {redact(str(source))}")
    report = CopyReport()
    async with Repository(source) as src, Repository(target) as dst:
        assert isinstance(src.store, SqliteStore) and isinstance(dst.store, PostgresStore)
        await _same_migrations(src, dst)
        # A read transaction: one state of the source even if its bot is still writing.
        await src.store.db.execute("BEGIN")
        try:
            try:
                async with dst.store.transaction() as tx:
                    tables = await _tables(tx.conn)
                    for table in tables:
                        await _check_columns(src, table)
                        report.counts.append(await _copy_table(src, tx.conn, table))
                    if not report.verified:
                        raise _Rollback
                    await _advance_identities(tx.conn, tables)
            except _Rollback:
                return report
        finally:
            await src.store.db.execute("COMMIT")
    report.committed = True
    return report


class _Rollback(Exception):
    pass


async def _same_migrations(src: Repository, dst: Repository) -> None:
    query = "SELECT name FROM schema_migrations"
    mine = {r[0] for r in await src.fetchall(query)}
    theirs = {r[0] for r in await dst.fetchall(query)}
    if mine - theirs:
        raise CopyRefused(
            "the source has migrations the target lacks: "
            + ", ".join(sorted(mine - theirs))
            + "; run the copy with the quizbot version that made them"
        )
    if theirs - mine:
        raise CopyRefused(
            "the target has migrations the source lacks: "
            + ", ".join(sorted(theirs - mine))
            + "; run the copy with the quizbot version that made them"
        )


async def _tables(conn: asyncpg.Connection) -> list[Table]:
    """The target's tables, each after the tables it references."""
    names = [
        r["t"]
        for r in await conn.fetch(
            "SELECT tablename AS t FROM pg_tables WHERE schemaname = current_schema()"
            " AND tablename <> 'schema_migrations' ORDER BY tablename"
        )
    ]
    columns: dict[str, list[str]] = {n: [] for n in names}
    identity: dict[str, str] = {}
    for r in await conn.fetch(
        "SELECT table_name AS t, column_name AS c, is_identity AS i"
        " FROM information_schema.columns WHERE table_schema = current_schema()"
        " ORDER BY table_name, ordinal_position"
    ):
        if r["t"] in columns:
            columns[r["t"]].append(r["c"])
            if r["i"] == "YES":
                identity[r["t"]] = r["c"]
    keys: dict[str, tuple[str, ...]] = {}
    uniques: dict[str, list[tuple[str, ...]]] = {n: [] for n in names}
    parents: dict[str, set[str]] = {n: set() for n in names}
    for r in await conn.fetch(
        "SELECT c.conrelid::regclass::text AS t, c.contype::text AS kind,"
        " c.confrelid::regclass::text AS parent,"
        " ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY AS k(num, n)"
        "       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num"
        "       ORDER BY k.n) AS cols"
        " FROM pg_constraint c WHERE c.connamespace = current_schema()::regnamespace"
        " AND c.contype IN ('p', 'u', 'f')"
    ):
        table = r["t"]
        if table not in columns:
            continue
        if r["kind"] == "p":
            keys[table] = tuple(r["cols"])
        elif r["kind"] == "u":
            uniques[table].append(tuple(r["cols"]))
        elif r["parent"] != table:
            parents[table].add(r["parent"])
    ordered: list[Table] = []
    while parents:
        ready = sorted(t for t, p in parents.items() if not p & parents.keys())
        if not ready:
            raise CopyRefused(f"the target's foreign keys form a cycle among {sorted(parents)}")
        for t in ready:
            del parents[t]
            if t not in keys:
                raise CopyRefused(f"table {t} has no primary key in the target")
            ordered.append(Table(t, tuple(columns[t]), keys[t], tuple(uniques[t]), identity.get(t)))
    return ordered


async def _check_columns(src: Repository, table: Table) -> None:
    found = {r[1] for r in await src.fetchall(f"PRAGMA table_info({q(table.name)})")}
    if found != set(table.columns):
        raise CopyRefused(
            f"table {table.name} has other columns in the source ({', '.join(sorted(found))})"
            f" than in the target ({', '.join(sorted(table.columns))})"
        )


async def _copy_table(src: Repository, conn: asyncpg.Connection, table: Table) -> Count:
    count = Count(table.name)
    name, columns, key = q(table.name), _columns(table.columns), table.key
    own = OWN_ROWS.get(table.name)
    (count.source,) = await src.fetchone(
        f"SELECT count(*) FROM {name}" + (f" WHERE {own}" if own else "")
    )
    staged = q(f"copy_{table.name}")
    await conn.execute(f"CREATE TEMP TABLE {staged} (LIKE {name}) ON COMMIT DROP")
    last = -(2**63)
    while True:
        rows = await src.fetchall(
            f"SELECT rowid, {columns} FROM {name} WHERE rowid > ?"
            + (f" AND {own}" if own else "")
            + " ORDER BY rowid LIMIT ?",
            (last, CHUNK),
        )
        if not rows:
            break
        last = rows[-1][0]
        records = []
        for row in rows:
            values = tuple(row[1:])
            kept = clean(values)
            count.cleaned += kept is not values
            records.append(kept)
        try:
            await conn.copy_records_to_table(
                f"copy_{table.name}", records=records, columns=list(table.columns)
            )
        except (asyncpg.PostgresError, TypeError, ValueError) as error:
            raise CopyRefused(f"table {table.name}: a row cannot be stored: {error}") from error
    await _refuse_foreign_rows(conn, table, staged)
    try:
        inserted = await conn.execute(
            f"INSERT INTO {name} ({columns}) SELECT {columns} FROM {staged} ON CONFLICT DO NOTHING"
        )
        rest = [c for c in table.columns if c not in key]
        updated = await conn.execute(
            f"UPDATE {name} AS d SET "
            + ", ".join(f"{q(c)} = s.{q(c)}" for c in rest)
            + f" FROM {staged} AS s WHERE {_same('d', 's', key)}"
            f" AND ROW({_columns(rest, 'd')}) IS DISTINCT FROM ROW({_columns(rest, 's')})"
        )
    except asyncpg.PostgresError as error:
        raise CopyRefused(f"table {table.name}: {error}") from error
    count.added = int(inserted.rsplit(" ", 1)[-1])
    count.updated = int(updated.rsplit(" ", 1)[-1])
    count.target = await conn.fetchval(
        f"SELECT count(*) FROM {staged} AS s JOIN {name} AS d ON {_same('d', 's', key)}"
        f" WHERE ROW({_columns(table.columns, 'd')})"
        f" IS NOT DISTINCT FROM ROW({_columns(table.columns, 's')})"
    )
    return count


def _shown(names: Sequence[str], values: Sequence[object]) -> str:
    return ", ".join(f"{n} {v}" for n, v in zip(names, values, strict=True))


async def _refuse_foreign_rows(conn: asyncpg.Connection, table: Table, staged: str) -> None:
    """A key the target holds for a row born at another moment, or a unique value another row
    holds: another database's row, which the copy must neither skip nor overwrite."""
    name, key = q(table.name), table.key
    birth = BIRTH.get(table.name)
    if birth is not None:
        row = await conn.fetchrow(
            f"SELECT {_columns(key, 's')} FROM {staged} AS s JOIN {name} AS d"
            f" ON {_same('d', 's', key)}"
            f" WHERE ROW({_columns(birth, 'd')}) IS DISTINCT FROM ROW({_columns(birth, 's')})"
            " LIMIT 1"
        )
        if row is not None:
            raise CopyRefused(
                f"table {table.name}: the target already has a different row with"
                f" {_shown(key, tuple(row))} (another school's data?); nothing was copied"
            )
    for unique in table.uniques:
        row = await conn.fetchrow(
            f"SELECT {_columns(key, 's')} FROM {staged} AS s JOIN {name} AS d"
            f" ON {_same('d', 's', unique)}"
            f" WHERE ROW({_columns(key, 'd')}) IS DISTINCT FROM ROW({_columns(key, 's')}) LIMIT 1"
        )
        if row is not None:
            raise CopyRefused(
                f"table {table.name}: the row with {_shown(key, tuple(row))} has the same"
                f" {', '.join(unique)} as another row in the target; nothing was copied"
            )


async def _advance_identities(conn: asyncpg.Connection, tables: list[Table]) -> None:
    """Past the largest id copied, so the bot's next rows do not take a copied id."""
    for table in tables:
        if table.identity is None:
            continue
        await conn.execute(
            f"SELECT setval(pg_get_serial_sequence($1, $2), m) FROM"
            f" (SELECT max({q(table.identity)}) AS m FROM {q(table.name)}) AS top"
            " WHERE m IS NOT NULL",
            table.name,
            table.identity,
        )
