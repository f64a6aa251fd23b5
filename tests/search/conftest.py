"""Analysers for the search tests: Voikko when installed (required on CI), and Snowball."""

from __future__ import annotations

import os

import pytest

from db.lemmas import Lemmatiser, SnowballAnalyser, VoikkoAnalyser


def _voikko() -> VoikkoAnalyser | None:
    try:
        return VoikkoAnalyser.load()
    except Exception:
        return None


_VOIKKO = _voikko()


@pytest.fixture(scope="session")
def voikko() -> Lemmatiser:
    """A Voikko lemmatiser; skips where Voikko is missing, except on CI (setup.sh installs it)."""
    if _VOIKKO is None:
        if os.environ.get("CI"):
            pytest.fail("Voikko is missing on CI: scripts/setup.sh should install "
                        "libvoikko1 and voikko-fi")
        pytest.skip("Voikko (libvoikko1, voikko-fi) is not installed")
    return Lemmatiser(_VOIKKO)


@pytest.fixture(scope="session")
def snowball() -> Lemmatiser:
    """The fallback: no dictionary, every word stemmed with Snowball."""
    return Lemmatiser(SnowballAnalyser())
