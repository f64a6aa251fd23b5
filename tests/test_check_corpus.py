"""``kokousarkisto check-corpus``: per-field accuracy of the parsers against golden files.

Run on the parsers' own fixture folders (every field right), on a folder with a wrong
golden (exit 1, the field named, no digested text leaked), and on the real Espoo corpus
with ``tests/golden/espoo`` (skipped when ``../shared/corpus`` is absent).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kokousarkisto import api
from kokousarkisto.check_corpus import (
    PathError,
    compare,
    digest,
    find_goldens,
    resolve_path,
)
from kokousarkisto.cli import cli

REPO = Path(__file__).resolve().parents[1]
PARSER_FIXTURES = REPO / "tests" / "parsers"
CORPUS_ESPOO = REPO / ".." / "shared" / "corpus" / "dynasty" / "espoo"
GOLDEN_ESPOO = REPO / "tests" / "golden" / "espoo"


def run(*args: str):
    return CliRunner().invoke(cli, ["check-corpus", *args])


# --- the pieces -------------------------------------------------------------------------

RECORD = {"a": 1, "items": [{"n": "1", "p": [{"x": 1}, {"x": 2}]}, {"n": "2", "p": []}],
          "none": None}


@pytest.mark.parametrize(("path", "value"), [
    ("a", 1),
    ("items[*].n", ["1", "2"]),
    ("items[0].n", "1"),
    ("items[-1].n", "2"),
    ("items[5].n", None),
    ("items[*].p[*].x", [[1, 2], []]),
    ("items[0].p", [{"x": 1}, {"x": 2}]),
    ("none[*].x", None),
])
def test_resolve_path(path, value):
    assert resolve_path(RECORD, path) == value


@pytest.mark.parametrize("path", ["b", "items[*].q", "a[0]", "items.n", "items[x]"])
def test_resolve_path_rejects_unknown_fields(path):
    with pytest.raises(PathError):
        resolve_path(RECORD, path)


def test_compare_operators():
    text = "Ensimmäinen kappale.\n\nToinen kappale."
    assert compare(text, {"$sha256": digest(text), "$len": len(text), "$paragraphs": 2}, "f") == []
    assert compare(["a", "b"], {"$sha256": digest(["a", "b"]), "$count": 2}, "f") == []
    assert compare(text, {"$startswith": "Ensi", "$endswith": "le.", "$contains": ["Toinen"],
                          "$not_contains": ["Kolmas"]}, "f") == []
    wrong = compare("Salainen lause", {"$sha256": digest("toinen"), "$len": 6}, "f")
    assert wrong and not any("Salainen" in d for d in wrong)  # digests never print the text
    assert compare(1, 2, "f") == ["f: expected 2, got 1"]
    assert compare(None, {"$count": 0}, "f")
    assert compare("x", {"$bogus": 1}, "f") == ["f: unknown operator $bogus"]


def test_find_goldens_by_name_or_stem(tmp_path):
    page = tmp_path / "x.HTM"
    page.write_bytes(b"")
    (tmp_path / "x.HTM.expected.json").write_text("{}")
    (tmp_path / "x.golden.json").write_text("{}")
    assert [p.name for p in find_goldens(page, [tmp_path])] == [
        "x.HTM.expected.json", "x.golden.json"]


# --- the command ------------------------------------------------------------------------


@pytest.mark.parametrize("folder", ["item_html", "meeting_html", "lists_html",
                                    "official_decision", "."])
def test_every_fixture_folder_is_all_right(folder):
    result = run(str(PARSER_FIXTURES / folder))
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    right, total = last.split()[1].split("/")
    assert right == total and int(total) > 20, last
    assert " 0/" not in result.output


def test_wrong_fields_are_counted_and_exit_1(tmp_path):
    source = PARSER_FIXTURES / "meeting_html"
    shutil.copy(source / "minutes_static.HTM", tmp_path)
    spec = json.loads((source / "minutes_static.expected.json").read_text(encoding="utf-8"))
    spec["time"] = "19:00"
    spec["attendees[*].name"] = {"$sha256": digest(["Joku Muu"]), "$count": 1}
    spec["no_such_field"] = 1
    spec["place"] = "Valtuustosali"  # the page names no place: missing, not wrong
    (tmp_path / "minutes_static.golden.json").write_text(json.dumps(spec, ensure_ascii=False),
                                                          encoding="utf-8")
    result = run(str(tmp_path))
    assert result.exit_code == 1
    out = result.output
    rows = [line.split() for line in out.splitlines()]
    assert ["field", "right", "wrong", "missing"] in rows
    assert ["time", "0", "1", "0", "<"] in rows
    assert ["attendees[*].name", "0", "1", "0", "<"] in rows
    assert ["place", "0", "0", "1", "<"] in rows
    assert ["body", "1", "0", "0"] in rows
    assert "no_such_field: the meeting_html record has no such field" in out
    assert "Aino Esimerkki" not in out  # digested values are never printed
    worst = out.split("worst pages (1 of 1):")[1].splitlines()
    assert worst[1].split()[:3] == ["minutes_static.HTM", "[meeting_html]", "4"]
    assert {w.split()[0] for w in worst[2:6]} == {"wrong", "missing"}
    total = len([k for k in spec if not k.startswith("_")])
    assert f"overall: {total - 4}/{total} fields right" in out and "3 wrong, 1 missing" in out


def test_json_output(tmp_path):
    result = run(str(PARSER_FIXTURES / "lists_html"), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["ok"] and report["right"] == report["total"] > 0
    assert {p["kind"] for p in report["pages"]} == {"body_list", "meeting_list"}
    assert report["per_field"]["body"] == {"right": 3, "wrong": 0, "missing": 0, "total": 3}
    assert report["worst"] == []


def test_subfolders_are_checked_and_named_by_their_path(tmp_path):
    for folder in ("lists_html", "feed"):
        shutil.copytree(PARSER_FIXTURES / folder, tmp_path / folder)
    report = api.check_corpus(tmp_path)
    assert report.ok and not report.unmatched
    names = {p.page for p in report.pages}
    assert "lists_html/telin_static.HTM" in names and "feed/meetings.xml" in names
    assert {p.kind for p in report.pages} == {"body_list", "meeting_list", "feed"}


def test_no_golden_means_exit_1(tmp_path):
    (tmp_path / "a.HTM").write_bytes(b"<p>x</p>")
    result = run(str(tmp_path))
    assert result.exit_code == 1
    assert "without a golden: 1 page(s)" in result.output


def test_a_golden_naming_an_unknown_parser_is_an_error_not_a_crash(tmp_path):
    (tmp_path / "a.HTM").write_bytes(b"<p>x</p>")
    (tmp_path / "a.golden.json").write_text(json.dumps({"_parser": "nope", "title": None}))
    report = api.check_corpus(tmp_path)
    assert not report.ok and report.pages[0].error.startswith("ValueError")


def test_parse_page_picks_the_parser():
    data = (PARSER_FIXTURES / "lists_html" / "telin_static.HTM").read_bytes()
    kind, record = api.parse_page(data, url="http://testila.example/kokous/TELIN-500777.HTM")
    assert kind == "meeting_list" and record.body_id == "500777"


# --- the real corpus ------------------------------------------------------------------------


def test_real_espoo_corpus_is_all_right():
    if not CORPUS_ESPOO.exists():
        pytest.skip("corpus not available")
    result = run(str(CORPUS_ESPOO), "--golden", str(GOLDEN_ESPOO))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    kinds = {line.split()[1] for line in lines if line.endswith(tuple("0123456789"))
             and "[" in line}
    assert {"[item_html]", "[meeting_html]", "[body_list]", "[meeting_list]"} <= kinds
    assert lines[-1].startswith("overall: ") and "on 5 pages" in lines[-1]
    right, total = lines[-1].split()[1].split("/")
    assert right == total
