"""Appeal instructions on a Dynasty meeting page: their section lists and their items.

The ``Pykälä | Muutoksenhakuohjeet`` table gives each instruction PDF a list of the
sections it covers, printed like ``43, 44 kohdat 1-3, 47-48, 50`` – or, where the
export lost the separators, ``41-42,44k24546``. Reading those lists takes the
meeting's own § numbers (see :func:`parse_section_list`), which is why the appeals
are linked to the items only after the whole page has been read.
"""

from __future__ import annotations

import re

from parsers.records import AppealInstruction, ItemAppeal, MeetingItem, MeetingRecord
from parsers.text.vocabulary import clean_text

__all__ = ["link_appeals", "parse_section_list"]

_SECTION_TOKEN_RE = re.compile(r"\d+|kohdat|kohdan|kohta|kohd|k(?=\s*\d)|[-–]|[,;]|\bja\b",
                               re.I)


def _split_run(run: str, known: set[str], part_prefix: bool) -> tuple[str | None, list[str]]:
    """Split a digit run into known § numbers, optionally after a part number.

    ``131133134136`` with 131…136 known → ``(None, ["131", "133", "134", "136"])``;
    ``3138140`` after ``k`` (a part) → ``("3", ["138", "140"])``.
    """
    if not known:
        return (run, []) if part_prefix else (None, [run])
    if run in known and not part_prefix:
        return None, [run]

    def segment(s: str) -> list[str] | None:
        # fewest pieces, every piece a known § number
        best: list[list[str] | None] = [None] * (len(s) + 1)
        best[0] = []
        for end in range(1, len(s) + 1):
            for start in range(max(0, end - 4), end):
                piece = s[start:end]
                if best[start] is not None and piece in known and not piece.startswith("0"):
                    cand = best[start] + [piece]
                    if best[end] is None or len(cand) < len(best[end]):
                        best[end] = cand
        return best[len(s)]

    if part_prefix:
        for cut in (1, 2):
            if len(run) > cut:
                rest = segment(run[cut:])
                if rest:
                    return run[:cut], rest
        if run in known:
            return None, [run]
        return run, []
    pieces = segment(run)
    return (None, pieces) if pieces else (None, [run])


def parse_section_list(raw: str, known: list[str] | None = None
                       ) -> tuple[list[str], dict[str, str], list[str]]:
    """``43, 44 kohdat 1-3, 47-48, 50`` → § numbers, parts, problems.

    ``known`` are the meeting's own § numbers: ranges cover the known numbers between
    their ends, and runs of digits that lost their separators (``131133134``) are split
    into known numbers. Returns ``(sections, {section: "kohdat 1-2"}, problems)``.
    """
    known_set = {k for k in (known or []) if k and k.isdigit()}
    tokens = _SECTION_TOKEN_RE.findall(clean_text(raw))
    sections: list[str] = []
    parts: dict[str, str] = {}
    problems: list[str] = []
    last: str | None = None
    range_from: str | None = None
    part_of: str | None = None  # the section whose parts are being read
    part_tokens: list[str] = []
    part_word = "kohta"

    def close_part() -> None:
        nonlocal part_of, part_tokens
        if part_of and part_tokens:
            spec = "".join(part_tokens).strip("-–")
            word = "kohdat" if re.search(r"[-–,]", spec) or part_word == "kohdat" else "kohta"
            parts[part_of] = f"{word} {spec}"
        part_of, part_tokens = None, []

    def add(number: str) -> None:
        nonlocal last, range_from
        if range_from is not None:
            lo, hi = int(range_from), int(number)
            if hi <= lo or hi - lo > 500:  # '5-5', '00-0': no range, the end is not listed
                problems.append(f"bad range {range_from}-{number}")
            elif known_set:
                inside = sorted((k for k in known_set if lo < int(k) <= hi), key=int)
                for k in inside:
                    if k not in sections:
                        sections.append(k)
                if number not in known_set:
                    problems.append(f"range end {number} is not an item of this meeting")
            else:
                for n in range(lo + 1, hi + 1):
                    if str(n) not in sections:
                        sections.append(str(n))
            range_from = None
        elif number not in sections:
            sections.append(number)
        if known_set and number not in known_set:
            problems.append(f"{number} is not an item of this meeting")
        last = number

    i = 0
    while i < len(tokens):
        tok = tokens[i]
        low = tok.lower()
        if low.startswith("k") and not tok.isdigit():
            if last is None:
                problems.append("part without a section")
            close_part()
            part_of = last
            part_word = "kohdat" if low == "kohdat" else "kohta"
        elif tok.isdigit():
            if part_of is not None:
                part, rest = _split_run(tok, known_set, part_prefix=True)
                if part is not None:
                    part_tokens.append(part)
                if rest:
                    close_part()
                    for number in rest:
                        add(number)
            else:
                _, pieces = _split_run(tok, known_set, part_prefix=False)
                for j, number in enumerate(pieces):
                    if j and range_from is not None:
                        problems.append(f"unclear range end in {tok}")
                    add(number)
        elif tok in "-–":
            if part_of is not None:
                part_tokens.append("-")
            elif last is not None:
                range_from = last
                # the range's start is already listed; its end comes next
            else:
                problems.append("range without a start")
        else:  # "," ";" "ja"
            if part_of is not None:
                # "kohdat 1, 2" goes on when the next number is not a known section
                nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
                if nxt.isdigit() and known_set and nxt not in known_set and len(nxt) <= 2:
                    part_tokens.append(", ")
                else:
                    close_part()
        i += 1
    close_part()
    if range_from is not None:
        problems.append(f"range from {range_from} has no end")
    return sections, parts, problems


def link_appeals(rec: MeetingRecord, appeal_rows: list[tuple[str, str, str | None]]) -> None:
    """Record each ``(sections_raw, title, url)`` appeal row and attach it to its items."""
    known = [i.section for i in rec.items if i.section]
    by_section: dict[str, MeetingItem] = {}
    for item in rec.items:
        if item.section:
            by_section.setdefault(item.section, item)
    for raw, title, url in appeal_rows:
        sections, parts, problems = parse_section_list(raw, known)
        for problem in problems:
            rec.warn(f"appeal sections {raw!r}: {problem}")
        rec.appeals.append(AppealInstruction(
            title=title, url=url, sections_raw=clean_text(raw), sections=sections,
            parts=parts))
        for section in sections:
            item = by_section.get(section)
            if item is not None:
                item.appeals.append(ItemAppeal(title=title, url=url, part=parts.get(section)))
