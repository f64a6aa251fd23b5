"""Meeting pages: time, place, status and attendees from each meeting's newest document.

Harvests of the demo Dynasty site over loopback HTTP into real SQLite files; the demo's
own data (``demosite.expected_documents``) is the ground truth. Faults and corrected
pages are scripted per path on :class:`tests.faultserver.FaultServer`.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import sqlite_utils

from db.schema import migrations, open_db
from demosite import DemoServer, build_site, expected_documents
from parsers import parse
from parsers.records import MeetingRecord
from scraper.archive import RawArchive
from scraper.harvest import Harvester, RunSummary
from scraper.http import FetchPolicy, HttpClient
from scraper.meetings import (
    MeetingPageError,
    ReparseCounts,
    check_page,
    reparse_meeting_pages,
)
from scraper.sources import Source
from tests.faultserver import FaultServer, ok, status
from tests.loopback import Reply, ScriptedServer
from tests.scraper.test_harvest_faults import CGI

POLICY = FetchPolicy(min_interval=0, retries=0)
EMPTY_RSS = b"<?xml version='1.0'?><rss version='2.0'><channel><title>D</title></channel></rss>"
ITEMS_FEED = f"{CGI}rss/meetingitems&show=100"
DECISIONS_FEED = f"{CGI}rss/official_decisions&show=100"
FIXTURES = Path(__file__).resolve().parents[1] / "parsers" / "meeting_html"


def harvest(tmp_path: Path, site_url: str, today: dt.date, days: int = 14) -> RunSummary:
    db = open_db(tmp_path / "k.db")
    try:
        h = Harvester(db, HttpClient(POLICY), RawArchive(tmp_path / "k.raw"),
                      today=lambda: today, recheck_days=days)
        return h.run([Source(id="demo", base_url=site_url)])
    finally:
        db.close()


def meeting_page(doc_id: str) -> str:
    return f"{CGI}meeting&id={doc_id}"


def stored_meetings(tmp_path: Path) -> dict[str, dict]:
    """Meetings by ``<body> <date>``, each with its attendees as the parser reports them."""
    db = open_db(tmp_path / "k.db")
    try:
        out = {}
        for m in db.query("select meetings.*, bodies.name as body from meetings "
                          "join bodies on bodies.id = meetings.body_id"):
            m["attendees"] = [
                {"name": a["name"], "role": a["role"], "note": a["note"],
                 "group": a["attendee_group"], "present": a["present"]}
                for a in db.query("select * from meeting_attendees where meeting_id = ? "
                                  "order by position", [m["id"]])]
            out[f"{m['body']} {m['date']}"] = m
        return out
    finally:
        db.close()


def newest_documents() -> dict[str, dict]:
    """The demo's documents that a meeting's details come from: minutes when published."""
    out: dict[str, dict] = {}
    for doc in expected_documents():
        key = f"{doc['body']} {doc['meeting_date']}"
        if key not in out or doc["document_type"] == "minutes":
            out[key] = doc
    return out


def quiet_site(srv: FaultServer, as_of: dt.date | None = None) -> None:
    """The demo site without items or officials' decisions: meetings only, quickly."""
    srv.site = build_site(srv.url, as_of)
    srv.script(ITEMS_FEED, ok(EMPTY_RSS, "text/xml"))
    srv.script(DECISIONS_FEED, status(404))


def test_demo_meetings_get_the_details_and_attendees_of_their_newest_page(tmp_path):
    with DemoServer() as site:
        first = harvest(tmp_path, site.base_url, dt.date(2025, 3, 15))
        second_at = harvest(tmp_path, site.base_url, dt.date(2025, 3, 15))
    assert (first.failed, first.meeting_pages) == (0, 5), first.failures
    stored = stored_meetings(tmp_path)
    expected = newest_documents()
    assert sorted(stored) == sorted(expected)
    for key, doc in expected.items():
        m = stored[key]
        assert (m["page_doc_id"], m["start_time"], m["end_time"], m["place"]) == \
            (doc["doc_id"], doc["time"], doc["end_time"], doc["place"]), key
        assert m["page_url"].endswith(meeting_page(doc["doc_id"]))
        assert m["status"] == ("Tarkastettu" if doc["document_type"] == "minutes" else None)
        assert m["year"] == int(doc["meeting_date"][:4])
        assert [{k: a[k] for k in ("name", "role", "note", "group")} for a in m["attendees"]] \
            == doc["attendees"], key
        assert all(a["present"] == 1 for a in m["attendees"])
    assert sum(len(m["attendees"]) for m in stored.values()) == 49
    # the second run re-reads only the meeting of the last 14 days, conditionally
    assert (second_at.failed, second_at.meeting_pages) == (0, 0)
    db = open_db(tmp_path / "k.db")
    rows = list(db.query("select url, status from fetches where run_id = 2 "
                         "and url like '%page=meeting&%'"))
    assert [(r["url"].split("id=")[1], r["status"]) for r in rows] == [("2025030601", 304)]
    assert stored_meetings(tmp_path) == stored  # nothing rewritten


