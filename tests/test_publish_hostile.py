"""``serve --publish`` facing attackers: no arbitrary SQL, no private tables, no server
paths, and every ``fi_*`` function bounded whatever it is given."""

from __future__ import annotations

import sqlite3
import time

from datasette.app import Datasette

from kokousarkisto import datasette_plugin
from kokousarkisto.publish import (
    PRIVATE_TABLES,
    PUBLISH_SETTINGS,
    SETTINGS,
    TEMPLATE_DIR,
    load_metadata,
    publish_metadata,
    with_archive,
)
from kokousarkisto.server import typed_settings
from tests.test_publication import _get, demo_db  # noqa: F401 - fixture used by name


def _published(db_path) -> Datasette:
    return Datasette(files=[], immutables=[str(db_path)], template_dir=str(TEMPLATE_DIR),
                     metadata=publish_metadata(
                         with_archive(load_metadata(db_path), "/srv/secret/raw"), db_path),
                     settings=typed_settings({**SETTINGS, **PUBLISH_SETTINGS}))


def test_publish_mode_refuses_sql_private_tables_and_hides_paths(demo_db):  # noqa: F811
    ds = _published(demo_db)
    name = demo_db.stem
    sql, where, fetches, fetches_json, parses, dbs, items, search = _get(
        ds, f"/{name}?sql=select+fi_lemmas(title)+from+items",
        f"/{name}/items?_where=1%3D1", f"/{name}/fetches", f"/{name}/fetches.json",
        f"/{name}/pdf_parses", "/-/databases.json", f"/{name}/items.json",
        f"/{name}/search.json?q=avustus")
    assert sql.status_code == 403
    assert where.status_code in (400, 403)
    assert fetches.status_code == fetches_json.status_code == parses.status_code == 403
    assert dbs.status_code == 200 and dbs.json() and all("path" not in d for d in dbs.json())
    assert str(demo_db) not in dbs.text
    meta = _get(ds, "/-/metadata.json")[0]
    assert meta.status_code == 200 and "/srv/secret/raw" not in meta.text and meta.json()
    assert items.status_code == 200 and search.status_code == 200
    home = _get(ds, f"/{name}")[0]
    assert home.status_code == 200 and "fetches" not in home.text
    assert set(PRIVATE_TABLES) == {"fetches", "pdf_parses"}


def test_without_publish_sql_and_paths_stay(demo_db):  # noqa: F811
    ds = Datasette(files=[str(demo_db)], metadata=load_metadata(demo_db),
                   template_dir=str(TEMPLATE_DIR), settings=typed_settings(SETTINGS))
    sql, dbs = _get(ds, f"/{demo_db.stem}.json?sql=select+1", "/-/databases.json")
    assert sql.status_code == 200 and dbs.json()[0]["path"] == str(demo_db)


def test_every_function_caps_its_input():
    conn = sqlite3.connect(":memory:")
    datasette_plugin.register_functions(conn)
    huge = "kaupunginhallitus päättää " * 400_000  # 10 MB
    limits = {}
    for name, sql, args in [
        ("fi_lemmas", "select fi_lemmas(?)", [huge]),
        ("fi_query", "select fi_query(?)", [huge]),
        ("fi_snippet", "select fi_snippet(?, ?)", [huge, huge]),
        ("fi_highlight", "select fi_highlight(?, ?)", [huge, huge]),
        ("fi_lemmas blob", "select fi_lemmas(zeroblob(50000000))", []),
    ]:
        started = time.monotonic()
        value = conn.execute(sql, args).fetchone()[0]
        limits[name] = time.monotonic() - started
        assert value is None or len(value) < 2_000_000, name
    assert max(limits.values()) < 20, limits
    query = conn.execute("select fi_query(?)", ["sana " * 10_000]).fetchone()[0]
    assert query.count('"') <= 2 * datasette_plugin.MAX_QUERY_CHARS
