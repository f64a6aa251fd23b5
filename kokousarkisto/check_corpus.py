"""Check the parsers against golden files: per-field accuracy on a folder of saved pages.

Convention
----------
A page ``DIR/NAME`` (``.HTM``, ``.HTML`` or ``.PDF``) is checked when a golden file for it
exists in one of the golden folders (by default ``DIR`` itself):

* ``NAME.expected.json`` – the item goldens of ``tests/golden/<site>/`` use this name;
* ``NAME.golden.json`` – any page kind.

NAME is the page's file name (``2017406946.HTM``) or its stem (``2017406946``, as in the
parsers' fixture folders ``tests/parsers/<kind>/``). (The item parser's tests read every
  ``*.expected.json`` under ``tests/golden`` as an *item* golden, so goldens of meeting
  and list pages use this name.)

A golden is a JSON object. Keys starting with ``_`` are notes: ``_source`` (the page's
path under the corpus; its file name also matches the page), ``_input`` (``url`` and
``content_type`` to parse with), ``_parser`` (a page kind of :data:`parsers.KINDS`:
``item_html``, ``item_pdf``, ``meeting_html``, ``body_list``, ``meeting_list``, ...;
otherwise chosen by the page's content, see :func:`parsers.detect_kind`). Every other
key is a **field**: a record field (``section``) or a path into the record's dict
(``items[*].section``, ``attendees[*].name``, ``items[3].title``), so a list can be
checked column by column.

Expected values are plain JSON (compared with ``==``) or operator objects whose keys all
start with ``$``: ``$sha256`` (digest of the actual value: a str as is, anything else as
sorted-key JSON with non-ASCII kept, so goldens of real pages need not contain their
names and sentences), ``$len`` / ``$count``, ``$paragraphs``, ``$startswith``,
``$endswith``, ``$contains``, ``$not_contains``, ``$any_startswith`` (a list of strings
has one starting so, e.g. a warning whose details vary).

:func:`check_corpus` returns a :class:`CorpusReport` with right/total per field over
all pages; ``kokousarkisto check-corpus DIR [--golden G]...`` prints it and exits 0
when every field is right, 1 otherwise.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parsers import detect_kind, parse

PAGE_SUFFIXES = (".htm", ".html", ".pdf")
GOLDEN_SUFFIXES = (".expected.json", ".golden.json")

# --- comparison ------------------------------------------------------------------------


def digest(value: Any) -> str:
    """sha256 of a str as is, of anything else as sorted-key JSON (non-ASCII kept)."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False,
                                                           sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return f"len {len(value)}, {len(value.split(chr(10) * 2))} paragraphs"
    if isinstance(value, list):
        return f"{len(value)} items"
    return repr(value)


def is_operator(expected: Any) -> bool:
    return isinstance(expected, dict) and bool(expected) and all(
        k.startswith("$") for k in expected)


def compare(actual: Any, expected: Any, path: str) -> list[str]:
    """Differences between a parsed value and an expected value (see the module doc).

    Messages about digested values show only lengths, never the text.
    """
    if not is_operator(expected):
        if actual != expected:
            return [f"{path}: expected {expected!r}, got {actual!r}"]
        return []
    diffs = []
    for op, arg in expected.items():
        if op == "$sha256":
            if actual is None or digest(actual) != arg:
                want = {k: v for k, v in expected.items() if k != "$sha256"}
                diffs.append(f"{path}: digest differs; got {_describe(actual)}, want {want}")
        elif op in ("$len", "$count"):
            if actual is None or not hasattr(actual, "__len__") or len(actual) != arg:
                diffs.append(f"{path}: {op} {arg}, got {_describe(actual)}")
        elif op == "$paragraphs":
            if not isinstance(actual, str) or len(actual.split("\n\n")) != arg:
                diffs.append(f"{path}: {arg} paragraphs, got {_describe(actual)}")
        elif op == "$startswith":
            if not isinstance(actual, str) or not actual.startswith(arg):
                diffs.append(f"{path}: should start with {arg!r}")
        elif op == "$endswith":
            if not isinstance(actual, str) or not actual.endswith(arg):
                diffs.append(f"{path}: should end with {arg!r}")
        elif op == "$contains":
            for part in arg:
                if actual is None or part not in actual:
                    diffs.append(f"{path}: should contain {part!r}")
        elif op == "$any_startswith":
            for prefix in arg:
                if not isinstance(actual, list) or not any(
                        isinstance(v, str) and v.startswith(prefix) for v in actual):
                    diffs.append(f"{path}: some entry should start with {prefix!r}")
        elif op == "$not_contains":
            for part in arg:
                if actual is not None and part in actual:
                    diffs.append(f"{path}: should not contain {part!r}")
        else:
            diffs.append(f"{path}: unknown operator {op}")
    return diffs