def test_the_minutes_page_replaces_the_agenda_page_once_published(tmp_path):
    with FaultServer() as srv:
        quiet_site(srv, as_of=dt.date(2025, 2, 5))  # agenda of 3 February out, minutes not
        first = harvest(tmp_path, srv.url, dt.date(2025, 2, 5), days=0)
        before = stored_meetings(tmp_path)["Kaupunginhallitus 2025-02-03"]
        quiet_site(srv)  # the minutes are published
        second = harvest(tmp_path, srv.url, dt.date(2026, 1, 1), days=0)
        third = harvest(tmp_path, srv.url, dt.date(2026, 1, 1), days=0)
        hits = srv.hits[meeting_page("2025020501")]
    assert (first.failed, second.failed, third.failed) == (0, 0, 0)
    assert (before["page_doc_id"], before["attendees"], before["status"]) == \
        ("2025012801", [], None)
    after = stored_meetings(tmp_path)["Kaupunginhallitus 2025-02-03"]
    minutes = newest_documents()["Kaupunginhallitus 2025-02-03"]
    assert after["page_doc_id"] == minutes["doc_id"] == "2025020501"
    assert [a["name"] for a in after["attendees"]] == [a["name"] for a in minutes["attendees"]]
    assert after["status"] == "Tarkastettu" and after["details_updated_at"]
    assert second.meeting_pages == 2  # the new minutes and the agenda of 12 March
    assert (third.meeting_pages, hits) == (0, 1)  # outside the window: not asked again


def _corrected(page: bytes) -> bytes:
    """The minutes page with one member's row removed and the place changed."""
    name = "Antero Kallio".encode("cp1252")
    row = re.compile(rb"<tr>\s*<td class=\"tcDat\"[^>]*>\s*<xp[^>]*>" + name +
                     rb"</xp><br>\s*</td>\s*</tr>")
    assert len(row.findall(page)) == 1
    place = "kokoushuone Kaarna".encode("cp1252")
    assert place in page
    return row.sub(b"", page).replace(place, b"kokoushuone Kuusi")


def test_a_corrected_minutes_page_replaces_the_attendees(tmp_path):
    today = dt.date(2024, 9, 20)  # the meeting of 11 September is within the window
    with FaultServer() as srv:
        quiet_site(srv)
        original = srv.site.get(meeting_page("2024091101")).body
        harvest(tmp_path, srv.url, today)
        before = stored_meetings(tmp_path)["Kaupunkisuunnittelulautakunta 2024-09-11"]
        srv.script(meeting_page("2024091101"), ok(_corrected(original)))
        second = harvest(tmp_path, srv.url, today)
    assert (second.failed, second.meeting_pages) == (0, 1)
    after = stored_meetings(tmp_path)["Kaupunkisuunnittelulautakunta 2024-09-11"]
    assert after["place"] == "Kaupungintalo, kokoushuone Kuusi"
    assert [a for a in before["attendees"] if a["name"] != "Antero Kallio"] == after["attendees"]
    assert len(after["attendees"]) == len(before["attendees"]) - 1
    assert after["page_sha256"] != before["page_sha256"]
    db = open_db(tmp_path / "k.db")
    positions = [r[0] for r in db.execute(
        "select position from meeting_attendees where meeting_id = ? order by position",
        [after["id"]])]
    assert positions == list(range(len(after["attendees"])))


def test_a_failed_meeting_page_is_counted_and_the_items_still_come(tmp_path):
    with FaultServer() as srv:
        quiet_site(srv)
        srv.script(ITEMS_FEED, ok(srv.site.get(f"{CGI}rss/meetingitems&show=3").body,
                                  "text/xml; charset=iso-8859-1"))
        srv.script(meeting_page("2024091101"), status(500))
        first = harvest(tmp_path, srv.url, dt.date(2026, 1, 1), days=0)
        del srv.routes[meeting_page("2024091101")]
        second = harvest(tmp_path, srv.url, dt.date(2026, 1, 1), days=0)
    assert (first.new_items, first.failed, first.exit_code) == (3, 1, 1)
    assert first.meeting_pages == 4
    assert [f for f in first.failures if "meeting page" in f] == [
        f"demo: meeting page {srv.url}{meeting_page('2024091101')}: HTTP 500"]
    assert (second.new_items, second.failed, second.meeting_pages) == (0, 0, 1)
    stored = stored_meetings(tmp_path)["Kaupunkisuunnittelulautakunta 2024-09-11"]
    assert len(stored["attendees"]) == 11


