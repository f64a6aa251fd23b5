from __future__ import annotations

from parsers.crosscheck import merge_records
from parsers.records import ItemRecord, Proposer


def test_html_wins_pdf_fills_and_disagreements_are_warned():
    html = ItemRecord(section="5", case_number="12/2025", title="Koulun peruskorjaus",
                      proposal="Hyväksytään.", document_type="minutes", decision=None)
    html.warn_missing()
    pdf = ItemRecord(source_format="pdf", section="5", case_number="12/2025",
                     title="Koulun perus korjaus", proposal="Hyväksytään.",
                     decision="Hyväksyttiin.", proposer=Proposer("Liisa Laine", "Rehtori"))
    merged, agreement = merge_records(html, pdf)
    assert merged.title == "Koulun peruskorjaus"
    assert merged.decision == "Hyväksyttiin." and "from pdf: decision" in merged.warnings
    assert "missing: decision" not in merged.warnings
    assert merged.proposer == Proposer("Liisa Laine", "Rehtori")
    assert "pdf disagrees: title" in merged.warnings
    assert agreement == 3 / 4  # section, case_number, proposal agree; title does not
    assert html.decision is None  # inputs are not mutated


def test_no_pdf_means_no_agreement():
    rec = ItemRecord(title="x")
    assert merge_records(rec, None) == (rec, None)
