"""What the fixture-driven parser tests share: loading a case, checking a folder is
complete, the hypothesis budget, and the "never raises, always serialisable" check."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings

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