def test_another_meetings_page_or_an_error_page_does_not_replace_the_details(tmp_path):
    today = dt.date(2024, 9, 20)
    with FaultServer() as srv:
        quiet_site(srv)
        harvest(tmp_path, srv.url, today)
        before = stored_meetings(tmp_path)
        wrong = srv.site.get(meeting_page("2024100701")).body  # a stateful server's mix-up
        srv.script(meeting_page("2024091101"), ok(wrong))
        second = harvest(tmp_path, srv.url, today)
        srv.script(meeting_page("2024091101"), ok(b"<html><body>Palvelu ei ole k\xe4ytett\xe4viss\xe4"
                                                   b"</body></html>"))
        third = harvest(tmp_path, srv.url, today)
    for summary, reason in ((second, "another meeting's page was served"),
                            (third, "page has no Dynasty meeting structure")):
        assert (summary.failed, summary.meeting_pages) == (1, 0)
        assert summary.failures == [
            f"demo: meeting page {srv.url}{meeting_page('2024091101')}: {reason}"]
    assert stored_meetings(tmp_path) == before


def test_a_page_of_another_date_is_refused():
    meeting = {"date": "2024-09-11"}
    check_page(MeetingRecord(meeting_date="2024-09-11", body="Lautakunta"), meeting)
    with pytest.raises(MeetingPageError, match="on 2024-10-07, not 2024-09-11"):
        check_page(MeetingRecord(meeting_date="2024-10-07", body="Lautakunta"), meeting)


def test_absent_members_are_stored_as_not_present(tmp_path):
    page = (FIXTURES / "attendees_br_absent.HTM").read_bytes()
    with ScriptedServer() as site:
        link = f"{site.url}{meeting_page('2022900501')}"
        meetings = ("<?xml version='1.0' encoding='iso-8859-1'?><rss version='2.0'><channel>"
                    "<item><title><![CDATA[Kaupunkirakennelautakunta 01.12.2022 / Pöytäkirja]]>"
                    f"</title><link><![CDATA[{link}]]></link></item></channel></rss>")
        site.routes[f"{CGI}rss/meetings&show=100"] = [Reply(200, meetings.encode("latin-1"))]
        site.routes[ITEMS_FEED] = [Reply(200, EMPTY_RSS)]
        site.routes[meeting_page("2022900501")] = [
            Reply(200, page, {"Content-Type": "text/html; charset=windows-1252"})]
        summary = harvest(tmp_path, site.url, dt.date(2023, 1, 1))
    assert (summary.failed, summary.meeting_pages) == (0, 1), summary.failures
    (meeting,) = stored_meetings(tmp_path).values()
    assert (meeting["start_time"], meeting["year"]) == ("16:30", 2022)
    assert [(a["name"], a["group"], a["present"]) for a in meeting["attendees"]] == [
        ("Jaana Jokinen", "members", 1), ("Kalle Kettunen", "members", 1),
        ("Liisa Lampinen", "members", 1), ("Matti Mänty", "deputies", 1),
        ("Niina Nurmi", "absent", 0), ("Olli Ojanen", "absent", 0)]
    assert meeting["attendees"][2]["note"] == "poistui klo 17.45"


def test_an_archive_from_before_the_migration_gets_years_and_keeps_its_rows(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before="m006_meeting_details")
    db["sources"].insert({"id": "demo", "name": "Demo"})
    body = db["bodies"].insert({"source_id": "demo", "name": "Lautakunta"}).last_pk
    db["meetings"].insert({"source_id": "demo", "body_id": body, "date": "2023-05-04"})
    db["items"].insert({"id": "demo/1-1", "source_id": "demo", "meeting_date": "2023-05-04",
                        "title": "Asia"})
    db.close()
    db = open_db(path)
    assert "m006_meeting_details" in [m.name for m in migrations.applied(db)]
    assert db.execute("select year, start_time from meetings").fetchall() == [(2023, None)]
    assert db.execute("select year, title from items").fetchall() == [(2023, "Asia")]
    plan = " ".join(r[-1] for r in db.execute(
        "explain query plan select count(*) from items where year = 2023").fetchall())
    assert "idx_items_year" in plan


