"""Precision and recall of the fact extractors on the labelled set (tests/facts/labelled).

    .venv/bin/python -m tests.facts.scoring     # prints the table reported on issue 13

A fact is a tuple of its expected fields; a found fact counts as right only when every
field equals the expectation (an amount's value to the cent).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from parsers.facts import handling_facts, money, votes
from parsers.facts.text import match_attendee
from parsers.records import PersonRef

LABELLED = Path(__file__).with_name("labelled")


def load(name: str) -> list[dict[str, Any]]:
    return _keys(yaml.safe_load((LABELLED / f"{name}.yaml").read_text(encoding="utf-8")))


def _keys(value: Any) -> Any:
    """YAML 1.1 reads the keys ``yes:`` and ``no:`` as booleans: back to the side names."""
    if isinstance(value, list):
        return [_keys(v) for v in value]
    if isinstance(value, dict):
        return {({True: "yes", False: "no"}.get(k, k) if isinstance(k, bool) else k): _keys(v)
                for k, v in value.items()}
    return value


@dataclass
class Score:
    found: Counter = field(default_factory=Counter)
    expected: Counter = field(default_factory=Counter)
    right: Counter = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    def add(self, kind: str, case: str, got: list[tuple], want: list[tuple]) -> None:
        g, w = Counter(got), Counter(want)
        self.found[kind] += sum(g.values())
        self.expected[kind] += sum(w.values())
        self.right[kind] += sum((g & w).values())
        for extra in g - w:
            self.misses.append(f"{case} {kind} wrong: {extra}")
        for lost in w - g:
            self.misses.append(f"{case} {kind} missed: {lost}")

    def precision(self, kind: str) -> float:
        return self.right[kind] / self.found[kind] if self.found[kind] else 1.0

    def recall(self, kind: str) -> float:
        return self.right[kind] / self.expected[kind] if self.expected[kind] else 1.0

    def table(self) -> str:
        lines = [f"{'fact':<14}{'expected':>9}{'found':>7}{'right':>7}{'precision':>11}"
                 f"{'recall':>8}"]
        for kind in sorted(set(self.expected) | set(self.found)):
            lines.append(f"{kind:<14}{self.expected[kind]:>9}{self.found[kind]:>7}"
                         f"{self.right[kind]:>7}{self.precision(kind):>11.3f}"
                         f"{self.recall(kind):>8.3f}")
        return "\n".join(lines)


def _name(ref: PersonRef, attendees: list[tuple[int, str]]) -> str:
    found = match_attendee(ref, attendees)
    return found[1] if found else ref.name


def score_outcomes(score: Score) -> None:
    """Outcome class per handling; ``unknown`` expected counts as a fact too (it must not
    become a class), and an unknown found where a class was expected is a miss, not a
    wrong class."""
    for case in load("outcomes"):
        facts = handling_facts(case.get("proposal"), case.get("decision"),
                               case.get("discussion"))
        got = facts.outcome.kind if facts.outcome else None
        want = case["outcome"]
        score.add("outcome", case["id"], [(got,)] if got not in (None, "unknown") else [],
                  [(want,)] if want not in (None, "unknown") else [])
        score.add("unknown", case["id"], [(got,)] if got in (None, "unknown") else [],
                  [(want,)] if want in (None, "unknown") else [])
        if "departed" in case:
            score.add("departed", case["id"], [(facts.departed_from_proposal,)],
                      [(case["departed"],)])
        if "effective" in case:
            text = case.get(case["effective"])
            same = facts.effective_decision is not None and text is not None and \
                facts.effective_decision.strip() == text.strip()
            score.add("effective", case["id"], [(True,)] if same else [("other",)],
                      [(True,)])


def score_votes(score: Score) -> None:
    for case in load("votes"):
        attendees = [(i, n) for i, n in enumerate(case.get("attendees") or [])]
        text = case["text"]
        found = votes.votes(text)
        score.add("vote", case["id"],
                  [(v.yes, v.no, v.blank, v.absent, v.winner) for v in found],
                  [(v.get("yes"), v.get("no"), v.get("blank"), v.get("absent"),
                    v.get("winner")) for v in case.get("votes") or []])
        score.add("vote_name", case["id"],
                  [(side, _name(r, attendees)) for v in found for side, refs in v.names.items()
                   for r in refs],
                  [(side, n) for v in case.get("votes") or []
                   for side, names in (v.get("names") or {}).items() for n in names])
        motions = votes.motions(text)
        score.add("motion", case["id"],
                  [(m.proposer and _name(m.proposer, attendees),
                    tuple(_name(s, attendees) for s in m.seconders), m.kind, m.lapsed)
                   for m in motions],
                  [(m["proposer"], tuple(m.get("seconders") or ()), m["kind"],
                    m.get("lapsed", False)) for m in case.get("motions") or []])
        score.add("act", case["id"],
                  [(a.kind, _name(a.person, attendees)) for a in votes.acts(text)],
                  [(a["kind"], a["name"]) for a in case.get("acts") or []])


def score_money(score: Score) -> None:
    for index, case in enumerate(load("money")):
        found = money.amounts_in(case["text"], "background")
        want = case.get("amounts") or []
        cid = f"m{index + 1:02d}"
        score.add("amount", cid, [(a.cents,) for a in found],
                  [(int(Decimal(str(a["euros"])) * 100),) for a in want])
        score.add("amount_full", cid,
                  [(a.cents, a.per, a.years, a.recipient) for a in found],
                  [(int(Decimal(str(a["euros"])) * 100), a.get("per"),
                    str(a["years"]) if a.get("years") else None, a.get("recipient"))
                   for a in want])
        score.add("recipient", cid, [(a.cents, a.recipient) for a in found if a.recipient],
                  [(int(Decimal(str(a["euros"])) * 100), a["recipient"]) for a in want
                   if a.get("recipient")])


def score_all() -> Score:
    score = Score()
    score_outcomes(score)
    score_votes(score)
    score_money(score)
    return score


if __name__ == "__main__":
    result = score_all()
    print(result.table())
    for miss in result.misses:
        print(" ", miss)
