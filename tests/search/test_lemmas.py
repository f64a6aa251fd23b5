"""The lemmatiser: Voikko base forms, compound parts, abbreviations, the Snowball fallback."""

from __future__ import annotations

import warnings

import pytest

from db import lemmas
from db.lemmas import (
    Lemmatiser,
    SnowballAnalyser,
    compound_parts,
    load_analyser,
    words,
)


def index_tokens(lemmatiser: Lemmatiser, word: str) -> set[str]:
    return set(lemmatiser.word(word).index_tokens)


def test_inflected_forms_share_a_base_form(voikko):
    for form in ("avustus", "avustuksen", "avustukseen", "avustuksista", "avustuksia"):
        assert "avustus" in voikko.word(form).lemmas, form
    assert voikko.word("avustajan").lemmas == {"avustaja"}


def test_compound_parts_and_runs_of_parts_are_indexed(voikko):
    tokens = voikko.word("asemakaavamuutoksen")
    assert tokens.lemmas == {"asemakaavamuutos"}
    assert {"asema", "kaava", "muutos", "asemakaava", "kaavamuutos"} <= tokens.parts
    # a genitive first part: the run takes its surface, the part its base form
    assert {"kaupunki", "hallitus"} <= voikko.word("kaupunginhallituksen").parts
    # a derived last part (kuljet+us) gets the base form of the whole
    assert {"koulu", "kuljetus"} <= voikko.word("koulukuljetusten").parts


def test_lexicalised_compounds_are_not_split(voikko):
    assert "kunta" not in voikko.word("lautakunnan").index_tokens
    assert "lautakunta" in voikko.word("ympäristölautakunnan").parts
    assert "kunta" not in voikko.word("ympäristölautakunnan").parts


def test_compound_parts_from_wordbases_and_structure():
    assert compound_parts("asemakaavamuutos", "+asema(asema)+kaava(kaava)+muutos(muutos)",
                          "=ppppp=ppppp=pppppp") == {
        "asema", "kaava", "muutos", "asemakaava", "kaavamuutos"}
    assert compound_parts("sote-uudistus", "+sote(sote)+-+uudist(uudistaa)+us(+us)",
                          "=pppp-=pppppppp") == {"sote", "uudistus"}
    # a bare first part (no base form of its own) is only part of runs
    assert compound_parts("varhaiskasvatus", "+varhais+kasvat(kasvattaa)+us(+us)",
                          "=ppppppp=pppppppp") == {"kasvatus"}
    # derivational pieces without a base stay inside their part
    assert compound_parts("paikallinen", "+paika(paikka)+lli+nen(+nen)", "=ppppppppppp") == set()
    assert compound_parts("kokeilutoiminta",
                          "+kokeil(kokeilla)+u(+u)+toimi(toimia)+n+ta(+ta)",
                          "=ppppppp=pppppppppp") == {"kokeilu", "toiminta"}
    # without STRUCTURE: derivations (base +...) join the part before them
    assert compound_parts("koulukuljetus", "+koulu(koulu)+kuljet(kuljettaa)+us(+us)") == {
        "koulu", "kuljetus"}
    assert compound_parts("Leppävaara", "+Leppävaara(Leppä=vaara)") == {"leppä", "vaara"}
    assert compound_parts("avustus", "+avust(avustaa)+us(+us)", "=ppppppp") == set()
    assert compound_parts("kaava", None) == set()


@pytest.mark.parametrize("name", ["voikko", "snowball"])
def test_abbreviations_lose_their_case_endings(name, request):
    lemmatiser = request.getfixturevalue(name)
    assert lemmatiser.word("Oy:n").lemmas == {"oy"}
    assert lemmatiser.word("EU:n").lemmas == {"eu"}
    assert lemmatiser.word("HSL:ään").lemmas == {"hsl"}
    assert lemmatiser.word("ry:lle").lemmas == {"ry"}


def test_hyphenated_words_as_a_whole_and_by_piece(voikko):
    tokens = voikko.word("Ely-keskuksen")
    assert tokens.lemmas == {"elykeskus"}
    assert {"ely", "keskus"} <= tokens.parts
    assert {"harjula"} <= voikko.word("Ylä-Harjulan").parts


def test_numbers_are_left_to_the_text_columns(voikko, snowball):
    for lemmatiser in (voikko, snowball):
        assert not lemmatiser.word("2018-2020").index_tokens
        assert not lemmatiser.word("12.3.2025").index_tokens


def test_words_keep_dates_ranges_and_case_endings_together():
    assert words("Ely-keskuksen lausunto 12.3.2025, EU:n ja Oy:n 2018–2020 sopimus.") == [
        "Ely-keskuksen", "lausunto", "12.3.2025", "EU:n", "ja", "Oy:n", "2018–2020", "sopimus"]
    assert words("sosiaali- ja terveys") == ["sosiaali", "ja", "terveys"]


def test_soft_hyphens_are_removed_first(voikko, snowball):
    assert voikko.word("asema\u00adkaava\u00admuutoksen") == voikko.word("asemakaavamuutoksen")
    assert words("kaa\u00adva") == ["kaava"]
    assert snowball.lemmas_text(["kaa\u00advan"]) == snowball.lemmas_text(["kaavan"])


