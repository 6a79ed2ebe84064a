"""Both databases are built by the same named migration steps into the same schema: the same
tables, columns (kind and nullability), primary keys, unique keys, foreign keys and indexes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import asyncpg
import pytest

from storage.migrations import MIGRATIONS as SQLITE_STEPS
from storage.pg_migrations import MIGRATIONS as PG_STEPS
from storage.repository import Repository
from tests import backends

KINDS = {"INTEGER": "int", "REAL": "real", "TEXT": "text"}
PG_KINDS = {"bigint": "int", "double precision": "real", "text": "text"}
ON_DELETE = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}

Schema = dict[str, object]


def sqlite_schema(path: Path) -> Schema:
    db = sqlite3.connect(path)
    tables = [
        r[0]
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    columns, keys, uniques, indexes, foreign = {}, {}, set(), set(), set()
    for table in tables:
        info = db.execute(f"PRAGMA table_info({table})").fetchall()
        primary = tuple(r[1] for r in sorted(info, key=lambda r: r[5]) if r[5])
        keys[table] = primary
        for _, name, kind, notnull, _, pk in info:
            columns[table, name] = (KINDS[kind.upper()], bool(notnull or pk))
        for _, index, unique, origin, partial in db.execute(f"PRAGMA index_list({table})"):
            cols = tuple(r[2] for r in db.execute(f"PRAGMA index_info({index})"))
            if origin == "pk":
                continue
            (uniques if unique and not partial else indexes).add((table, cols, bool(partial)))
        for row in db.execute(f"PRAGMA foreign_key_list({table})"):
            foreign.add((table, row[3], row[2], row[4], row[6]))
    db.close()
    return {"columns": columns, "keys": keys, "uniques": uniques, "indexes": indexes, "fk": foreign}


async def pg_schema(url: str) -> Schema:
    conn = await asyncpg.connect(url)
    try:
        columns = {
            (r["table_name"], r["column_name"]): (
                PG_KINDS[r["data_type"]],
                r["is_nullable"] == "NO",
            )
            for r in await conn.fetch(
                "SELECT table_name, column_name, data_type, is_nullable"
                " FROM information_schema.columns WHERE table_schema = 'public'"
            )
        }
        keys, uniques, indexes = {}, set(), set()
        for r in await conn.fetch(
            "SELECT t.relname AS tab, i.indisprimary AS pk, i.indisunique AS uq,"
            " i.indpred IS NOT NULL AS partial,"
            " ARRAY(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(n, o)"
            "   JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.n ORDER BY k.o) AS cols"
            " FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid"
            " JOIN pg_namespace s ON s.oid = t.relnamespace WHERE s.nspname = 'public'"
        ):
            cols = tuple(r["cols"])
            if r["pk"]:
                keys[r["tab"]] = cols
            elif r["uq"] and not r["partial"]:
                uniques.add((r["tab"], cols, False))
            else:
                indexes.add((r["tab"], cols, r["partial"]))
        foreign = set()
        for r in await conn.fetch(
            "SELECT c.conrelid::regclass::text AS tab, c.confrelid::regclass::text AS ref,"
            " c.confdeltype AS del,"
            " (SELECT attname FROM pg_attribute WHERE attrelid = c.conrelid"
            "  AND attnum = c.conkey[1]) AS col,"
            " (SELECT attname FROM pg_attribute WHERE attrelid = c.confrelid"
            "  AND attnum = c.confkey[1]) AS refcol"
            " FROM pg_constraint c WHERE c.contype = 'f'"
        ):
            foreign.add((r["tab"], r["col"], r["ref"], r["refcol"], ON_DELETE[r["del"].decode()]))
    finally:
        await conn.close()
    return {"columns": columns, "keys": keys, "uniques": uniques, "indexes": indexes, "fk": foreign}


def test_both_databases_have_the_same_named_steps() -> None:
    assert [name for name, _ in SQLITE_STEPS] == [name for name, _ in PG_STEPS]


@pytest.mark.fresh_database
@pytest.mark.postgresql_only
async def test_both_databases_get_the_same_schema(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    async with Repository(path):
        pass
    assert backends.current is not None
    async with Repository(backends.current):
        pass
    lite, pg = sqlite_schema(path), await pg_schema(backends.current)
    for part in ("columns", "keys", "uniques", "indexes", "fk"):
        assert lite[part] == pg[part], part
    assert len(lite["columns"]) > 100  # the comparison saw the whole schema
