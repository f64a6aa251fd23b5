"""Rows of the facts read from an item's handlings (:mod:`parsers.facts`), and their
link to the meeting's attendees.

The facts are computed from the record's texts whenever an item is stored (harvest,
reparse, bulk load), so they can never be older than the texts; ``items.facts_version``
names the extractors' versions, and :func:`refresh` recomputes the items whose version
is older from the stored texts alone, without re-parsing a page.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from collections.abc import Iterable
from typing import Any

import sqlite_utils

from parsers import FACTS_VERSION, PROPOSAL_STANDS, case_key, handling_facts, match_attendee
from parsers.records import HandlingFacts, ItemRecord, PersonRef

__all__ = ["CURRENT", "FACTS_VERSION", "TABLES", "Attendee", "HandlingFacts", "case_key"]

#: the current handling's ``handling`` value in the fact tables
CURRENT = -1
#: fact tables, children of ``items`` (every row has ``item_id``, ``handling``, ``position``)
TABLES = ("item_votes", "item_motions", "item_people", "item_amounts")
#: outcome columns shared by ``items`` (current handling) and ``item_handlings``
OUTCOME_COLUMNS = ("outcome", "outcome_sentence", "effective_decision",
                   "departed_from_proposal", "decision_diff", "voted")

Attendee = tuple[int, str]  # (meeting_attendees.id, name)


def outcome_columns(facts: HandlingFacts) -> dict[str, Any]:
    """The outcome columns of one handling."""
    out = facts.outcome
    dep = facts.departed_from_proposal
    return {
        "outcome": out.kind if out else None,
        "outcome_sentence": out.sentence if out else None,
        "effective_decision": facts.effective_decision,
        "departed_from_proposal": None if dep is None else int(dep),
        "decision_diff": json.dumps([[op.op, op.text] for op in facts.diff],
                                    ensure_ascii=False) if facts.diff else None,
        "voted": int(bool(facts.votes)) if out else None,
    }


def item_columns(record: ItemRecord) -> dict[str, Any]:
    """Columns of the ``items`` row: the current handling's outcome, the case key and
    the extractors' version."""
    facts = current_facts(record)
    return {**outcome_columns(facts),
            "case_key": case_key(record.case_number_raw or record.case_number),
            "facts_version": FACTS_VERSION}


def current_facts(record: ItemRecord) -> HandlingFacts:
    return remembered_facts(record.proposal, record.decision, record.discussion,
                            record.background)


def earlier_facts(record: ItemRecord) -> list[HandlingFacts]:
    """Facts of each earlier handling, in the record's order (positions match
    ``item_handlings.position``)."""
    return [remembered_facts(h.proposal, h.decision, h.discussion)
            for h in record.previous_handlings]


#: how many handlings :func:`remembered_facts` keeps (by their texts, a few kB each)
MEMO_SIZE = 2048
#: a handling with longer texts (together) is read, not kept: the memo stays under
#: MEMO_SIZE × this many characters (texts may be 200,000 characters each)
MEMO_TEXT_LIMIT = 20_000


def remembered_facts(proposal: str | None, decision: str | None,
                     discussion: str | None = None, background: str | None = None
                     ) -> HandlingFacts:
    """:func:`parsers.handling_facts`, read once for texts met again lately.

    Why: an archive repeats a handling's texts verbatim (each earlier handling of a case
    is printed again in every later item of the case; a reparse or a refresh stores the
    same item twice), and the facts are the bulk load's largest cost after the lemmas.
    Each call returns its own copy, so a caller that changes the facts it got (or a
    later extractor step) cannot change what another caller gets."""
    texts = (proposal, decision, discussion, background)
    if sum(len(t) for t in texts if t) > MEMO_TEXT_LIMIT:
        return handling_facts(*texts)
    return _fresh(_memo(texts))


@functools.lru_cache(maxsize=MEMO_SIZE)
def _memo(texts: tuple[str | None, str | None, str | None, str | None]) -> HandlingFacts:
    return handling_facts(*texts)


#: values :func:`_fresh` shares between copies: immutable
_ATOMS = frozenset({str, int, float, bool, type(None)})
_ATOM_NAMES = frozenset({"str", "int", "float", "bool", "None"})


