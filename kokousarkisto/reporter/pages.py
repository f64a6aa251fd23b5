"""What the item, official decision, meeting, body and case pages show, read from the db.

Each function takes a Datasette ``Database`` and returns a plain dict for its template,
or ``None`` when the thing does not exist (the route answers a Finnish 404). Scraped text
stays text: templates autoescape it; long fields become HTML only through
:func:`kokousarkisto.item_page.paragraphs_html`, which escapes every line.
"""

from __future__ import annotations

import html
import json
from typing import Any

from markupsafe import Markup

from kokousarkisto import item_page
from kokousarkisto.reporter import urls
from kokousarkisto.reporter.text import ATTENDEE_GROUPS, OUTCOMES, document_type_label, fi_date
from parsers.text.vocabulary import parse_case_number

SOURCE_COLUMNS = "sources.municipality, sources.name as source_name"


async def _rows(db, sql: str, params: Any = None) -> list[dict[str, Any]]:
    return [dict(r) for r in (await db.execute(sql, params or [])).rows]


def _archive_link(sha256: Any) -> str | None:
    return urls.archive(sha256) if isinstance(sha256, str) and sha256 else None


def decision_diff_html(value: Any) -> Markup | None:
    """``items.decision_diff`` (JSON ``[[op, text], …]``, issue 13) as HTML: what the
    decision added in ``<ins>``, what it left out of the proposal in ``<del>``; every
    text escaped. ``None`` when there is no difference to show."""
    try:
        ops = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        return None
    if not isinstance(ops, list) or not any(
            isinstance(o, list) and o[:1] != ["equal"] for o in ops):
        return None
    tags = {"insert": "ins", "delete": "del"}
    out = []
    for op in ops:
        if not (isinstance(op, list) and len(op) == 2 and isinstance(op[1], str)):
            continue
        text = html.escape(op[1])
        tag = tags.get(op[0])
        out.append(f"<{tag}>{text}</{tag}>" if tag else text)
    return Markup(" ".join(out))


async def item(db, item_id: str) -> dict[str, Any] | None:
    """The item page: the document plus every link a reporter follows from it."""
    base = await item_page.item_context(db.ds, db.name, item_id)
    if base is None:
        return None
    it = base["item"]
    source = await _rows(db, "select municipality, name as source_name from sources "
                             "where id = ?", [it.get("source_id")])
    meeting = await _rows(db, "select id, date, start_time, place from meetings where id = ?",
                          [it.get("meeting_id")])
    handlings = []
    for h in base["handlings"]:
        found = await _rows(db, """select items.id from items join bodies
            on bodies.id = items.body_id where items.source_id = ? and bodies.name = ?
            and items.meeting_date = ? and items.section = ?
            order by items.document_type desc limit 1""",
                            [it.get("source_id"), h.get("body"), h.get("date"),
                             str(h.get("section") or "")])
        handlings.append({**h, "date_fi": fi_date(h.get("date")),
                          "outcome_label": OUTCOMES.get(h.get("outcome") or ""),
                          "href": urls.item(found[0]["id"]) if found else None})
    # the same case elsewhere: every other handling, and this meeting's agenda/minutes
    related: list[dict[str, Any]] = []
    counterpart = None
    if it.get("case_number"):
        related = await _rows(db, """select items.id, items.document_type,
            items.meeting_date, items.meeting_id, items.section, items.title,
            bodies.name as body from items left join bodies on bodies.id = items.body_id
            where items.source_id = ? and items.case_number = ? and items.id != ?
            order by items.meeting_date, items.document_type""",
                              [it["source_id"], it["case_number"], it["id"]])
        for r in related:
            r["href"] = urls.item(r["id"])
            r["date_fi"] = fi_date(r["meeting_date"])
            r["kind"] = document_type_label(r["document_type"])
            if (r["meeting_id"] == it.get("meeting_id")
                    and r["document_type"] != it.get("document_type")):
                counterpart = r
    facts = {}
    if it.get("outcome"):
        facts["outcome"] = OUTCOMES.get(it["outcome"])
    if it.get("outcome_sentence"):
        facts["outcome_sentence"] = it["outcome_sentence"]
    attachments = await _rows(db, """select id, sha256, content_type, status from attachments
        where item_id = ? order by position, id""", [item_id])
    archived = {a["id"]: _archive_link(a["sha256"]) for a in attachments}
    return {
        **base,
        "municipality": (source[0]["municipality"] or source[0]["source_name"]) if source
        else it.get("source_id"),
        "meeting": meeting[0] if meeting else None,
        "meeting_href": urls.meeting(it["meeting_id"]) if it.get("meeting_id") else None,
        "body_href": urls.body(it["body_id"]) if it.get("body_id") else None,
        "date_fi": fi_date(it.get("meeting_date")),
        "kind": document_type_label(it.get("document_type")),
        "case_href": urls.case(it["source_id"], it.get("case_number_raw")
                               or it.get("case_number")) if it.get("case_number") else None,
        "handlings": handlings,
        "related": related,
        "counterpart": counterpart,
        "facts": {k: v for k, v in facts.items() if v},
        "diff_html": decision_diff_html(it.get("decision_diff")),
        "archived_html": _archive_link(it.get("html_sha256")),
        "archived_pdf": _archive_link(it.get("pdf_sha256")),
        "attachments": [{**a, "archived": archived.get(a["id"])} for a in base["attachments"]],
    }


