"""HTTP, feeds, the raw archive and harvest orchestration."""

__version__ = "0.1.0"
