"""What the fixture-driven parser tests share: loading a case, checking a folder is
complete, the hypothesis budget, the "never raises, always serialisable" check and the
properties every HTML page parser must have."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

#: ``KOKOUSARKISTO_HYPOTHESIS_EXAMPLES=4000`` runs the property tests much harder.
PROPERTY_SETTINGS = settings(
    max_examples=int(os.environ.get("KOKOUSARKISTO_HYPOTHESIS_EXAMPLES", "120")),
    deadline=None, suppress_health_check=[HealthCheck.too_slow])


def load_spec(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(inputs, expected fields)`` of a ``NAME.expected.json``; ``_``-keys are inputs."""
    spec = json.loads(path.read_text(encoding="utf-8"))
    return spec.get("_input", {}), {k: v for k, v in spec.items() if not k.startswith("_")}


def assert_folder_complete(folder: Path, minimum: int) -> None:
    """Every ``NAME.HTM`` has its ``NAME.expected.json`` and the other way round."""
    pages = sorted(folder.glob("*.HTM"))
    assert len(pages) >= minimum, f"{folder.name}: {len(pages)} fixtures, want {minimum}+"
    for page in pages:
        assert page.with_suffix(".expected.json").exists(), f"{page.stem}.expected.json missing"
    for path in folder.glob("*.expected.json"):
        assert (folder / path.name.replace(".expected.json", ".HTM")).exists(), path.name


def assert_sane(record: Any, record_type: type) -> None:
    """A parser's answer to any input: the right type, JSON-ready, no internal error."""
    assert isinstance(record, record_type)
    json.dumps(record.to_dict())
    assert not any(w.startswith("parser error") for w in record.warnings), record.warnings


def never_raise_tests(parse: Callable[..., Any], record_type: type, pages: list[bytes],
                      url: str) -> tuple[Callable[..., None], ...]:
    """Three properties of an HTML page parser, as test functions for a module to bind:
    random bytes, pages cut short (as a dropped connection leaves them, with ``url``)
    and pages with a chunk cut out all give a sane ``record_type`` and never raise."""

    @PROPERTY_SETTINGS
    @given(st.binary(max_size=3000), st.one_of(st.none(), st.text(max_size=40)))
    def random_bytes(data: bytes, content_type: str | None) -> None:
        assert_sane(parse(data, content_type=content_type), record_type)

    @PROPERTY_SETTINGS
    @given(st.sampled_from(range(len(pages))), st.floats(min_value=0, max_value=1))
    def truncated(index: int, where: float) -> None:
        data = pages[index]
        assert_sane(parse(data[: int(len(data) * where)], url=url), record_type)

    @PROPERTY_SETTINGS
    @given(st.sampled_from(range(len(pages))), st.floats(min_value=0, max_value=1),
           st.floats(min_value=0, max_value=1))
    def chunk_cut_out(index: int, a: float, b: float) -> None:
        data = pages[index]
        lo, hi = sorted((int(len(data) * a), int(len(data) * b)))
        assert_sane(parse(data[:lo] + data[hi:]), record_type)

    return random_bytes, truncated, chunk_cut_out