async def official(db, decision_id: str) -> dict[str, Any] | None:
    rows = await _rows(db, f"""select official_decisions.*, {SOURCE_COLUMNS}
        from official_decisions left join sources on sources.id = official_decisions.source_id
        where official_decisions.id = ?""", [decision_id])
    if not rows:
        return None
    d = rows[0]
    return {"d": d, "municipality": d.get("municipality") or d.get("source_name")
            or d.get("source_id"), "date_fi": fi_date(d.get("decision_date")),
            "decision_html": item_page.paragraphs_html(d.get("decision")),
            "url": item_page.safe_url(d.get("url")),
            "archived_html": _archive_link(d.get("html_sha256")),
            "case_href": urls.case(d["source_id"], d.get("case_number_raw")
                                   or d.get("case_number")) if d.get("case_number") else None}


async def meeting(db, meeting_id: int) -> dict[str, Any] | None:
    rows = await _rows(db, f"""select meetings.*, bodies.name as body, {SOURCE_COLUMNS}
        from meetings left join bodies on bodies.id = meetings.body_id
        left join sources on sources.id = meetings.source_id where meetings.id = ?""",
                       [meeting_id])
    if not rows:
        return None
    m = rows[0]
    items = await _rows(db, """select id, document_type, section, title, decision,
        case_number from items where meeting_id = ?
        order by document_type desc, cast(section as integer), id""", [meeting_id])
    for r in items:
        r["href"] = urls.item(r["id"])
        r["kind"] = document_type_label(r["document_type"])
    attendees = await _rows(db, """select name, role, note, attendee_group, present
        from meeting_attendees where meeting_id = ? order by position""", [meeting_id])
    groups: dict[str, list[dict[str, Any]]] = {}
    for a in attendees:
        groups.setdefault(ATTENDEE_GROUPS.get(a["attendee_group"] or "",
                                              a["attendee_group"] or "Muut"), []).append(a)
    return {"m": m, "municipality": m.get("municipality") or m.get("source_name")
            or m.get("source_id"), "date_fi": fi_date(m.get("date")),
            "kind": document_type_label(m.get("document_type")),
            "body_href": urls.body(m["body_id"]) if m.get("body_id") else None,
            "minutes": [r for r in items if r["document_type"] == "minutes"],
            "agenda": [r for r in items if r["document_type"] == "agenda"],
            "groups": groups,
            "archived_page": _archive_link(m.get("page_sha256")),
            "page_url": item_page.safe_url(m.get("page_url"))}


