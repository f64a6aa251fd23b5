"""Build a search test database from corpus.yaml and run queries through Datasette."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from datasette.app import Datasette

from db import store
from db.fts import FTS_TABLE, TEXT_COLUMNS, use_lemmatiser
from db.lemmas import WORD_RE, Lemmatiser, fts_tokens, is_numeric
from db.schema import open_db
from kokousarkisto.publish import load_metadata
from parsers.records import ItemRecord, Person

HERE = Path(__file__).parent
CORPUS = yaml.safe_load((HERE / "corpus.yaml").read_text(encoding="utf-8"))["items"]
QUERIES = yaml.safe_load((HERE / "queries.yaml").read_text(encoding="utf-8"))["queries"]
SOURCE = "testi"
NOW = "2025-06-30T12:00:00+00:00"


def item_write(entry: dict[str, Any], body_id: int, meeting_id: int) -> store.ItemWrite:
    record = ItemRecord(
        section=entry["section"], title=entry["title"], body=entry["body"],
        meeting_date=entry["date"], document_type="minutes",
        proposal=entry.get("proposal"), decision=entry.get("decision"),
        discussion=entry.get("discussion"), background=entry.get("background"),
        preparers=[Person(name=n) for n in entry.get("preparers", [])],
    )
    return store.ItemWrite(
        source_id=SOURCE, dynasty_id=entry["id"], meeting_id=meeting_id, body_id=body_id,
        record=record, url=f"https://testi.example/kokous/{entry['id']}.HTM",
        pdf_url=None, html_sha256=None, pdf_sha256=None, pdf_agreement=None,
        parser_version="test", attachments=[])


def build_db(path: Path, lemmatiser: Lemmatiser, corpus: list[dict[str, Any]] = CORPUS):
    """A database file holding ``corpus``, indexed with ``lemmatiser``, written by store_item."""
    db = open_db(path)
    use_lemmatiser(db, lemmatiser)
    store.ensure_source(db, store.SourceRow(id=SOURCE, name="Testikaupunki",
                                            base_url="https://testi.example"), NOW)
    for entry in corpus:
        body_id = store.ensure_body(db, SOURCE, entry["body"])
        meeting_id = store.upsert_meeting(db, source_id=SOURCE, body_id=body_id,
                                          date=entry["date"], document_type="minutes",
                                          doc_id=entry["id"].split("-")[0], url=None)
        assert store.store_item(db, item_write(entry, body_id, meeting_id), NOW) == "new"
    return db


def datasette_get(db_path: Path, requests: list[tuple[str, dict[str, str]]]) -> list[Any]:
    """GET ``/<db>/<path>.json`` with each ``params`` through Datasette's test client."""

    async def run():
        ds = Datasette([str(db_path)], metadata=load_metadata(db_path))
        return [await ds.client.get(f"/{db_path.stem}/{path}.json",
                                    params={**params, "_shape": "array"})
                for path, params in requests]

    return asyncio.run(run())


def datasette_html(db_path: Path, path: str, params: dict[str, str]) -> Any:
    """GET an HTML page ``/<db>/<path>``."""

    async def run():
        ds = Datasette([str(db_path)], metadata=load_metadata(db_path))
        return await ds.client.get(f"/{db_path.stem}/{path}", params=params)

    return asyncio.run(run())


def datasette_search(db_path: Path, queries: list[str]) -> list[Any]:
    """Run each query through the canned ``search`` query."""
    return datasette_get(db_path, [("search", {"q": q}) for q in queries])


def plain_fts_expression(q: str) -> str:
    """What plain FTS5 would do: the words as written, in the text columns only."""
    terms = []
    for word in WORD_RE.findall(q):
        tokens = fts_tokens(word)
        if tokens and not (word.isupper() and word in {"AND", "OR", "NOT", "NEAR"}):
            terms.append('"' + " ".join(tokens) + '"')
    columns = " ".join(TEXT_COLUMNS)
    return "{" + columns + "} : (" + " AND ".join(terms) + ")" if terms else '""'


def plain_fts_ids(db, q: str) -> set[str]:
    rows = db.execute(f"select items.dynasty_id from [{FTS_TABLE}] join items on "
                      f"items.rowid = [{FTS_TABLE}].rowid where [{FTS_TABLE}] match ?",
                      [plain_fts_expression(q)]).fetchall()
    return {r[0] for r in rows}


@dataclass
class Scores:
    """Micro-averaged recall and precision over a query set."""

    found: int = 0
    expected: int = 0
    returned: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, q: str, got: set[str], want: set[str]) -> None:
        self.found += len(got & want)
        self.expected += len(want)
        self.returned += len(got)
        if got != want:
            self.misses.append(f"{q!r}: missing {sorted(want - got)} extra {sorted(got - want)}")

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.found / self.returned if self.returned else 1.0

    def line(self, label: str) -> str:
        return (f"{label}: recall {self.recall:.3f} precision {self.precision:.3f} "
                f"({self.found} of {self.expected} expected, {self.returned} returned)")


def is_number_query(q: str) -> bool:
    return all(is_numeric(w) for w in WORD_RE.findall(q))