class PathError(KeyError):
    """A golden names a field the record does not have."""


_SEGMENT_RE = re.compile(r"^(?P<name>[A-Za-z_][\w]*)?(?P<index>(?:\[(?:\*|-?\d+)\])*)$")


def resolve_path(record: dict, path: str) -> Any:
    """``items[*].section`` → the list of every item's section; ``items[0].url`` → one.

    Raises :class:`PathError` for a name the record does not have; an index past the
    end gives ``None``.
    """

    def step(value: Any, segments: list[str]) -> Any:
        if not segments:
            return value
        seg, rest = segments[0], segments[1:]
        m = _SEGMENT_RE.match(seg)
        if not m:
            raise PathError(path)
        if m["name"]:
            if value is None:
                return None
            if not isinstance(value, dict) or m["name"] not in value:
                raise PathError(path)
            value = value[m["name"]]
        indexes = re.findall(r"\[(\*|-?\d+)\]", m["index"] or "")
        return index(value, indexes, rest)

    def index(value: Any, indexes: list[str], rest: list[str]) -> Any:
        if not indexes:
            return step(value, rest)
        first, more = indexes[0], indexes[1:]
        if value is None:
            return None
        if not isinstance(value, list):
            raise PathError(path)
        if first == "*":
            return [index(v, more, rest) for v in value]
        i = int(first)
        return index(value[i], more, rest) if -len(value) <= i < len(value) else None

    return step(record, path.split("."))


# --- which parser --------------------------------------------------------------------


def parse_page(data: bytes, url: str | None = None, content_type: str | None = None,
               kind: str | None = None) -> tuple[str, Any]:
    """Parse any saved Dynasty page with the parser it needs: ``(kind, record)``.

    Without ``kind`` the content decides (:func:`parsers.detect_kind`); an unknown
    ``kind`` raises ``ValueError``.
    """
    kind = kind or detect_kind(data, url)
    return kind, parse(kind, data, url=url, content_type=content_type)


# --- the check -------------------------------------------------------------------------


@dataclass
class FieldResult:
    page: str
    field: str
    ok: bool
    diffs: list[str] = field(default_factory=list)


@dataclass
class PageResult:
    page: str
    golden: str
    kind: str
    fields: list[FieldResult] = field(default_factory=list)
    error: str | None = None

    @property
    def right(self) -> int:
        return sum(f.ok for f in self.fields)


