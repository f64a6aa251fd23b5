"""What the parser tests share: loading a case's inputs, the hypothesis budget and the
"a record of the right type, JSON-ready, no internal error" check."""

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


def assert_sane(record: Any, record_type: type) -> None:
    """A parser's answer to any input: the right type, JSON-ready, no internal error."""
    assert isinstance(record, record_type)
    json.dumps(record.to_dict())
    assert not any(w.startswith("parser error") for w in record.warnings), record.warnings
