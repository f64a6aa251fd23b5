"""Check the parsers against golden files: per-field accuracy on a folder of saved pages.

Convention
----------
A page ``DIR/NAME`` (``.HTM``, ``.HTML``, ``.PDF`` or an RSS ``.xml``; in ``DIR`` or any
folder below it) is checked when a golden file for it exists in one of the golden
folders (by default the page's own folder):

* ``NAME.expected.json`` – the item goldens of ``tests/golden/<site>/`` use this name;
* ``NAME.golden.json`` – any page kind.

A golden that is a JSON list holds a whole minutes PDF's items (kind ``minutes_pdf``).
The parsers' generated-PDF fixtures (``.yaml`` specs) are only run by the tests.

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

:func:`check_corpus` returns a :class:`CorpusReport` with, per field over all pages,
how often it was right, wrong (a value, but not the expected one) and missing (left
empty), and the worst pages; ``kokousarkisto check-corpus DIR [--golden G]...`` prints
it and exits 0 when every field is right, 1 otherwise.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parsers import detect_kind, parse

PAGE_SUFFIXES = (".htm", ".html", ".pdf", ".xml")
#: how many pages and fields the report names as the worst
WORST = 10
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


def _empty(value: Any) -> bool:
    if isinstance(value, list):
        return all(_empty(v) for v in value)
    return value in (None, "", {})


@dataclass
class FieldResult:
    page: str
    field: str
    ok: bool
    diffs: list[str] = field(default_factory=list)
    #: "right"; "missing" when the parser left the field empty; else "wrong" (a value,
    #: but not the expected one: worse than none)
    state: str = "right"


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
        return {k: (c["right"], sum(c.values())) for k, c in self.field_states().items()}

    def field_states(self) -> dict[str, dict[str, int]]:
        """Field → how often it was right, wrong and missing, in first-seen order."""
        out: dict[str, dict[str, int]] = {}
        for page in self.pages:
            for f in page.fields:
                cell = out.setdefault(f.field, {"right": 0, "wrong": 0, "missing": 0})
                cell[f.state] += 1
        return out

    def worst_pages(self, n: int = WORST) -> list[PageResult]:
        """The pages with the most fields not right (errors first), worst first."""
        bad = [p for p in self.pages if p.error or p.right < len(p.fields)]
        return sorted(bad, key=lambda p: (not p.error, -(len(p.fields) - p.right),
                                          p.page))[:n]

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
            "per_field": {k: {**c, "total": sum(c.values())}
                          for k, c in self.field_states().items()},
            "pages": [{"page": p.page, "golden": p.golden, "kind": p.kind, "right": p.right,
                       "total": len(p.fields), "error": p.error,
                       "wrong": {f.field: f.diffs for f in p.fields if f.state == "wrong"},
                       "missing": {f.field: f.diffs for f in p.fields if f.state == "missing"}}
                      for p in self.pages],
            "worst": [p.page for p in self.worst_pages()],
            "unmatched": self.unmatched,
        }

    def lines(self, verbose: bool = False) -> list[str]:
        """The printed report: every page, a right / wrong / missing table per field,
        the worst pages with their differences, and the overall line (last)."""
        out = []
        for p in self.pages:
            state = f"error: {p.error}" if p.error else f"{p.right}/{len(p.fields)}"
            out.append(f"{p.page} [{p.kind}] {state}")
            if verbose:
                out += [f"  {f.state} {d}"[:300] for f in p.fields if not f.ok for d in f.diffs]
        states = self.field_states()
        if states:
            width = max(len(k) for k in states)
            out.append("")
            out.append(f"{'field'.ljust(width)}  right  wrong  missing")
            for name, c in states.items():
                mark = "" if c["wrong"] + c["missing"] == 0 else "  <"
                out.append(f"{name.ljust(width)}  {c['right']:5}  {c['wrong']:5}  "
                           f"{c['missing']:7}{mark}")
        worst = self.worst_pages()
        if worst:
            out.append("")
            out.append(f"worst pages ({len(worst)} of {len(self.pages)}):")
            for p in worst:
                if p.error:
                    out.append(f"  {p.page} [{p.kind}] error: {p.error}"[:300])
                    continue
                out.append(f"  {p.page} [{p.kind}] {len(p.fields) - p.right} of "
                           f"{len(p.fields)} fields not right")
                for f in p.fields:
                    if not f.ok:
                        out.append(f"    {f.state} {f.diffs[0] if f.diffs else f.field}"[:300])
        share = f"{100 * self.right / self.total:.1f} %" if self.total else "-"
        wrong = sum(c["wrong"] for c in states.values())
        missing = sum(c["missing"] for c in states.values())
        if self.unmatched:
            out.append(f"without a golden: {len(self.unmatched)} page(s)")
        out.append(f"overall: {self.right}/{self.total} fields right ({share}), {wrong} wrong, "
                   f"{missing} missing, on {len(self.pages)} pages")
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


def check_page(page: Path, golden: Path, name: str | None = None) -> PageResult:
    """Parse ``page`` and compare it with ``golden``; ``name`` is how the report calls
    the page (default: its file name)."""
    spec = json.loads(golden.read_text(encoding="utf-8"))
    if isinstance(spec, list):  # a whole minutes PDF's items
        spec = {"_parser": "minutes_pdf", "items": spec}
    inputs = spec.get("_input", {}) or {}
    result = PageResult(page=name or page.name, golden=str(golden), kind="?")
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
                                             [f"{name}: the {kind} record has no such field"],
                                             "wrong"))
            continue
        diffs = compare(actual, expected, name)
        state = "right" if not diffs else "missing" if _empty(actual) else "wrong"
        result.fields.append(FieldResult(page.name, name, not diffs, diffs, state))
    return result


def check_corpus(directory: str | Path, golden_dirs: list[str | Path] | None = None
                 ) -> CorpusReport:
    """Parse every page under ``directory`` (its subfolders too) that has a golden and
    compare field by field. Goldens sit beside their page unless ``golden_dirs`` are
    given; a page is named by its path under ``directory``."""
    directory = Path(directory)
    report = CorpusReport()
    for page in sorted(p for p in directory.rglob("*")
                       if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES):
        dirs = [Path(d) for d in golden_dirs] if golden_dirs else [page.parent]
        name = page.relative_to(directory).as_posix()
        goldens = find_goldens(page, dirs)
        if not goldens:
            report.unmatched.append(name)
            continue
        for golden in goldens:
            report.pages.append(check_page(page, golden, name))
    return report
