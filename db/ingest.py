"""What every stored text goes through: no control characters, a size cap.

Scraped HTML and PDF text carry control characters (U+0001, U+001B, ...) that XML
cannot hold, so one of them in one item broke every Atom feed that listed it; they are
removed here, at ingest, whatever parser produced the text. A text field of one item is
capped (:data:`MAX_FIELD_CHARS`) with a warning saying so: one 20 MB item made every
matching search take 10–18 s, and no real agenda item is anywhere near the cap; the
whole page stays in the raw archive.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import re
from typing import Any

#: C0 controls except tab, line feed and carriage return; DEL; lone surrogates; the
#: non-characters U+FFFE and U+FFFF. None of them is text, and XML 1.0 allows none.
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
#: characters kept of one text field of an item or an official decision
MAX_FIELD_CHARS = 200_000
#: characters kept of one attachment page
MAX_PAGE_CHARS = 100_000


def clean_text(value: str) -> str:
    """``value`` without control characters."""
    return CONTROL_RE.sub("", value)


def cap(value: str, limit: int) -> tuple[str, bool]:
    """``value`` cut at ``limit`` characters (at a space when one is near) and whether it
    was cut."""
    if len(value) <= limit:
        return value, False
    cut = value.rfind(" ", limit - 200, limit)
    return value[: cut if cut > 0 else limit] + " …", True


def clean_record(record: Any) -> None:
    """Remove control characters from every string of ``record`` (a dataclass, with its
    nested dataclasses and lists) and cap its long text fields, in place; a capped field
    is named in ``record.warnings``."""
    for name in _field_names(type(record)):
        value = getattr(record, name)
        if isinstance(value, enum.Enum):  # a parser's verdict, not text
            continue
        if isinstance(value, str):
            if len(value) <= MAX_FIELD_CHARS and not CONTROL_RE.search(value):
                continue  # the usual case: nothing to change
            value = clean_text(value)
            value, was_cut = cap(value, MAX_FIELD_CHARS)
            if was_cut and hasattr(record, "warn"):
                record.warn(f"text capped: {name} kept {MAX_FIELD_CHARS} characters")
            setattr(record, name, value)
        elif isinstance(value, list):
            if value:
                setattr(record, name, [_clean_value(v) for v in value])
        elif dataclasses.is_dataclass(value):
            clean_record(value)


@functools.cache
def _field_names(kind: type) -> tuple[str, ...]:
    """The fields :func:`clean_record` reads (``dataclasses.fields`` is slow enough to
    show in a bulk load: it ran for every record and every nested one)."""
    return tuple(f.name for f in dataclasses.fields(kind) if f.name != "warnings")


def _clean_value(value: Any) -> Any:
    if isinstance(value, str) and not isinstance(value, enum.Enum):
        return cap(clean_text(value), MAX_FIELD_CHARS)[0]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        clean_record(value)
    return value


def clean_pages(texts: list[str]) -> list[str]:
    """Attachment page texts without control characters, each capped."""
    return [cap(clean_text(t), MAX_PAGE_CHARS)[0] for t in texts]
