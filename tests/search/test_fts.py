"""The index (lemmas, triggers, search_meta), query expressions, highlighting, the plugin."""

from __future__ import annotations

import sqlite3

import pytest

from db import fts, store
from db.fts import highlight, match_expression, parse_query, snippet
from db.schema import open_db
from kokousarkisto.datasette_plugin import register_functions, safe_marked_html
from tests.search.helpers import CORPUS, NOW, SOURCE, build_db, item_write

AWKWARD = ["Ely-keskus", "2018-2020", '"', "AND", "", "NEAR", "NEAR(kaava muutos)", "OR",
           "kaava OR", "NOT kaava", "kaava*", "*", "(kaava", ")", "title:kaava", "{title}: x",
           "'", "^kaava", "12.3.2025", '"kaava', 'a"b', "-", ":", "Oy:n:n", "+", "§ 12",
           "kaava - muutos", "\u00ad", "x" * 500, "\t\n", "1,5", "klo 12:30", "123/2024"]


def ids(db, q: str, lemmatiser) -> set[str]:
    rows = db.execute("select items.dynasty_id from items_fts join items on "
                      "items.rowid = items_fts.rowid where items_fts match ?",
                      [match_expression(q, lemmatiser)]).fetchall()
    return {r[0] for r in rows}


@pytest.fixture
def db(tmp_path, snowball):
    return build_db(tmp_path / "a.db", snowball, CORPUS[:6])


@pytest.mark.parametrize("name", ["voikko", "snowball"])
def test_awkward_queries_are_valid_fts5(name, request, tmp_path):
    lemmatiser = request.getfixturevalue(name)
    conn = sqlite3.connect(":memory:")
    conn.execute(f"create virtual table t using fts5(a, tokenize='{fts.TOKENIZE}')")
    conn.execute("insert into t values ('Ely-keskuksen lausunto 12.3.2025 vuosille 2018–2020')")
    for q in AWKWARD:
        expression = match_expression(q, lemmatiser)
        conn.execute("select count(*) from t where t match ?", [expression]).fetchone()
    assert match_expression("", lemmatiser) == '""'
    assert match_expression('" AND NEAR', lemmatiser) == '""'
    assert conn.execute("select count(*) from t where t match ?",
                        [match_expression("Ely-keskuksen 2018-2020 12.3.2025", lemmatiser)]
                        ).fetchone() == (1,)


def test_query_words_are_anded_and_their_forms_ored(voikko):
    assert match_expression("avustuksen", voikko) == '("avustuksen" OR "avustus")'
    assert match_expression("12.3.2025", voikko) == '"12 3 2025"'
    expression = match_expression("Ely-keskus kaava", voikko)
    assert expression.count(" AND ") == 2  # between the words, and inside Ely AND keskus
    assert '"elykeskus"' in expression and '("kaava")' in expression


def test_the_index_follows_writes_through_the_triggers(db, snowball):
    assert ids(db, "Rantakallion", snowball) == {"1001-4"}
    item = next(e for e in CORPUS if e["id"] == "1001-4")
    body_id = db["bodies"].get(db["items"].get(f"{SOURCE}/1001-4")["body_id"])["id"]
    changed = {**item, "title": "Kiinteistö Oy Mäntyrinteen osakkeiden myynti",
               "background": "Yhtiön rakennus on tyhjillään.", "proposal": "Myydään."}
    assert store.store_item(db, item_write(changed, body_id, None), NOW) == "updated"
    assert ids(db, "Rantakallio", snowball) == set()
    assert ids(db, "Mäntyrinne", snowball) == {"1001-4"}
    for table in ("item_preparers", "item_versions"):
        db.execute(f"delete from {table} where item_id = ?", [f"{SOURCE}/1001-4"])
    db.execute("delete from items where id = ?", [f"{SOURCE}/1001-4"])
    assert ids(db, "Mäntyrinne", snowball) == set()
    # the FTS index agrees with its content table
    db.execute("insert into items_fts(items_fts) values('integrity-check')")


def test_search_meta_records_the_analyser_and_a_change_rebuilds_the_lemmas(db, voikko):
    assert fts.read_meta(db)["analyser"] == "snowball"
    before = dict(db.execute("select id, lemmas from items").fetchall())
    assert fts.use_lemmatiser(db, voikko) is voikko
    meta = fts.read_meta(db)
    assert meta["analyser"] == "voikko" and meta["lemmas_version"]
    assert "libvoikko" in meta["analyser_detail"]
    after = dict(db.execute("select id, lemmas from items").fetchall())
    assert after.keys() == before.keys() and after != before
    assert "asemakaava" in after[f"{SOURCE}/1001-1"].split()
    assert ids(db, "kaava", voikko) == {"1001-1"}
    assert not fts.ensure_index(db, voikko)  # nothing left to do