def test_unknown_words_get_snowball_stems(voikko, snowball):
    assert voikko.word("Smedsbyn") == voikko.word("Smedsbyssä")
    assert not voikko.word("Smedsbyn").known
    assert snowball.word("kaavan").lemmas == snowball.word("kaava").lemmas == {"kaava"}
    assert not snowball.word("kaavan").known


def test_lemmas_text_is_sorted_distinct_and_each_word_is_analysed_once(snowball):
    calls = []

    class Counting(SnowballAnalyser):
        def analyse(self, word):
            calls.append(word)
            return None

    lemmatiser = Lemmatiser(Counting())
    assert lemmatiser.lemmas_text(["kaavat kaavat kaavan", None, "kaavan"]) == "kaava"
    assert sorted(calls) == ["kaavan", "kaavat"]
    lemmatiser.lemmas_text(["kaavan kaavat"])
    assert sorted(calls) == ["kaavan", "kaavat"]  # the cache answered
    # tokens written as such in the text are indexed there already; extra texts count whole
    assert lemmatiser.lemmas_text(["kaava ja kaavat"]) == ""
    assert lemmatiser.lemmas_text(["kaava"], extra=["Kaava Oja"]) == "kaava oja"


def test_without_voikko_a_clear_warning_once_and_snowball(monkeypatch):
    monkeypatch.setattr(lemmas, "_warned", False)

    def missing():
        raise OSError("libvoikko.so.1: cannot open shared object file")

    with pytest.warns(RuntimeWarning, match="Voikko is not available.*libvoikko1"):
        analyser = load_analyser(missing)
    assert isinstance(analyser, SnowballAnalyser)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert isinstance(load_analyser(missing), SnowballAnalyser)  # no second warning
    assert Lemmatiser(analyser).name == "snowball"


def _word_by_word(lemmatiser: Lemmatiser, texts: list[str | None],
                  extra: list[str | None]) -> str:
    """``lemmas_text`` as its docstring defines it, word by word (what the chunk caches
    must give; soft hyphens are removed before the words are read)."""
    written = {w for t in texts if t for w in words(t.replace("\u00ad", ""))}
    tokens = set().union(*(lemmatiser.word(w).index_tokens for w in written))
    tokens -= {w.lower() for w in written}
    for text in extra:
        for w in words((text or "").replace("\u00ad", "")):
            tokens |= lemmatiser.word(w).index_tokens
    return " ".join(sorted(tokens))


#: pieces of text whose joins the word pattern treats specially: hyphens, digits joined
#: by . , : / and dashes, ``:n`` endings, soft hyphens, and every kind of whitespace
_PIECES = ["kaava", "kaavan", "Asemakaava", "muutoksen", "ELY", "keskuksen", "EU", "n",
           "Oy", "stä", "2018", "2020", "12", "3", "2025", "sosiaali", "ja", "terveys",
           "kaupunginhallitukselle", "Smedsbyn", "ÄÄNI", "İ", "ı", "ſ", "K", "x"]
_JOINS = ["", "-", "–", "—", ".", ",", ":", "/", "\u00ad", "(", ")", "_", "'", "€", "§"]
_SPACES = [" ", "  ", "\n", "\t", "\xa0", "\u2028", "\u2009", "\x1c", "\r\n", "\u3000"]


def test_lemmas_text_reads_chunks_as_the_words_they_hold(voikko, snowball):
    import random

    rng = random.Random(13)

    def text() -> str | None:
        if rng.random() < 0.1:
            return None
        out = []
        for _ in range(rng.randint(0, 30)):
            out.append(rng.choice(_PIECES))
            out.append(rng.choice(_JOINS) if rng.random() < 0.5 else rng.choice(_SPACES))
        return "".join(out)

    for lemmatiser in (voikko, snowball):
        fresh = Lemmatiser(lemmatiser.analyser, cache_size=50)  # the caches get cleared too
        for case in range(1500):
            texts = [text() for _ in range(rng.randint(0, 4))]
            extra = [text() for _ in range(rng.randint(0, 2))]
            expected = _word_by_word(lemmatiser, texts, extra)
            assert fresh.lemmas_text(texts, extra) == expected, (case, texts, extra)
            assert lemmatiser.lemmas_text(texts, extra) == expected, (case, texts, extra)


def test_token_fast_path_answers_as_the_pattern_for_every_character():
    """``_token`` skips the pattern when the lower-cased text is all letters and digits;
    for every code point, alone and inside a word, it gives what the pattern gives
    (``İ`` lower-cases to ``i`` + a combining dot, which the pattern drops)."""
    by_pattern = lemmas._FTS_TOKEN_RE.findall
    for code in range(0x110000):
        if 0xD800 <= code < 0xE000:
            continue
        for text in (chr(code), f"a{chr(code)}B"):
            assert lemmas._token(text) == "".join(by_pattern(text.lower())), hex(code)
