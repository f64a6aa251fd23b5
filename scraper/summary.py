"""What one harvest run did, in numbers and reasons.

Its own module so that the parts of a harvest can add to one summary without importing
the orchestration (:mod:`scraper.harvest`, which re-exports it).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RunSummary:
    """Counts and failure reasons of one run; :meth:`line` is what the CLI prints."""

    sources: int = 0
    new_items: int = 0
    updated_items: int = 0
    unchanged_items: int = 0
    official_decisions: int = 0  # new officials' decisions
    meeting_pages: int = 0  # meetings whose page details (time, place, attendees) changed
    failed: int = 0
    requests: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def line(self) -> str:
        return (f"sources={self.sources} new={self.new_items} updated={self.updated_items} "
                f"official_decisions={self.official_decisions} failed={self.failed} "
                f"requests={self.requests} seconds={self.seconds:.1f}")
