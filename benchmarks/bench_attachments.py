"""Attachment text extraction: engines compared for speed, text and memory in one run.

    .venv/bin/python -m benchmarks.bench_attachments [--repeat N] [--big PAGES]

Inputs, in groups: ``real`` (the Oulu minutes PDFs in ``../shared/corpus/tweb-pdf``,
skipped when absent), ``demo`` (the demo site's attachment and whole-meeting PDFs) and
``generated`` (the ``tests/parsers/item_pdf`` specs rendered by ``pdfgen`` and
a dense 60-page report). For each group, median ms per page of:

* ``ours/pdfium`` and ``ours/pdfplumber``: :func:`parsers.pdf.text.attachment_text`
  with each engine (de-hyphenation and ``(cid:N)`` clean-up included);
* bare pdfplumber ``page.extract_text()``, bare pypdfium2
  ``get_textpage().get_text_range()`` and ``pdftotext`` (poppler, one process a file);

with ratios against ``ours/pdfplumber`` (the extractor before this measurement). Text
quality per file: word agreement of the two engines' final page texts (multiset
Jaccard of lower-cased words with a letter or digit) and of the bare texts, counts of
``ä ö å``, soft hyphens and ``(cid:`` in each. Peak memory: growth of the maximum RSS
of a fresh process that extracts the group with one engine. Last, a ``--big``-page file
through ``attachment_text``'s default limits.

Decision (measured 2026-11-23 on a shared, loaded machine; ratios varied by run):
**pypdfium2 is the attachment extractor, pdfplumber the fallback** (a file PDFium cannot
open, an install without pypdfium2). Thresholds set beforehand: ≥ 3× faster, ≥ 0.97
word agreement on the real files.

* Speed, ``ours/pdfium`` vs ``ours/pdfplumber``: real 2.45 vs 52.5 ms/page (21×; 43–58×
  in quieter runs), demo 2.6 vs 41.6 (16–42×), generated 2.0 vs 168 (86–130×).
  ``pdftotext`` in a subprocess: 4–15× faster than ours/pdfplumber, slower than PDFium.
* Text: agreement of the final page texts in FTS5 tokens (what search indexes) real
  min 0.992 / mean 0.996, demo 1.000, generated 1.000; in whitespace words real
  0.966 / 0.979. Every difference was PDFium being the more useful one: in two-column
  PDFs PDFium reads a wrapped left-column heading as its own line and so joins
  ``Täytäntöönpano-``/``tiedot`` and ``Kaupungin-``/``hallituksen``, where pdfplumber's
  baseline lines put body words between the halves (and, in one generated file,
  pdfplumber glued a page's last hyphenated word to the footer below it).
  ``ä ö å`` counts are identical; no soft hyphens in these files; pdfplumber's bare
  text has ``(cid:127)`` for slide bullets (12 on the demo site), PDFium gives ``•``;
  ours drops ``(cid:N)`` either way.
* Memory (peak RSS growth of a fresh process over each group): PDFium +1.5 / +1.8 /
  +3.9 MB, pdfplumber +3.6 / +3.9 / +23.2 MB (real / demo / generated).
* Limits, a 2000-page file with the defaults: PDFium reads 500 pages in 0.6–0.8 s
  (``truncated: 500 of 2000 pages read (page limit 500)``); pdfplumber hits the 60 s
  limit after ~300 pages.

PDFium marks line-end hyphens with U+FFFE and drops the line break; they are restored
as ``-`` + line break and de-hyphenated like pdfplumber's text. It reads in
content-stream order rather than by baseline: harmless for word search.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from parsers import attachment_text

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"
SPECS = Path(__file__).resolve().parents[1] / "tests" / "parsers" / "item_pdf"
ENGINES = ("pdfium", "pdfplumber")

Files = list[tuple[str, bytes]]


# --- inputs ------------------------------------------------------------------------------


def dense_report(pages: int) -> bytes:
    """A report of ``pages`` full pages of Finnish prose, line ends hyphenated."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    words = ("kaupunginhallitus hyväksyy lähiliikuntapaikkojen kunnostus- ohjelman vuosille "
             "ja päättää että asukkaiden hyvinvoinnin edistäminen jatkuu yhteis- työssä "
             "järjestöjen kanssa määrärahat sisältyvät talousarvioon ympäristö- lautakunta "
             "selvittää pohjavesialueen suojelusuunnitelman toteutumisen").split()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1)
    for k in range(pages):
        c.setFont("Helvetica", 10)
        c.drawString(57, 810, f"Testilän kaupunki   Selvitys   {k + 1} ({pages})")
        for n in range(58):
            line = " ".join(words[(k + n + i) % len(words)] for i in range(11))
            c.drawString(57, 780 - n * 12.5, line[:98])
        c.showPage()
    c.save()
    return buf.getvalue()


