"""Facts of a handling read from its texts: outcome, effective decision, votes, money.

Pure functions over text, like the page parsers; :func:`handling_facts` runs every
extractor on one handling (the current one, or an earlier one the parsers kept).
``VERSIONS`` names each extractor's version: the store re-runs an extractor whose stored
version is older, without re-parsing any page.
"""

from __future__ import annotations

from parsers.facts import cases, diff, money, outcome, votes
from parsers.facts.text import folded
from parsers.records import HandlingFacts, Vote

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
    found_votes = _merge(votes.votes(discussion), votes.votes(decision))
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
    if proposal and decision and kind == "amended" and outcome._written_out(
            decision, folded(decision)):
        facts.diff = diff.word_diff(proposal, decision)
    return facts


def _merge(discussed: list[Vote], decided: list[Vote]) -> list[Vote]:
    """The discussion's votes, and the decision's unless it restates one of them
    (``… hyväksyi päätösehdotuksen äänin 5–2`` after ``5 JAA-ääntä ja 2 EI-ääntä``)."""
    out = list(discussed)
    for vote in decided:
        same = next((v for v in discussed if (v.yes, v.no) == (vote.yes, vote.no)), None)
        if same is None:
            out.append(vote)
        elif same.winner is None:
            same.winner, same.subject = vote.winner, vote.subject
    return out
