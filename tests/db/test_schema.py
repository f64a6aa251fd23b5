"""The schema is pinned: any change must come as a new migration and update schema.sql."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from db.schema import migrations, open_db

PINNED = Path(__file__).with_name("schema.sql")


def dump_schema(db: sqlite_utils.Database) -> str:
    rows = db.execute(
        "select sql from sqlite_master where sql is not null and name not like 'sqlite_%' "
        "order by type desc, name"
    ).fetchall()
    return ";\n".join(r[0] for r in rows) + ";\n"


def test_schema_matches_pinned_file(tmp_path):
    db = open_db(tmp_path / "a.db")
    assert dump_schema(db) == PINNED.read_text(), (
        "schema changed: add a migration in db/schema.py, then regenerate tests/db/schema.sql"
    )


def test_migrations_are_recorded_and_idempotent(tmp_path):
    path = tmp_path / "a.db"
    open_db(path).close()
    before = dump_schema(sqlite_utils.Database(path))
    db = open_db(path)
    assert dump_schema(db) == before
    applied = [m.name for m in migrations.applied(db)]
    assert applied == [m.name for m in migrations._migrations]
    assert db["_sqlite_migrations"].count == len(applied)


def test_foreign_keys_are_declared_and_enforced(tmp_path):
    db = open_db(tmp_path / "a.db")
    fks = {(fk.column, fk.other_table) for fk in db["items"].foreign_keys}
    assert {("meeting_id", "meetings"), ("body_id", "bodies"), ("source_id", "sources")} <= fks
    import sqlite3

    import pytest
    with pytest.raises(sqlite3.IntegrityError):
        db["bodies"].insert({"source_id": "no-such-source", "name": "X"})


def test_every_foreign_key_column_is_indexed(tmp_path):
    db = open_db(tmp_path / "a.db")
    for table in db.tables:
        indexed = {tuple(ix.columns)[0] for ix in table.indexes}
        for fk in table.foreign_keys:
            assert fk.column in indexed or fk.column in table.pks, f"{table.name}.{fk.column}"
