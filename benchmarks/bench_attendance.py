"""Attendance queries on an archive of many meetings: milliseconds and ratio to a full scan.

    .venv/bin/python -m benchmarks.bench_attendance [--meetings N] [--attendees A]

Builds a synthetic archive (schema from ``db.schema``; 5 sources × 20 bodies, ``N``
meetings, each body's weekly, ``A`` attendees each, names combined from the demo
site's attendees) and runs the ``meeting_attendance`` and ``attendance_summary`` canned
queries of ``metadata.yml`` with typical parameters, plus the ``year`` facets. The
baseline, measured in the same run, is one full scan of ``meeting_attendees``; a ratio
well below 1 means an index does the work. ``meeting_attendance (OR form)`` is the same
query written with ``(:date_from = '' or date >= :date_from)``, which SQLite cannot
answer from the date index, for comparison. Reported, not asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
import tempfile
import time
from pathlib import Path

import yaml

from db.schema import open_db
from demosite import expected_documents
from kokousarkisto.publish import METADATA_DB_NAME, METADATA_PATH

OR_FORM = ("meetings.date between coalesce(nullif(:date_from, ''), '0000')\n"
           "    and coalesce(nullif(:date_to, ''), '9999')",
           "(:date_from = '' or meetings.date >= :date_from)\n"
           "    and (:date_to = '' or meetings.date <= :date_to)")


def build(path: Path, meetings: int, attendees: int, seed: int = 1) -> list[str]:
    """Write the synthetic archive; return the body names."""
    rng = random.Random(seed)
    people = [a["name"] for d in expected_documents() for a in d["attendees"]]
    firsts = sorted({p.split()[0] for p in people})
    lasts = sorted({p.split()[-1] for p in people})
    roles = [None] * 8 + ["puheenjohtaja", "varapuheenjohtaja", "varajäsen", "esittelijä"]
    db = open_db(path)
    with db.atomic():
        bodies = []
        for s in range(5):
            db["sources"].insert({"id": f"kunta{s}", "name": f"Kunta {s}"})
            for b in range(20):
                name = f"Lautakunta {s}-{b}"
                bodies.append((db["bodies"].insert({"source_id": f"kunta{s}", "name": name})
                               .last_pk, f"kunta{s}", name))
        # each body has its own members, who attend most of its meetings
        members = {b[0]: [f"{rng.choice(firsts)} {rng.choice(lasts)}" for _ in range(attendees)]
                   for b in bodies}
        meeting_rows, attendee_rows = [], []
        for m in range(1, meetings + 1):
            body_id, source_id, _ = bodies[m % len(bodies)]
            # the body's k-th meeting: weekly from 2015, so 500 meetings span ten years
            date = (dt.date(2015, 1, 5) + dt.timedelta(weeks=m // len(bodies))).isoformat()
            meeting_rows.append((m, source_id, body_id, date, "minutes", f"{m}"))
            for pos, name in enumerate(members[body_id]):
                if rng.random() < 0.9:
                    attendee_rows.append((m, pos, name, rng.choice(roles), None, "members", 1))
        db.conn.executemany(
            "insert into meetings (id, source_id, body_id, date, document_type, "
            "minutes_doc_id) values (?, ?, ?, ?, ?, ?)", meeting_rows)
        db.conn.executemany(
            "insert into meeting_attendees (meeting_id, position, name, role, note, "
            "attendee_group, present) values (?, ?, ?, ?, ?, ?, ?)", attendee_rows)
    db.execute("analyze")
    db.close()
    return [b[2] for b in bodies]


def timed(conn: sqlite3.Connection, sql: str, params: dict, repeat: int = 3) -> tuple[float, int]:
    best, rows = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        rows = len(conn.execute(sql, params).fetchall())
        best = min(best, time.perf_counter() - start)
    return best * 1000, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=50_000)
    parser.add_argument("--attendees", type=int, default=12)
    args = parser.parse_args()
    queries = yaml.safe_load(METADATA_PATH.read_text(encoding="utf-8"))[
        "databases"][METADATA_DB_NAME]["queries"]
    attendance = queries["meeting_attendance"]["sql"]
    summary = queries["attendance_summary"]["sql"]
    assert OR_FORM[0] in attendance, "meeting_attendance changed: update OR_FORM"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "attendance.db"
        started = time.perf_counter()
        bodies = build(path, args.meetings, args.attendees)
        conn = sqlite3.connect(path)
        total = conn.execute("select count(*) from meeting_attendees").fetchone()[0]
        print(f"archive: meetings={args.meetings} attendees={total} "
              f"built in {time.perf_counter() - started:.1f} s")
        person = conn.execute("select name from meeting_attendees limit 1").fetchone()[0]
        empty = {"name": "", "body": "", "date_from": "", "date_to": ""}
        cases = [
            ("baseline: full scan of meeting_attendees",
             "select count(*), max(length(name)) from meeting_attendees", {}),
            ("meeting_attendance: one body, one year", attendance,
             {**empty, "body": bodies[7], "date_from": "2020-01-01", "date_to": "2020-12-31"}),
            ("meeting_attendance (OR form): one body, one year", attendance.replace(*OR_FORM),
             {**empty, "body": bodies[7], "date_from": "2020-01-01", "date_to": "2020-12-31"}),
            ("meeting_attendance: part of a name, all dates", attendance,
             {**empty, "name": person.split()[-1][:5]}),
            ("meeting_attendance: everything (first 1000)", attendance, empty),
            ("attendance_summary: one body, all dates", summary, {**empty, "body": bodies[3]}),
            ("attendance_summary: all bodies, one year", summary,
             {**empty, "date_from": "2021-01-01", "date_to": "2021-12-31"}),
            ("attendance_summary: everything", summary, empty),
            ("year facet of meetings",
             "select year, count(*) from meetings group by year order by 2 desc", {}),
        ]
        baseline = None
        for label, sql, params in cases:
            ms, rows = timed(conn, sql, params)
            baseline = baseline or ms
            print(f"{label:55s} {ms:9.1f} ms  rows={rows:<6d} ratio={ms / baseline:6.2f}")
        conn.close()


if __name__ == "__main__":
    main()