@dataclass
class CorpusReport:
    pages: list[PageResult] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # pages without a golden

    def per_field(self) -> dict[str, tuple[int, int]]:
        """Field → (right, total) over all pages, in first-seen order."""
        out: dict[str, list[int]] = {}
        for page in self.pages:
            for f in page.fields:
                cell = out.setdefault(f.field, [0, 0])
                cell[0] += f.ok
                cell[1] += 1
        return {k: (v[0], v[1]) for k, v in out.items()}

    @property
    def right(self) -> int:
        return sum(p.right for p in self.pages)

    @property
    def total(self) -> int:
        return sum(len(p.fields) for p in self.pages)

    @property
    def ok(self) -> bool:
        return bool(self.pages) and self.right == self.total and not any(
            p.error for p in self.pages)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok, "right": self.right, "total": self.total,
            "per_field": {k: {"right": r, "total": t} for k, (r, t) in self.per_field().items()},
            "pages": [{"page": p.page, "golden": p.golden, "kind": p.kind, "right": p.right,
                       "total": len(p.fields), "error": p.error,
                       "wrong": {f.field: f.diffs for f in p.fields if not f.ok}}
                      for p in self.pages],
            "unmatched": self.unmatched,
        }

    def lines(self, verbose: bool = False) -> list[str]:
        """The printed report: pages, a per-field table, the overall line."""
        out = []
        for p in self.pages:
            state = f"error: {p.error}" if p.error else f"{p.right}/{len(p.fields)}"
            out.append(f"{p.page} [{p.kind}] {state}")
            for f in p.fields:
                if not f.ok:
                    for d in f.diffs if verbose else f.diffs[:1]:
                        out.append(f"  wrong {d}"[:300])
        rows = self.per_field()
        if rows:
            width = max(len(k) for k in rows)
            out.append("")
            out.append(f"{'field'.ljust(width)}  right/total")
            for name, (right, total) in rows.items():
                mark = "" if right == total else "  <"
                out.append(f"{name.ljust(width)}  {right}/{total}{mark}")
        share = f"{100 * self.right / self.total:.1f} %" if self.total else "-"
        out.append(f"overall: {self.right}/{self.total} fields right ({share}) on "
                   f"{len(self.pages)} pages")
        if self.unmatched:
            out.append(f"without a golden: {len(self.unmatched)} page(s)")
        return out


def find_goldens(page: Path, golden_dirs: list[Path]) -> list[Path]:
    """Golden files for ``page``: ``NAME.expected.json`` / ``NAME.golden.json`` in each dir,
    where NAME is the page's file name with or without its extension (the parsers' fixture
    folders name ``x.HTM``'s golden ``x.expected.json``)."""
    found = []
    for folder in golden_dirs:
        for stem in (page.name, page.stem):
            for suffix in GOLDEN_SUFFIXES:
                candidate = folder / f"{stem}{suffix}"
                if candidate.is_file() and candidate not in found:
                    found.append(candidate)
    return found


def check_page(page: Path, golden: Path) -> PageResult:
    spec = json.loads(golden.read_text(encoding="utf-8"))
    inputs = spec.get("_input", {}) or {}
    result = PageResult(page=page.name, golden=str(golden), kind="?")
    try:
        kind, record = parse_page(page.read_bytes(), url=inputs.get("url"),
                                  content_type=inputs.get("content_type"),
                                  kind=spec.get("_parser"))
    except Exception as exc:  # a broken golden or parser is reported, not raised
        result.error = f"{type(exc).__name__}: {exc}"
        return result
    result.kind = kind
    data = record.to_dict()
    for name, expected in spec.items():
        if name.startswith("_"):
            continue
        try:
            actual = resolve_path(data, name)
        except PathError:
            result.fields.append(FieldResult(page.name, name, False,
                                             [f"{name}: the {kind} record has no such field"]))
            continue
        diffs = compare(actual, expected, name)
        result.fields.append(FieldResult(page.name, name, not diffs, diffs))
    return result


def check_corpus(directory: str | Path, golden_dirs: list[str | Path] | None = None
                 ) -> CorpusReport:
    """Parse every page of ``directory`` that has a golden and compare field by field."""
    directory = Path(directory)
    dirs = [Path(d) for d in golden_dirs] if golden_dirs else [directory]
    report = CorpusReport()
    for page in sorted(p for p in directory.iterdir()
                       if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES):
        goldens = find_goldens(page, dirs)
        if not goldens:
            report.unmatched.append(page.name)
            continue
        for golden in goldens:
            report.pages.append(check_page(page, golden))
    return report
