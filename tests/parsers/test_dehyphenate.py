"""Unit tests of the Finnish line-end de-hyphenation (``parsers.text.dehyphenate``)."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from parsers.text.dehyphenate import (  # noqa: E402
    Vocabulary,
    decide,
    dehyphenate_lines,
    dehyphenate_text,
    ends_with_hyphen,
    join_pair,
)

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"


# --- single decisions without any document evidence ---------------------------------


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        # syllable breaks: join
        ("järjestö-", "jen", "järjestöjen"),
        ("rahoit-", "tamisen", "rahoittamisen"),
        ("se-", "kä", "sekä"),
        ("talo-", "usarvion", "talousarvion"),
        ("kaupunginjohta-", "jan", "kaupunginjohtajan"),
        ("kunta-", "rahoitusosuutta", "kuntarahoitusosuutta"),
        ("maaseu-", "tualueella", "maaseutualueella"),
        # a broken name whose second half carries the real hyphen
        ("Poh-", "jois-Savon", "Pohjois-Savon"),
        # capitalised word mid-sentence but a short syllable after it
        ("Kestä-", "vää", "Kestävää"),
        # punctuation around the halves stays where it was
        ("(Kuopion", "x", None),
        ("”kake”-oh-", "jelma)", "”kake”-ohjelma)"),
        ("vs.", "x", None),
        # proper noun / abbreviation compounds keep the hyphen
        ("Ely-", "keskus", "Ely-keskus"),
        ("Ely-", "keskuksen", "Ely-keskuksen"),
        ("Leader-", "toiminnan", "Leader-toiminnan"),
        ("Kake-", "ohjelmasta", "Kake-ohjelmasta"),
        # acronyms keep the hyphen
        ("ESR-", "linjausten", "ESR-linjausten"),
        ("EU-", "rahoitus", "EU-rahoitus"),
        ("KAKE-", "ohjelma", "KAKE-ohjelma"),
        # digits keep the hyphen
        ("2018-", "2020", "2018-2020"),
        ("1.3.-", "30.4.2019", "1.3.-30.4.2019"),
        ("14-", "vuotias", "14-vuotias"),
        # same vowel on both sides: Finnish writes the hyphen
        ("taajama-", "alue", "taajama-alue"),
        ("rakennerahasto-", "ohjelman", "rakennerahasto-ohjelman"),
        ("maa-", "alueella", "maa-alueella"),
        ("linja-", "autoasema", "linja-autoasema"),
        # capitalised second half
        ("Pohjois-", "Savon", "Pohjois-Savon"),
        ("Etelä-", "Suomen", "Etelä-Suomen"),
        # suspended compounds keep hyphen and space
        ("sosiaali-", "ja", "sosiaali- ja"),
        ("koulutus-", "ja", "koulutus- ja"),
        ("ESR-", "ja", "ESR- ja"),
        ("puisto-", "tai", "puisto- tai"),
        ("opetus-", "sekä", "opetus- sekä"),
        ("kehittämis-", "eli", "kehittämis- eli"),
        ("asunto-", "tahi", "asunto- tahi"),
        ("palkkio-", "ja", "palkkio- ja"),
        # all capitals: long words join, short ones are acronyms
        ("KAUPUNGIN-", "HALLITUS", "KAUPUNGINHALLITUS"),
        ("EU-", "HANKE", "EU-HANKE"),
        # a soft hyphen always joins
        ("kaupungin\u00ad", "hallitus", "kaupunginhallitus"),
        # an en dash glued to a word is kept, never dropped
        ("2025–", "2035", "2025–2035"),
        ("1.–", "6. luokka", "1.–6. luokka"),
        ("sosiaali–", "ja", "sosiaali– ja"),
    ],
)
def test_decide_without_vocabulary(left: str, right: str, expected: str | None) -> None:
    if expected is None:
        assert not ends_with_hyphen(left)
        return
    assert ends_with_hyphen(left)
    assert join_pair(left, right, decide(left, right)) == expected


@pytest.mark.parametrize(
    ("left", "right", "sentence_start", "expected"),
    [
        ("Toiminta-", "suunnitelman", True, "Toimintasuunnitelman"),
        ("Kokei-", "lujen", True, "Kokeilujen"),
        ("Tä-", "hänastisista", True, "Tähänastisista"),
        # the same word in mid-sentence looks like a proper-noun compound
        ("Toiminta-", "suunnitelman", False, "Toiminta-suunnitelman"),
        # a capital second half keeps the hyphen even at a sentence start
        ("Pohjois-", "Savon", True, "Pohjois-Savon"),
        # an acronym is an acronym anywhere
        ("ESR-", "linjausten", True, "ESR-linjausten"),
    ],
)
def test_sentence_start(left: str, right: str, sentence_start: bool, expected: str) -> None:
    decision = decide(left, right, sentence_start=sentence_start)
    assert join_pair(left, right, decision) == expected


def test_not_hyphenation_candidates() -> None:
    assert not ends_with_hyphen("-")
    assert not ends_with_hyphen("–")
    assert not ends_with_hyphen("2018 –")
    assert ends_with_hyphen("2018–")
    assert not ends_with_hyphen("")
    assert ends_with_hyphen("a-")
    assert ends_with_hyphen("sana\u00ad")
    assert not ends_with_hyphen("sana-)")


def test_right_half_starting_with_punctuation_is_not_glued() -> None:
    assert decide("sana-", "(lisäys)") == "space"
    assert decide("sana-", "-") == "space"


# --- evidence from the document ---------------------------------------------------


def test_vocabulary_prefers_the_joined_form_seen_elsewhere() -> None:
    vocab = Vocabulary("Kuopion kaupunki ja Kuopion seutu".split())
    # without evidence a capitalised mid-sentence prefix looks like "Ely-keskus"
    assert decide("Kuo-", "pion") == "keep"
    assert decide("Kuo-", "pion", vocab) == "join"


def test_vocabulary_prefers_the_hyphenated_form_seen_elsewhere() -> None:
    vocab = Vocabulary("hanke-esitys ja hanke-esityksen".split())
    assert decide("hanke-", "esitys", vocab) == "keep"
    vocab = Vocabulary("Kela-korvaus".split())
    assert decide("Kela-", "korvauksen", vocab) == "keep"  # same prefix, other ending
    vocab = Vocabulary("sotealueen sotealue".split())
    assert decide("sote-", "alue", vocab) == "join"  # beats the same-vowel rule


def test_vocabulary_counts_inflected_forms_by_stem() -> None:
    vocab = Vocabulary("toimintasuunnitelmaan".split())
    assert decide("Toiminta-", "suunnitelman", vocab) == "join"


def test_vocabulary_from_lines_skips_the_fragments() -> None:
    vocab = Vocabulary.from_lines(["alku Poh-", "jois-Savon loppu", "", "Pohjois-Savon"])
    assert vocab.count("poh-") == 0
    assert vocab.count("jois-Savon") == 0
    assert vocab.count("Pohjois-Savon") == 1
    assert vocab.count("alku") == 1 and vocab.count("loppu") == 1
    assert vocab.count_prefix("pohjois") == 1
    assert len(vocab) == 3


def test_vocabulary_is_case_and_punctuation_insensitive() -> None:
    vocab = Vocabulary(["(Ely-keskuksen),", "ELY-KESKUS."])
    assert vocab.count("ely-keskuksen") == 1
    assert vocab.count("Ely-keskus") == 1


# --- lines and texts --------------------------------------------------------------


def test_dehyphenate_lines_joins_a_paragraph() -> None:
    lines = [
        "Uimarannan taajama-alueella kunnostetaan laitu-",
        "reita Poh-",
        "jois-Karjalan Ely-",
        "keskuksen avulla vuosina 2018-",
        "2020, ja sosiaali-",
        "ja terveystoimi osallistuu työhön.",
    ]
    assert dehyphenate_lines(lines) == (
        "Uimarannan taajama-alueella kunnostetaan laitureita Pohjois-Karjalan Ely-keskuksen"
        " avulla vuosina 2018-2020, ja sosiaali- ja terveystoimi osallistuu työhön."
    )


def test_dehyphenate_lines_trailing_hyphen_and_blank_lines() -> None:
    assert dehyphenate_lines(["toiminta-"]) == "toiminta-"
    assert dehyphenate_lines(["a", "", "  ", "b"]) == "a b"
    assert dehyphenate_lines([]) == ""


def test_dehyphenate_lines_uses_the_sentence_start() -> None:
    assert dehyphenate_lines(["Se on valmis. Toiminta-", "suunnitelma hyväksyttiin."]) == (
        "Se on valmis. Toimintasuunnitelma hyväksyttiin."
    )
    assert dehyphenate_lines(["Toiminta-", "suunnitelma hyväksyttiin."]) == (
        "Toimintasuunnitelma hyväksyttiin."
    )


def test_dehyphenate_text_keeps_paragraphs() -> None:
    text = "Ensim-\nmäinen kappale.\n\n\nToinen kap-\npale."
    assert dehyphenate_text(text) == "Ensimmäinen kappale.\n\nToinen kappale."


def test_dehyphenate_text_uses_the_whole_document_as_evidence() -> None:
    text = "Kuopion kaupunki.\n\nAsiasta päättää Kuo-\npion kaupunginhallitus."
    assert dehyphenate_text(text).endswith("päättää Kuopion kaupunginhallitus.")


def test_soft_hyphens_vanish() -> None:
    assert dehyphenate_lines(["kau\u00adpun\u00adgin\u00ad", "hallitus"]) == "kaupunginhallitus"


@given(st.lists(st.text(alphabet="abcäö- AÖ1.\u00ad\u2013", max_size=30), max_size=8))
def test_never_raises_and_never_invents_letters(lines: list[str]) -> None:
    out = dehyphenate_lines(lines)
    assert sorted(c for c in out if c.isalnum()) == sorted(
        c for c in "".join(lines) if c.isalnum()
    )
    assert "\n" not in out


# --- ground truth: the Kuopio seed pair ---------------------------------------------


def _seed(prefix: str) -> Path | None:
    found = sorted((CORPUS / "seeds").glob(f"{prefix}_*.txt"))
    return found[0] if found else None


def seed_match(html_text: str, pdf_text: str) -> tuple[int, int, list[tuple[str, str]]]:
    """Word-level comparison of the overlapping body of the two renderings.

    Returns ``(equal, total, differences)``: ``total`` counts the words of the PDF
    text between the first and the last word it shares with the HTML text.
    """
    html_words = html_text.split()
    pdf_words = dehyphenate_text(pdf_text).split()
    sm = difflib.SequenceMatcher(None, html_words, pdf_words, autojunk=False)
    blocks = [b for b in sm.get_matching_blocks() if b.size]
    start, end = blocks[0].b, blocks[-1].b + blocks[-1].size
    equal = sum(b.size for b in blocks)
    diffs = [
        (" ".join(html_words[i1:i2]), " ".join(pdf_words[j1:j2]))
        for tag, i1, i2, j1, j2 in sm.get_opcodes()
        if tag != "equal" and j1 >= start and j2 <= end and (j2 > j1)
    ]
    return equal, end - start, diffs


def test_seed_pair_words_equal() -> None:
    html_path, pdf_path = _seed("000"), _seed("001")
    if html_path is None or pdf_path is None:
        pytest.skip("../shared/corpus/seeds is not available")
    html_text = html_path.read_text(encoding="utf-8")
    pdf_text = pdf_path.read_text(encoding="utf-8")
    equal, total, diffs = seed_match(html_text, pdf_text)
    print(f"seed de-hyphenation match: {equal}/{total} words")
    assert total > 300
    assert diffs == []
    assert equal == total

    # and the hyphenation really was there to undo
    raw = pdf_text.split()
    assert len(set(raw) - set(html_text.split())) >= 20