@functools.cache
def _atoms_only(kind: type) -> bool:
    """Is every field of the dataclass ``kind`` declared immutable (``str | None``, ``int``,
    …)? Then a copy of an instance's ``__dict__`` is a deep copy (an ``Amount``,
    an ``Outcome``, a ``DiffOp``)."""
    return all(set(re.split(r"\s*\|\s*", str(f.type))) <= _ATOM_NAMES
               for f in dataclasses.fields(kind))


def _fresh(value: Any) -> Any:
    """A deep copy of facts (dataclasses, lists, dicts of immutable values), about eight
    times cheaper than :func:`copy.deepcopy`, which also tracks shared and cyclic
    objects: the facts have neither."""
    kind = type(value)
    if kind in _ATOMS:
        return value
    if kind is list:
        return [_fresh(v) for v in value]
    if kind is dict:
        return {k: _fresh(v) for k, v in value.items()}
    copy = object.__new__(kind)
    copy.__dict__ = (value.__dict__.copy() if _atoms_only(kind)
                     else {k: _fresh(v) for k, v in value.__dict__.items()})
    return copy


def facts_input(record: ItemRecord) -> tuple:
    """The texts :func:`read_facts` needs, small and picklable (for worker processes)."""
    return ((record.proposal, record.decision, record.discussion, record.background),
            tuple((h.proposal, h.decision, h.discussion) for h in record.previous_handlings))


def read_facts(current: tuple, earlier: tuple) -> list[tuple[int, HandlingFacts]]:
    """``(handling, facts)`` of the current handling (-1) and each earlier one."""
    return [(CURRENT, remembered_facts(*current)),
            *enumerate(remembered_facts(*texts) for texts in earlier)]


def fact_rows(item_id: str, handlings: Iterable[tuple[int, HandlingFacts]],
              attendees: list[Attendee] | None = None) -> dict[str, list[dict[str, Any]]]:
    """Rows of the fact tables for ``(handling, facts)`` pairs of one item."""
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    people = rows["item_people"]

    def person(role: str, ref: PersonRef, handling: int, of: int | None,
               sentence: str) -> None:
        attendee = match_attendee(ref, attendees or [])
        people.append({"item_id": item_id, "handling": handling, "position": len(people),
                       "role": role, "ref": of, "name": ref.name, "name_raw": ref.raw,
                       "name_forms": "|".join([ref.name, *ref.candidates]),
                       "attendee_id": attendee[0] if attendee else None,
                       "attendee_name": attendee[1] if attendee else None,
                       "sentence": sentence})

    for handling, facts in handlings:
        decided_fields = _decided_fields(facts)
        for motion in facts.motions:
            index = len(rows["item_motions"])
            rows["item_motions"].append({
                "item_id": item_id, "handling": handling, "position": index,
                "kind": motion.kind, "proposer": motion.proposer.name if motion.proposer else None,
                "seconders": "; ".join(s.name for s in motion.seconders) or None,
                "text": motion.text, "lapsed": int(motion.lapsed), "sentence": motion.sentence})
            if motion.proposer:
                person("proposer", motion.proposer, handling, index, motion.sentence)
            for seconder in motion.seconders:
                person("seconder", seconder, handling, index, motion.sentence)
        for vote in facts.votes:
            index = len(rows["item_votes"])
            rows["item_votes"].append({
                "item_id": item_id, "handling": handling, "position": index,
                "subject": vote.subject, "yes": vote.yes, "no": vote.no, "blank": vote.blank,
                "absent": vote.absent, "winner": vote.winner, "sentence": vote.sentence})
            for side, refs in vote.names.items():
                for ref in refs:
                    person(side, ref, handling, index, vote.sentence)
        for act in facts.acts:
            person(act.kind, act.person, handling, None, act.sentence)
        for amount in facts.amounts:
            rows["item_amounts"].append({
                "item_id": item_id, "handling": handling,
                "position": len(rows["item_amounts"]), "field": amount.field,
                "cents": amount.cents, "euros": amount.euros, "raw": amount.raw,
                "per": amount.per, "years": amount.years, "recipient": amount.recipient,
                "decided": int(amount.field in decided_fields), "sentence": amount.sentence})
    return rows


def _decided_fields(facts: HandlingFacts) -> set[str]:
    """The field whose text was decided: the proposal when it stood, else the decision."""
    if facts.outcome is None:
        return set()
    if facts.outcome.kind in PROPOSAL_STANDS:
        return {"proposal"}
    if facts.outcome.kind == "amended":
        return {"decision"}
    return set()


