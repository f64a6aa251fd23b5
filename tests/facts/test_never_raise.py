"""The extractors read any text without raising, and what they return is consistent."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from parsers import handling_facts
from parsers.records import OUTCOMES

WORDS = ["Päätösehdotus", "hyväksyttiin", "äänin", "8–5", "JAA", "EI", "tyhjä", "poissa",
         "kannattamana", "ehdotti,", "että", "12.923", "euron", "€/vuosi", "milj.", "ry:lle",
         "Oy", "säätiölle", "pöydälle", "palautettiin", "valmisteltavaksi", "tiedoksi",
         "Noora", "Ahosen", "jätti", "eriävän", "mielipiteen", "esteellisenä", "\n", ".",
         "1 000", "5–", "€", "€ ", "äänellä", "ääntä", "vastaan", "Hyväksyttiin."]
texts = st.one_of(st.none(), st.text(max_size=400),
                  st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join))


@settings(max_examples=300, deadline=None)
@given(texts, texts, texts, texts)
def test_any_text_gives_facts_without_raising(proposal, decision, discussion, background):
    facts = handling_facts(proposal, decision, discussion, background)
    if facts.outcome is not None:
        assert facts.outcome.kind in OUTCOMES
    for amount in facts.amounts:
        assert isinstance(amount.cents, int) and amount.cents >= 0
        assert amount.raw in amount.sentence
    for vote in facts.votes:
        assert vote.yes is not None or vote.no is not None
