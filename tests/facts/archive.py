"""A small archive for the facts' storage and query tests: two municipalities that share
a case number, one case handled on two meetings (agenda and minutes of the first, an
earlier handling kept inside the second item), votes, a motion, amounts and attendees."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from db import store
from db.schema import open_db
from parsers.records import Attendee, Handling, ItemRecord, MeetingRecord

NOW = "2025-06-30T12:00:00+00:00"

FIRST = ItemRecord(
    section="4", case_number="3700/2024", case_number_raw="3700/10.02.02/2024",
    title="Kylätoimikunnan avustus", body="Kaupunginhallitus", meeting_date="2025-03-03",
    document_type="agenda",
    proposal="Kaupunginhallitus myöntää Kylätoimikunta ry:lle 5 000 euroa.")
TABLED = ItemRecord(
    section="12", case_number="3700/2024", case_number_raw="3700/2024",
    title="Kylätoimikunnan avustus", body="Kaupunginhallitus", meeting_date="2025-03-03",
    document_type="minutes",
    proposal="Kaupunginhallitus myöntää Kylätoimikunta ry:lle 5 000 euroa.",
    decision="Asia jätettiin pöydälle.")
DECIDED = ItemRecord(
    section="30", case_number="3700/2024", case_number_raw="3700/10.02.02/2024",
    title="Kylätoimikunnan avustus (Pöydälle 3.3.2025)", body="Kaupunginhallitus",
    meeting_date="2025-03-17", document_type="minutes",
    proposal="Kaupunginhallitus myöntää Kylätoimikunta ry:lle 5 000 euroa.",
    decision="Kaupunginhallitus myöntää Kylätoimikunta ry:lle 8 000 euroa.",
    discussion=("Noora Ahonen ehdotti Pekka Virtasen kannattamana, että avustus on "
                "8 000 euroa. Puheenjohtaja totesi kaupunginhallituksen 6 äänellä 5 ääntä "
                "vastaan hyväksyneen Ahosen ehdotuksen. Liisa Laine jätti eriävän "
                "mielipiteen."),
    background="Kylätoimikunta ry haki 12.000 euron avustusta vuodelle 2025.",
    previous_handlings=[Handling(
        body="Kaupunginhallitus", section="12", date="2025-03-03",
        proposal="Kaupunginhallitus myöntää Kylätoimikunta ry:lle 5 000 euroa.",
        decision="Asia jätettiin pöydälle.",
        discussion=("Pekka Virtanen ehdotti Noora Ahosen kannattamana, että asia jätetään "
                    "pöydälle. Pöydällepanoehdotus hyväksyttiin äänin 7–4."))])
OTHER = ItemRecord(
    section="7", case_number="3700/2024", case_number_raw="3700/2024",
    title="Koulun peruskorjaus", body="Kaupunginhallitus", meeting_date="2025-04-01",
    document_type="minutes",
    proposal="Kaupunginhallitus hyväksyy hankesuunnitelman, 1,2 milj. euroa.",
    decision="Päätösehdotus hyväksyttiin.")
ATTENDEES = [Attendee("Noora Ahonen", group="members"), Attendee("Pekka Virtanen", group="members"),
             Attendee("Liisa Laine", group="members")]


def write(db: sqlite_utils.Database, source: str, dynasty_id: str, record: ItemRecord,
          meeting_id: int, body_id: int) -> str:
    return store.store_item(db, store.ItemWrite(
        source_id=source, dynasty_id=dynasty_id, meeting_id=meeting_id, body_id=body_id,
        record=record, url=None, pdf_url=None, html_sha256=None, pdf_sha256=None,
        pdf_agreement=None, parser_version="test", attachments=[]), NOW)


def build(path: Path, attendees: bool = True) -> sqlite_utils.Database:
    db = open_db(path)
    for source, town in (("testi", "Testikaupunki"), ("toinen", "Toinenkunta")):
        store.ensure_source(db, store.SourceRow(id=source, name=town, municipality=town,
                                                base_url=f"https://{source}.example"), NOW)
    body = store.ensure_body(db, "testi", "Kaupunginhallitus")
    other_body = store.ensure_body(db, "toinen", "Kaupunginhallitus")
    first = store.upsert_meeting(db, source_id="testi", body_id=body, date="2025-03-03",
                                 document_type="minutes", doc_id="101", url=None)
    second = store.upsert_meeting(db, source_id="testi", body_id=body, date="2025-03-17",
                                  document_type="minutes", doc_id="200", url=None)
    third = store.upsert_meeting(db, source_id="toinen", body_id=other_body,
                                 date="2025-04-01", document_type="minutes", doc_id="300",
                                 url=None)
    write(db, "testi", "100-4", FIRST, first, body)
    write(db, "testi", "101-12", TABLED, first, body)
    write(db, "testi", "200-30", DECIDED, second, body)
    write(db, "toinen", "300-7", OTHER, third, other_body)
    if attendees:
        store_attendees(db, second)
    return db


def store_attendees(db: sqlite_utils.Database, meeting_id: int) -> str:
    return store.store_meeting_details(db, store.MeetingDetails(
        meeting_id=meeting_id, doc_id="200", url="https://testi.example/200.HTM", sha256=None,
        record=MeetingRecord(attendees=ATTENDEES)), NOW)


def store_meeting_details_again(db: sqlite_utils.Database, meeting_id: int) -> str:
    """The same meeting with a corrected list: Pekka Virtanen was not there after all."""
    return store.store_meeting_details(db, store.MeetingDetails(
        meeting_id=meeting_id, doc_id="200", url="https://testi.example/200.HTM", sha256=None,
        record=MeetingRecord(attendees=[a for a in ATTENDEES if a.name != "Pekka Virtanen"])),
        NOW)
