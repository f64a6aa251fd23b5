"""One case (asia) across meetings: a key for every printed form of its number.

``3700/2024``, ``3700/10.02.02/2024`` and ``Dnro 3700 / 2024`` are one case within a
municipality; a diary prefix (``OUKA/1499/12.00.02/2016``) is kept, because numbers are
unique only within one diary (as :func:`parsers.fields.parse_case_number` does).
"""

from __future__ import annotations

import re

from parsers.text.vocabulary import parse_case_number

VERSION = 1

_SPACED_RE = re.compile(r"\s*/\s*")


def case_key(text: str | None) -> str | None:
    """``OUKA/1499/12.00.02/2016`` → ``OUKA/1499/2016``; ``0370/2024`` → ``370/2024``."""
    if not text:
        return None
    normalised, _, _ = parse_case_number(_SPACED_RE.sub("/", text))
    if normalised is None:
        return None
    parts = normalised.split("/")
    parts[-2] = str(int(parts[-2]))
    return "/".join(parts)