def test_meeting_details_are_rebuilt_from_the_raw_archive(tmp_path):
    with FaultServer() as srv:
        quiet_site(srv)
        harvest(tmp_path, srv.url, dt.date(2026, 1, 1), days=0)
    before = stored_meetings(tmp_path)
    db = open_db(tmp_path / "k.db")
    archive = RawArchive(tmp_path / "k.raw")
    assert reparse_meeting_pages(db, archive, lambda: "2026-01-02T00:00:00+00:00") == \
        ReparseCounts(unchanged=5)
    # what an older parser might have left: a wrong place, attendees missing
    db.execute("update meetings set place = 'x' where date = '2024-10-07'")
    db.execute("delete from meeting_attendees where meeting_id = "
               "(select id from meetings where date = '2024-09-11')")
    db.conn.commit()
    counts = reparse_meeting_pages(db, archive, lambda: "2026-01-02T00:00:00+00:00")
    assert (counts.updated, counts.unchanged, counts.failed) == (2, 3, 0)
    assert counts.line() == "meetings: updated=2 unchanged=3 failed=0"
    after = stored_meetings(tmp_path)
    for key, meeting in after.items():
        changed = meeting.pop("details_updated_at") != before[key].pop("details_updated_at")
        assert changed == (key.endswith(("2024-10-07", "2024-09-11"))), key
    assert after == before


def test_kokousarkisto_reparse_rebuilds_meeting_details_too(tmp_path):
    """``reparse`` (the items' rebuild) also re-reads the archived meeting pages."""
    from scraper.reparse import reparse

    with FaultServer() as srv:
        quiet_site(srv)
        harvest(tmp_path, srv.url, dt.date(2026, 1, 1), days=0)
    before = stored_meetings(tmp_path)
    db = open_db(tmp_path / "k.db")
    db.execute("delete from meeting_attendees")
    db.conn.commit()
    summary = reparse(db, RawArchive(tmp_path / "k.raw"), jobs=1)
    db.close()
    with_attendees = sum(1 for m in before.values() if m["attendees"])
    assert with_attendees >= 3
    assert (summary.meetings.updated, summary.meetings.unchanged, summary.meetings.failed) == (
        with_attendees, len(before) - with_attendees, 0)
    assert f"meetings_updated={with_attendees} meetings_failed=0" in summary.line()
    after = stored_meetings(tmp_path)
    for meeting in (*after.values(), *before.values()):
        meeting.pop("details_updated_at")
    assert after == before and sum(len(m["attendees"]) for m in after.values()) > 0


CORPUS_PAGE = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "dynasty" / "espoo" \
    / "2017406946.HTM"


@pytest.mark.skipif(not CORPUS_PAGE.is_file(), reason="real corpus not present")
def test_a_real_minutes_page_is_stored_with_all_its_attendees(tmp_path):
    page = CORPUS_PAGE.read_bytes()
    parsed = parse("meeting_html", page, url=f"http://h{meeting_page('2017406946')}")
    with ScriptedServer() as site:
        link = f"{site.url}{meeting_page('2017406946')}"
        title = f"{parsed.body} {parsed.meeting_date[8:]}.{parsed.meeting_date[5:7]}." \
                f"{parsed.meeting_date[:4]} / Pöytäkirja"
        meetings = ("<?xml version='1.0' encoding='iso-8859-1'?><rss version='2.0'><channel>"
                    f"<item><title><![CDATA[{title}]]></title>"
                    f"<link><![CDATA[{link}]]></link></item></channel></rss>")
        site.routes[f"{CGI}rss/meetings&show=100"] = [Reply(200, meetings.encode("latin-1"))]
        site.routes[ITEMS_FEED] = [Reply(200, EMPTY_RSS)]
        site.routes[meeting_page("2017406946")] = [Reply(200, page)]
        summary = harvest(tmp_path, site.url, dt.date(2017, 5, 20))
    assert (summary.failed, summary.meeting_pages) == (0, 1), summary.failures
    (meeting,) = stored_meetings(tmp_path).values()
    assert len(parsed.attendees) > 10
    assert [(a["name"], a["role"], a["note"], a["group"]) for a in meeting["attendees"]] == \
        [(a.name, a.role, a.note, a.group) for a in parsed.attendees]
    assert (meeting["start_time"], meeting["status"]) == (parsed.time, parsed.status)
