"""A per-source time budget for one run.

A host that answers every request just inside its deadline (slowly, or 100,000 feed
entries at the polite delay) could still hold a run for days. Each source gets at most
``seconds`` of one run; the harvest checks between items and leaves the rest to the next
run, saying so. Its clock is injected, as the HTTP client's is.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

#: a daily feed harvest of one host (about 100 items) takes minutes at the polite delay
DEFAULT_SOURCE_SECONDS = 1800.0


class Budget:
    """``spent()`` once ``seconds`` (``None``: never) have passed since it was made."""

    def __init__(self, seconds: float | None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self.started = clock()
        self.reported = False

    def spent(self) -> bool:
        return self.seconds is not None and self.clock() - self.started >= self.seconds

    def report(self, summary: Any, source_id: str, what: str) -> None:
        """Say in the run's ``summary`` what is left; the source counts as failed once."""
        if not self.reported:
            summary.failed += 1
            self.reported = True
        summary.failures.append(f"{source_id}: time budget of {self.seconds:g} s used up; "
                                f"{what} left for the next run")
