"""Parser speed against bare baselines measured in the same run.

    .venv/bin/python -m benchmarks.bench_parsers [--repeat N]

HTML: our ``parse("item_html", ...)`` vs a bare ``BeautifulSoup(data, "lxml")`` of the same bytes
(target: ours within 2x). PDF: our ``parse("item_pdf", ...)`` vs bare pdfplumber
``extract_words`` on the same files (target: within 1.2x), and ``pdftotext`` (poppler)
for scale. Inputs are the demo site's pages and PDFs plus the real documents in
``../shared/corpus`` when present. Ours and its baseline are timed in pairs, document by
document, in CPU time (:func:`paired_ms`), so the ratio holds on a shared machine.
Prints median ms per page and the ratios; targets are reported, not asserted, because
timings belong here and not in unit tests.
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import lxml.html
import pdfplumber
from bs4 import BeautifulSoup

from demosite import build_site
from parsers import parse


def parse_item_html(data: bytes):
    """The item-page kind through the front door (with its never-raise guard)."""
    return parse("item_html", data)


def parse_item_pdf(data: bytes):
    """The item-PDF kind through the front door (with its never-raise guard)."""
    return parse("item_pdf", data)


CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"


def inputs() -> tuple[list[bytes], list[bytes]]:
    site = build_site("http://127.0.0.1:8765")
    item = re.compile(r"^/kokous/\d+-\d+\.(HTM|PDF)$")
    pages = [(m.group(1), body) for path, (_, body) in sorted(site.pages.items())
             if (m := item.match(path))]
    html = [body for kind, body in pages if kind == "HTM"]
    pdfs = [body for kind, body in pages if kind == "PDF"]
    if CORPUS.exists():
        html += [p.read_bytes() for p in sorted((CORPUS / "dynasty" / "espoo").glob("*-*.HTM"))]
        pdfs += [p.read_bytes() for p in sorted((CORPUS / "tweb-pdf").rglob("*.pdf"))]
    return html, pdfs


def median_ms(fn: Callable[[bytes], object], docs: list[bytes], repeat: int,
              clock: Callable[[], float] = time.process_time) -> float:
    """Median over ``repeat`` rounds of the mean time per document, in ms (CPU time of
    this process unless ``clock`` says otherwise: a subprocess needs the wall clock)."""
    rounds = []
    for _ in range(repeat):
        start = clock()
        for doc in docs:
            fn(doc)
        rounds.append((clock() - start) * 1000 / len(docs))
    return statistics.median(rounds)


def paired_ms(baseline: Callable[[bytes], object], ours: Callable[[bytes], object],
              docs: list[bytes], repeat: int) -> tuple[float, float]:
    """``(baseline, ours)``: median over ``repeat`` rounds of the mean CPU time per
    document, in ms, each document timed with the baseline and then ours back to back.

    CPU time of this process and pairs close in time keep the ratio fair on a machine
    that other work shares: a busy spell slows both sides of a pair, not one phase.
    """
    base_rounds, our_rounds = [], []
    for _ in range(repeat):
        base = mine = 0.0
        for doc in docs:
            start = time.process_time()
            baseline(doc)
            middle = time.process_time()
            ours(doc)
            base += middle - start
            mine += time.process_time() - middle
        base_rounds.append(base * 1000 / len(docs))
        our_rounds.append(mine * 1000 / len(docs))
    return statistics.median(base_rounds), statistics.median(our_rounds)


def bare_words(data: bytes) -> None:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_words(extra_attrs=["fontname", "size"])
            page.close()


def page_count(data: bytes) -> int:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def pdftotext(data: bytes) -> None:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(data)
        fh.flush()
        subprocess.run(["pdftotext", "-layout", fh.name, "-"], check=True,
                       stdout=subprocess.DEVNULL)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    html, pdfs = inputs()
    for fn, docs in ((parse_item_html, html[:1]), (parse_item_pdf, pdfs[:1])):
        fn(docs[0])  # warm imports and caches

    bare, ours = paired_ms(lambda d: BeautifulSoup(d, "lxml"), parse_item_html, html,
                           args.repeat)
    tree = median_ms(lxml.html.document_fromstring, html, args.repeat)
    print(f"HTML item pages: {len(html)} documents")
    print(f"  bare lxml.html tree      {tree:8.2f} ms/page")
    print(f"  bare BeautifulSoup(lxml) {bare:8.2f} ms/page")
    print(f"  parse_item_html          {ours:8.2f} ms/page   ratio {ours / bare:.2f}x "
          f"BeautifulSoup (target <= 2.0x), {ours / tree:.1f}x a bare lxml tree")

    pages = sum(page_count(d) for d in pdfs)
    per_page = len(pdfs) / pages  # median_ms is per document; convert to per page
    bare_pdf, ours_pdf = (ms * per_page for ms in paired_ms(bare_words, parse_item_pdf, pdfs,
                                                            args.repeat))
    print(f"PDF item documents: {len(pdfs)} documents, {pages} pages")
    print(f"  bare extract_words       {bare_pdf:8.2f} ms/page")
    print(f"  parse_item_pdf           {ours_pdf:8.2f} ms/page   ratio {ours_pdf / bare_pdf:.2f}x "
          f"(target <= 1.2x)")
    if shutil.which("pdftotext"):
        poppler = median_ms(pdftotext, pdfs, args.repeat, time.perf_counter) * per_page
        print(f"  pdftotext (poppler)      {poppler:8.2f} ms/page (wall clock)   "
              f"parse_item_pdf is {ours_pdf / poppler:.1f}x pdftotext")
    else:
        print("  pdftotext not installed (apt-get install poppler-utils)")


if __name__ == "__main__":
    main()
