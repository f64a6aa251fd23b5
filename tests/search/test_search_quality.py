"""Recall and precision of Finnish search on invented items (corpus.yaml, queries.yaml).

Each corpus is stored through ``store_item`` into a real SQLite file and every query runs
through Datasette's test client and the canned ``search`` query, as a reader would use
it. Plain FTS5 (words as written) is measured on the same file for comparison.
"""

from __future__ import annotations

import pytest

from db.fts import index_analyser
from tests.search.helpers import (
    CORPUS,
    QUERIES,
    Scores,
    build_db,
    datasette_get,
    datasette_search,
    plain_fts_ids,
)


def measure(tmp_path, lemmatiser) -> tuple[Scores, Scores, str | None]:
    path = tmp_path / "haku.db"
    db = build_db(path, lemmatiser)
    ours, plain = Scores(), Scores()
    responses = datasette_search(path, [entry["q"] for entry in QUERIES])
    for entry, response in zip(QUERIES, responses, strict=True):
        assert response.status_code == 200, (entry["q"], response.text[:500])
        got = {row["id"].split("/", 1)[1] for row in response.json()}
        ours.add(entry["q"], got, set(entry["expect"]))
        plain.add(entry["q"], plain_fts_ids(db, entry["q"]), set(entry["expect"]))
    return ours, plain, index_analyser(db)


def report(label: str, ours: Scores, plain: Scores) -> None:
    print()
    print(f"{len(QUERIES)} queries over {len(CORPUS)} items")
    print(ours.line(label))
    print(plain.line("plain FTS5"))
    for miss in ours.misses:
        print("  ", miss)


def test_the_query_set_is_large_enough():
    assert len(QUERIES) >= 30
    ids = {item["id"] for item in CORPUS}
    for entry in QUERIES:
        assert entry["expect"] and set(entry["expect"]) <= ids, entry["q"]


def test_recall_and_precision_with_voikko(tmp_path, voikko):
    ours, plain, analyser = measure(tmp_path, voikko)
    report("Voikko lemmas", ours, plain)
    assert analyser == "voikko"
    assert ours.recall >= 0.95, ours.misses
    assert ours.precision >= 0.95, ours.misses
    assert ours.recall > plain.recall + 0.5


def test_snowball_fallback_is_weaker_but_far_better_than_plain_fts(tmp_path, snowball):
    ours, plain, analyser = measure(tmp_path, snowball)
    report("Snowball fallback", ours, plain)
    assert analyser == "snowball"  # and Datasette lemmatised the queries with it too
    assert ours.recall >= 0.75, ours.misses
    assert ours.precision >= 0.85, ours.misses
    assert ours.recall > plain.recall + 0.3


@pytest.mark.parametrize("q", ["Ely-keskus", "2018-2020", '"', "AND", "", "NEAR", "OR kaava",
                               "kaava NOT", "kaava*", "(kaava", "title:kaava", "'", "^kaava",
                               "12.3.2025", '"kaava', "-", "Oy:n:n", "kaava - muutos",
                               "a" * 300, "ä" * 3 + " \u00ad " + "§ 12"])
def test_awkward_queries_never_fail(tmp_path_factory, snowball, q):
    path = tmp_path_factory.getbasetemp() / "awkward.db"
    if not path.exists():
        build_db(path, snowball).close()
    # the canned query, and the items table's search box (escape_fts is ours)
    search, table = datasette_get(path, [("search", {"q": q}), ("items", {"_search": q})])
    assert search.status_code == 200, search.text[:500]
    assert table.status_code == 200, table.text[:500]
    if not q.strip(" \"'-AND"):
        assert search.json() == []