def record_rows(item_id: str, record: ItemRecord,
                attendees: list[Attendee] | None = None
                ) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """(outcome columns of each earlier handling, fact table rows) of one record."""
    earlier = earlier_facts(record)
    handlings = [(CURRENT, current_facts(record)), *enumerate(earlier)]
    return [outcome_columns(f) for f in earlier], fact_rows(item_id, handlings, attendees)


# --- attendees --------------------------------------------------------------------------


def meeting_attendees(db: sqlite_utils.Database, meeting_id: int | None) -> list[Attendee]:
    if meeting_id is None or not db["meeting_attendees"].exists():
        return []
    return [(r[0], r[1]) for r in db.execute(
        "select id, name from meeting_attendees where meeting_id = ? order by position",
        [meeting_id]).fetchall()]


def unlink_meeting(db: sqlite_utils.Database, meeting_id: int) -> None:
    """Drop the links to a meeting's attendees, whose rows are about to be replaced."""
    db.execute("update item_people set attendee_id = null, attendee_name = null "
               "where attendee_id in (select id from meeting_attendees where meeting_id = ?)",
               [meeting_id])


def link_meeting(db: sqlite_utils.Database, meeting_id: int) -> int:
    """Link the people named in the facts of a meeting's items to its attendees (after the
    meeting page was stored); returns how many links changed."""
    attendees = meeting_attendees(db, meeting_id)
    changed = 0
    rows = db.execute(
        "select p.id, p.name, p.name_raw, p.name_forms, p.attendee_id from item_people p "
        "join items i on i.id = p.item_id where i.meeting_id = ?", [meeting_id]).fetchall()
    for pid, name, raw, forms, current in rows:
        names = (forms or name).split("|")
        ref = PersonRef(name=names[0], raw=raw, candidates=names[1:])
        found = match_attendee(ref, attendees)
        new = found[0] if found else None
        if new != current:
            db.execute("update item_people set attendee_id = ?, attendee_name = ? where id = ?",
                       [new, found[1] if found else None, pid])
            changed += 1
    return changed


# --- refresh ----------------------------------------------------------------------------


def refresh(db: sqlite_utils.Database, *, force: bool = False) -> int:
    """Recompute the facts of every item whose ``facts_version`` is not the current one
    (all with ``force``), from the stored texts; returns how many items were rewritten."""
    from parsers.records import Handling

    where = "" if force else "where facts_version is null or facts_version != ?"
    params = [] if force else [FACTS_VERSION]
    ids = [r[0] for r in db.execute(f"select id from items {where}", params).fetchall()]
    for item_id in ids:
        row = db["items"].get(item_id)
        record = ItemRecord(proposal=row["proposal"], decision=row["decision"],
                            discussion=row["discussion"], background=row["background"],
                            case_number=row["case_number"],
                            case_number_raw=row["case_number_raw"])
        handlings = list(db.query("select * from item_handlings where item_id = ? "
                                  "order by position", [item_id]))
        record.previous_handlings = [
            Handling(body=h["body"], section=h["section"], date=h["date"],
                     proposal=h["proposal"], decision=h["decision"], discussion=h["discussion"])
            for h in handlings]
        write_facts(db, item_id, record, row["meeting_id"], [h["position"] for h in handlings])
    return len(ids)


def write_facts(db: sqlite_utils.Database, item_id: str, record: ItemRecord,
                meeting_id: int | None, positions: list[int] | None = None) -> None:
    """Rewrite the facts of one stored item (its columns, its handlings' outcome columns,
    its fact tables) in one transaction."""
    earlier, tables = record_rows(item_id, record, meeting_attendees(db, meeting_id))
    with db.atomic():
        db["items"].update(item_id, item_columns(record))
        for position, columns in zip(positions or range(len(earlier)), earlier, strict=False):
            db.execute(
                f"update item_handlings set {', '.join(f'[{c}] = ?' for c in columns)} "
                "where item_id = ? and position = ?", [*columns.values(), item_id, position])
        for table, rows in tables.items():
            db.execute(f"delete from [{table}] where item_id = ?", [item_id])
            if rows:
                db[table].insert_all(rows)
