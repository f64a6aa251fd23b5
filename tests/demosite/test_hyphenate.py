"""The Finnish hyphenator that puts Word-like line-end hyphens into the demo PDFs."""

from __future__ import annotations

import pytest

from demosite.hyphenate import break_points, hyphenate, syllable_breaks
from demosite.pdf_layout import wrap


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("järjestöjen", "jär-jes-tö-jen"),
        ("kaupunginhallitus", "kau-pun-gin-hal-li-tus"),
        ("Pohjoisen", "Poh-joi-sen"),
        ("Asuntotuotannon", "Asun-to-tuo-tan-non"),
        ("sekä", "se-kä"),
        ("talous", "ta-lous"),  # "ou" is a diphthong
        ("(Rantapuisto),", "(Ran-ta-puis-to),"),  # punctuation stays attached
        ("“Myllyharju", "“Myl-ly-har-ju"),
    ],
)
def test_syllable_hyphenation(word: str, expected: str) -> None:
    assert hyphenate(word) == expected


@pytest.mark.parametrize(
    "word", ["ESR", "ry:n", "EU:n", "2025", "etunimi.sukunimi@demola.fi", "ja", "klo"]
)
def test_words_that_are_never_broken(word: str) -> None:
    assert break_points(word) == []


def test_existing_hyphen_is_the_only_break() -> None:
    # Only right after the hyphen/dash, and nothing is added there.
    assert break_points("Ely-keskuksen") == [(4, False)]
    assert break_points("Pohjois-Esimerkin") == [(8, False)]
    assert break_points("2025–2027") == [(5, False)]
    # "sosiaali- ja ..." keeps its hyphen: the word itself is not broken.
    assert break_points("sosiaali-") == []


def test_two_letters_kept_on_each_side() -> None:
    for pos in syllable_breaks("hyvinvointialueen"):
        assert 2 <= pos <= len("hyvinvointialueen") - 2


def test_wrap_hyphenates_when_a_word_does_not_fit() -> None:
    text = "Kaupunginhallitus hyväksyy liikennejärjestelmäsuunnitelmasta annettavan lausunnon."
    lines = wrap(text, 150)
    assert any(line[-1].endswith("-") for line in lines[:-1])
    # Joining the lines back gives the text again.
    joined = ""
    for words in lines:
        chunk = " ".join(words)
        joined += chunk[:-1] if chunk.endswith("-") and not chunk.endswith(" -") else chunk + " "
    assert joined.strip() == text
