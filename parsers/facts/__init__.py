"""Facts of a handling read from its texts: outcome, effective decision, votes, money.

Pure functions over text, like the page parsers; :func:`handling_facts` runs every
extractor on one handling (the current one, or an earlier one the parsers kept).
``VERSIONS`` names each extractor's version: the store re-runs an extractor whose stored
version is older, without re-parsing any page.
"""

from __future__ import annotations

from parsers.facts import cases, diff, money, outcome, votes
from parsers.records import HandlingFacts

VERSIONS: dict[str, int] = {
    "outcome": outcome.VERSION, "votes": votes.VERSION, "money": money.VERSION,
    "cases": cases.VERSION, "diff": diff.VERSION,
}
#: stored beside the facts of every item: ``outcome=1,votes=1,…``
VERSION = ",".join(f"{name}={v}" for name, v in sorted(VERSIONS.items()))

#: outcomes whose decision differs from the proposal
DEPARTED = frozenset({"amended", "tabled", "returned", "removed"})
#: outcomes whose effective decision is the proposal itself
PROPOSAL_STANDS = frozenset({"as_proposed", "after_vote", "noted"})


def handling_facts(proposal: str | None, decision: str | None,
                   discussion: str | None = None, background: str | None = None
                   ) -> HandlingFacts:
    """Every fact of one handling."""
    prose = "\n".join(t for t in (discussion, decision) if t)
    found_votes = votes.votes(prose)
    facts = HandlingFacts(motions=votes.motions(prose), votes=found_votes,
                          acts=votes.acts(prose),
                          amounts=money.amounts({"proposal": proposal, "decision": decision,
                                                 "discussion": discussion,
                                                 "background": background}))
    facts.outcome = outcome.classify(proposal, decision, discussion, found_votes)
    if facts.outcome is None:
        return facts
    kind = facts.outcome.kind
    if kind in PROPOSAL_STANDS and proposal:
        facts.effective_decision = proposal  # "Päätösehdotus hyväksyttiin." → the proposal
    else:
        facts.effective_decision = diff.strip_label(decision) if decision else None
    if kind == "unknown":
        facts.departed_from_proposal = None
    else:
        facts.departed_from_proposal = kind in DEPARTED
    if proposal and decision and kind == "amended" and outcome._written_out(decision):
        facts.diff = diff.word_diff(proposal, decision)
    return facts
