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
    #: things an operator should fix that lose nothing (e.g. two sources on one address)
    warnings: list[str] = field(default_factory=list)
    #: each source's own counts and seconds, for ``--verbose`` and the benchmark
    by_source: dict[str, RunSummary] = field(default_factory=dict, repr=False)

    #: the counters :meth:`add` sums
    COUNTS = ("sources", "new_items", "updated_items", "unchanged_items",
              "official_decisions", "meeting_pages", "failed", "requests")

    def add(self, other: RunSummary) -> None:
        """Add ``other``'s counts, reasons and sources to this summary (not its seconds:
        runs side by side do not add up in time)."""
        for name in self.COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.failures.extend(other.failures)
        self.warnings.extend(other.warnings)
        self.by_source.update(other.by_source)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def line(self) -> str:
        return (f"sources={self.sources} new={self.new_items} updated={self.updated_items} "
                f"official_decisions={self.official_decisions} failed={self.failed} "
                f"requests={self.requests} seconds={self.seconds:.1f}")

    def source_line(self, source_id: str) -> str:
        """One source's counts, as ``--verbose`` prints them under the summary."""
        mine = self.by_source[source_id]
        return (f"{source_id}: new={mine.new_items} updated={mine.updated_items} "
                f"unchanged={mine.unchanged_items} "
                f"official_decisions={mine.official_decisions} failed={mine.failed} "
                f"requests={mine.requests} seconds={mine.seconds:.1f}")