def inputs() -> dict[str, Files]:
    from demosite import build_site

    groups: dict[str, Files] = {}
    if CORPUS.exists():
        groups["real"] = [(p.name, p.read_bytes())
                          for p in sorted((CORPUS / "tweb-pdf").rglob("*.pdf"))]
    site = build_site("http://127.0.0.1:8765")
    doc = re.compile(r"^/kokous/(\d+-\d+-\d+|\d+)\.PDF$")  # attachments, whole meetings
    groups["demo"] = [(path.rsplit("/", 1)[-1], body)
                      for path, (_, body) in sorted(site.pages.items()) if doc.match(path)]
    sys.path.insert(0, str(SPECS.parent))
    import pdfgen

    groups["generated"] = [(p.stem, pdfgen.build_pdf(pdfgen.load_spec(p)))
                           for p in sorted(SPECS.glob("*.yaml"))]
    groups["generated"].append(("dense-60", dense_report(60)))
    return groups


# --- extractors --------------------------------------------------------------------------


def bare_pdfplumber(data: bytes) -> list[str]:
    import pdfplumber

    out = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            out.append(page.extract_text() or "")
            page.close()
    return out


def bare_pdfium(data: bytes) -> list[str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    out = []
    try:
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            out.append(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        doc.close()
    return out


def pdftotext(data: bytes) -> list[str]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(data)
        fh.flush()
        done = subprocess.run(["pdftotext", fh.name, "-"], check=True, capture_output=True)
    return done.stdout.decode("utf-8", "replace").split("\f")


def ours(engine: str) -> Callable[[bytes], list[str]]:
    def run(data: bytes) -> list[str]:
        return attachment_text(data, engine=engine, max_pages=None, max_seconds=None)[2]
    return run


def extractors() -> dict[str, Callable[[bytes], list[str]]]:
    out = {"ours/pdfium": ours("pdfium"), "ours/pdfplumber": ours("pdfplumber"),
           "bare pdfplumber extract_text": bare_pdfplumber,
           "bare pypdfium2 get_text_range": bare_pdfium}
    if shutil.which("pdftotext"):
        out["pdftotext (subprocess)"] = pdftotext
    return out


# --- measuring ---------------------------------------------------------------------------


def ms_per_page(fn: Callable[[bytes], object], files: Files, pages: int, repeat: int) -> float:
    rounds = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _, data in files:
            fn(data)
        rounds.append((time.perf_counter() - start) * 1000 / pages)
    return statistics.median(rounds)


def words(pages: list[str]) -> Counter[str]:
    """Whitespace-separated words, lower-cased, outer punctuation stripped."""
    out: Counter[str] = Counter()
    for page in pages:
        for w in page.replace("\ufffe", "-").split():
            w = w.strip(".,:;!?()[]\"'”’–—-•·*").casefold()
            if any(ch.isalnum() for ch in w):
                out[w] += 1
    return out


def tokens(pages: list[str]) -> Counter[str]:
    """Words as the FTS5 ``unicode61`` tokenizer sees them (split at every
    non-alphanumeric character): what attachment search indexes."""
    return Counter(t.casefold() for page in pages for t in re.findall(r"\w+", page))


def agreement(a: list[str], b: list[str], split: Callable = words) -> float:
    """Multiset Jaccard of the two texts' words."""
    wa, wb = split(a), split(b)
    union = sum((wa | wb).values())
    return sum((wa & wb).values()) / union if union else 1.0


def marks(pages: list[str]) -> str:
    text = "".join(pages)
    fi = sum(text.count(c) for c in "äöåÄÖÅ")
    return f"äöå={fi} shy={text.count(chr(0xAD))} cid={text.count('(cid:')}"


MEMORY_SCRIPT = """
import json, pathlib, sys
import pdfplumber, pypdfium2  # imports belong to the baseline
from benchmarks.bench_attachments import extractors, peak_rss_mb
files = [p.read_bytes() for p in sorted(pathlib.Path(sys.argv[1]).glob("*.pdf"))]
fn = extractors()[sys.argv[2]]
base = peak_rss_mb()
for data in files:
    fn(data)
print(json.dumps({"base_mb": base, "growth_mb": peak_rss_mb() - base}))
"""


def peak_rss_mb() -> float:
    """This process's peak RSS: ``VmHWM`` (``ru_maxrss`` would include the parent's
    peak, which Linux carries over a fork and exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_memory(files: Files, name: str) -> str:
    """Growth of the maximum RSS of a fresh process extracting ``files`` with one
    extractor (PDFium allocates outside Python, so tracemalloc would not see it)."""
    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        for i, (_, data) in enumerate(files):
            (Path(tmp) / f"{i:04d}.pdf").write_bytes(data)
        done = subprocess.run([sys.executable, "-c", MEMORY_SCRIPT, tmp, name], cwd=root,
                              capture_output=True, text=True, timeout=600)
    if done.returncode:
        return "n/a"
    got = json.loads(done.stdout.strip().splitlines()[-1])
    return f"base {got['base_mb']:.0f} MB, +{got['growth_mb']:.1f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--big", type=int, default=2000, help="pages of the limits demo file")
    args = parser.parse_args()
    groups = inputs()
    fns = extractors()
    import pypdfium2

    print(f"pypdfium2 {pypdfium2.version.PYPDFIUM_INFO} (PDFium {pypdfium2.version.PDFIUM_INFO})")
    for group, files in groups.items():
        pages = sum(len(bare_pdfium(data)) for _, data in files)
        print(f"\n== {group}: {len(files)} files, {pages} pages ==")
        times = {name: ms_per_page(fn, files, pages, args.repeat) for name, fn in fns.items()}
        base = times["ours/pdfplumber"]
        for name, ms in times.items():
            print(f"  {name:30s} {ms:8.2f} ms/page   {base / ms:6.1f}x faster than "
                  f"ours/pdfplumber")
        texts = [(ours("pdfium")(d), ours("pdfplumber")(d)) for _, d in files]
        final = [agreement(a, b) for a, b in texts]
        fts = [agreement(a, b, tokens) for a, b in texts]
        bare = [agreement(bare_pdfium(d), bare_pdfplumber(d)) for _, d in files]
        print(f"  agreement pdfium vs pdfplumber (min/mean): final words "
              f"{min(final):.3f}/{statistics.mean(final):.3f}, final FTS tokens "
              f"{min(fts):.3f}/{statistics.mean(fts):.3f}, bare words "
              f"{min(bare):.3f}/{statistics.mean(bare):.3f}")
        if group == "real" or len(files) <= 3:
            for (name, data), fa, ft, ba in zip(files, final, fts, bare, strict=True):
                print(f"    {name}: words {fa:.3f} tokens {ft:.3f} bare {ba:.3f} | pdfium "
                      f"{marks(ours('pdfium')(data))} | pdfplumber "
                      f"{marks(ours('pdfplumber')(data))} | bare pdfplumber "
                      f"{marks(bare_pdfplumber(data))}")
        else:
            print(f"    all files: pdfium {marks([t for _, d in files for t in ours('pdfium')(d)])}"
                  f" | pdfplumber {marks([t for _, d in files for t in ours('pdfplumber')(d)])}"
                  f" | bare pdfplumber {marks([t for _, d in files for t in bare_pdfplumber(d)])}")
        for name in ("ours/pdfium", "ours/pdfplumber"):
            print(f"  peak RSS {name:16s} {peak_memory(files, name)}")
    if args.big:
        data = dense_report(args.big)
        print(f"\n== limits: one {args.big}-page file, attachment_text defaults ==")
        for engine in ENGINES:
            start = time.perf_counter()
            status, error, texts = attachment_text(data, engine=engine)
            print(f"  {engine:10s} {time.perf_counter() - start:6.2f} s  status={status} "
                  f"pages={len(texts)} error={error!r}")


if __name__ == "__main__":
    main()