async def body(db, body_id: int) -> dict[str, Any] | None:
    rows = await _rows(db, f"""select bodies.*, {SOURCE_COLUMNS} from bodies
        left join sources on sources.id = bodies.source_id where bodies.id = ?""", [body_id])
    if not rows:
        return None
    b = rows[0]
    meetings = await _rows(db, """select meetings.id, meetings.date, meetings.start_time,
        meetings.place, meetings.document_type,
        (select count(*) from items where items.meeting_id = meetings.id) as item_count
        from meetings where body_id = ? order by date desc limit 200""", [body_id])
    for r in meetings:
        r["href"] = urls.meeting(r["id"])
        r["date_fi"] = fi_date(r["date"])
        r["kind"] = document_type_label(r["document_type"])
    attendance = await _rows(db, """with listed as (
          select id from meetings where body_id = :b and exists
            (select 1 from meeting_attendees where meeting_id = meetings.id))
        select meeting_attendees.name, count(distinct meeting_attendees.meeting_id)
            as attended, (select count(*) from listed) as listed,
          group_concat(distinct meeting_attendees.attendee_group) as groups
        from meeting_attendees join listed on listed.id = meeting_attendees.meeting_id
        where meeting_attendees.present = 1
        group by meeting_attendees.name order by attended desc, meeting_attendees.name""",
                             {"b": body_id})
    for r in attendance:
        r["groups_fi"] = ", ".join(ATTENDEE_GROUPS.get(g, g).lower()
                                   for g in (r["groups"] or "").split(",") if g)
    return {"b": b, "municipality": b.get("municipality") or b.get("source_name")
            or b.get("source_id"), "meetings": meetings, "attendance": attendance}


def normalise_case(text: str) -> str | None:
    """Any printed form (``3700/10.02.02/2024``, ``Dnro 3700/2024``, ``KUOPIO/3700/2024``)
    → the stored ``number/year`` (with a diary prefix when printed)."""
    normalised, _, _ = parse_case_number(text)
    return normalised


async def case(db, source_id: str, printed: str) -> dict[str, Any] | None:
    normalised = normalise_case(printed)
    source = await _rows(db, "select id, municipality, name as source_name from sources "
                             "where id = ?", [source_id])
    if normalised is None or not source:
        return None
    items = await _rows(db, """select items.id, items.document_type, items.meeting_date,
        items.section, items.title, items.decision, items.meeting_id, bodies.name as body
        from items left join bodies on bodies.id = items.body_id
        where items.source_id = ? and items.case_number = ?
        order by items.meeting_date, items.document_type desc""", [source_id, normalised])
    officials = await _rows(db, """select id, decision_date, official_title, official_name,
        title from official_decisions where source_id = ? and case_number = ?
        order by decision_date""", [source_id, normalised])
    steps = []
    for r in items:
        steps.append({"date": r["meeting_date"], "date_fi": fi_date(r["meeting_date"]),
                      "who": r["body"], "kind": document_type_label(r["document_type"]),
                      "section": r["section"], "document_type": r["document_type"],
                      "title": r["title"], "href": urls.item(r["id"]),
                      "meeting_href": urls.meeting(r["meeting_id"]) if r["meeting_id"]
                      else None})
    for r in officials:
        who = " ".join(p for p in (r["official_title"], r["official_name"]) if p)
        steps.append({"date": r["decision_date"], "date_fi": fi_date(r["decision_date"]),
                      "who": who, "kind": "viranhaltijapäätös", "section": None,
                      "document_type": "official", "title": r["title"],
                      "href": urls.official(r["id"]), "meeting_href": None})
    steps.sort(key=lambda s: (s["date"] or "", s["document_type"] != "agenda"))
    s = source[0]
    return {"case_number": normalised, "printed": printed, "steps": steps,
            "source_id": source_id,
            "municipality": s["municipality"] or s["source_name"] or source_id}