def test_unchanged_item_with_stale_lemmas_is_refreshed_but_stays_unchanged(db, snowball):
    item_id = f"{SOURCE}/1001-2"
    row = db["items"].get(item_id)
    db.execute("update items set lemmas = 'vanha' where id = ?", [item_id])
    entry = next(e for e in CORPUS if e["id"] == "1001-2")
    status = store.store_item(db, item_write(entry, row["body_id"], row["meeting_id"]), "later")
    assert status == "unchanged"
    again = db["items"].get(item_id)
    assert again["lemmas"] == row["lemmas"] and again["updated_at"] == row["updated_at"]


def test_migration_indexes_items_that_were_already_there(tmp_path, snowball):
    path = tmp_path / "old.db"
    db = build_db(path, snowball, CORPUS[:3])
    db.execute("update items set lemmas = null")
    db.execute("delete from search_meta")
    fts.rebuild(db)
    fts.use_lemmatiser(db, snowball)
    assert db.execute("select count(*) from items where lemmas is null").fetchone() == (0,)
    assert ids(db, "avustuksen", snowball) == {"1001-2"}


def test_open_db_of_a_fresh_file_records_an_analyser(tmp_path):
    db = open_db(tmp_path / "new.db")
    assert fts.index_analyser(db) in ("voikko", "snowball")
    assert "items_fts" in db.table_names()


def test_highlight_marks_inflected_words_and_escapes_the_rest(voikko):
    text = "Kaupunki myöntää <b>avustuksen</b> & Ely-keskuksen lausunto 2018–2020."
    out = highlight(text, "avustus Ely-keskus 2018-2020", voikko)
    assert out == ("Kaupunki myöntää &lt;b&gt;<mark>avustuksen</mark>&lt;/b&gt; &amp; "
                   "<mark>Ely-keskuksen</mark> lausunto <mark>2018–2020</mark>.")
    assert highlight("Koivurannan asemakaavamuutos", "kaava", voikko) == \
        "Koivurannan <mark>asemakaavamuutos</mark>"
    assert highlight(None, "kaava", voikko) is None
    assert highlight("a < b", "", voikko) == "a &lt; b"


def test_matches_answers_whether_highlight_would_mark_a_word(voikko):
    cases = [("Koivurannan asemakaavamuutos", "kaava"), ("Katujen kunnossapito", "kaava"),
             ("Liikuntapalvelujen maksut", "liikuntapalvelu"),
             ("Liikunnan palvelut", "liikuntapalvelu"), ("Ely-keskuksen lausunto", "Ely-keskus"),
             ("", "kaava"), (None, "kaava"), ("a < b", "")]
    for text, q in cases:
        assert fts.matches(text, q, voikko) == ("<mark>" in (highlight(text, q, voikko) or ""))
    assert fts.matches("Koivurannan asemakaavamuutos", "kaava", voikko)
    assert not fts.matches("Liikunnan palvelut", "liikuntapalvelu", voikko)


def test_snippet_centres_on_the_matches(snowball):
    text = " ".join(["alku"] * 40) + " Lautakunta myöntää avustuksen.\n\n" + " ".join(
        ["loppu"] * 40)
    out = snippet(text, "avustuksen", snowball, size=9)
    assert out.startswith("… ") and out.endswith(" …")
    assert "<mark>avustuksen</mark>" in out and "\n" not in out
    assert len(out.split()) == 9 + 2
    assert snippet("lyhyt teksti", "kaava", snowball) == "lyhyt teksti"


def test_query_prefixes_only_for_words_no_dictionary_knows(voikko, snowball):
    assert not parse_query("avustuksen", voikko).prefixes
    assert parse_query("Smedsbyn", voikko).prefixes == {"smedsb"}
    assert parse_query("avustuksen", snowball).prefixes == {"avustuk"}


def test_sql_functions_on_a_connection(voikko):
    conn = sqlite3.connect(":memory:")
    register_functions(conn, voikko)
    assert conn.execute("select fi_query('avustuksen')").fetchone() == (
        '("avustuksen" OR "avustus")',)
    assert conn.execute("select escape_fts('avustuksen')").fetchone() == (
        '("avustuksen" OR "avustus")',)
    assert conn.execute("select fi_highlight('avustuksen', 'avustus')").fetchone() == (
        "<mark>avustuksen</mark>",)
    assert conn.execute("select fi_snippet('a b avustuksen', 'avustus', 2)").fetchone() == (
        "… b <mark>avustuksen</mark>",)
    assert conn.execute("select fi_lemmas('Oy:n avustuksen')").fetchone() == ("avustus oy",)
    assert conn.execute("select fi_query(null), fi_query(12)").fetchone() == ('""', '"12"')


def test_only_mark_tags_survive_rendering():
    assert safe_marked_html("<mark>a &amp; b</mark> <script>x</script>") == (
        "<mark>a &amp; b</mark> &lt;script&gt;x&lt;/script&gt;")
    assert safe_marked_html("<mark onclick=x>") == "&lt;mark onclick=x&gt;"
