CREATE VIEW case_timeline AS
SELECT s.label AS municipality, i.source_id, i.case_key,
  i.meeting_date AS date, b.name AS body, i.section, i.document_type, i.outcome,
  i.departed_from_proposal, i.voted,
  (SELECT count(*) FROM item_votes v WHERE v.item_id = i.id AND v.handling = -1) AS votes,
  i.id AS item_id, -1 AS handling, i.title, 0 AS rank
FROM items i JOIN sources s ON s.id = i.source_id LEFT JOIN bodies b ON b.id = i.body_id
WHERE i.case_key IS NOT NULL AND +i.document_type = 'minutes'
GROUP BY s.label, i.case_key, i.meeting_date, b.name
UNION ALL
SELECT s.label, i.source_id, i.case_key, h.date, h.body,
  h.section, 'minutes', h.outcome, h.departed_from_proposal, h.voted,
  (SELECT count(*) FROM item_votes v WHERE v.item_id = i.id AND v.handling = h.position),
  i.id, h.position, i.title, 1
FROM item_handlings h JOIN items i ON i.id = h.item_id JOIN sources s ON s.id = i.source_id
WHERE i.case_key IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM items m JOIN sources ms ON ms.id = m.source_id
    LEFT JOIN bodies mb ON mb.id = m.body_id
    WHERE m.case_key = i.case_key AND m.document_type = 'minutes'
      AND m.meeting_date IS h.date AND mb.name IS h.body AND ms.label = s.label)
GROUP BY s.label, i.case_key, h.date, h.body
UNION ALL
SELECT s.label, i.source_id, i.case_key, i.meeting_date, b.name, i.section,
  i.document_type, i.outcome, i.departed_from_proposal, i.voted,
  (SELECT count(*) FROM item_votes v WHERE v.item_id = i.id AND v.handling = -1),
  i.id, -1, i.title, 2
FROM items i JOIN sources s ON s.id = i.source_id LEFT JOIN bodies b ON b.id = i.body_id
WHERE i.case_key IS NOT NULL AND i.document_type IS NOT 'minutes'
  AND NOT EXISTS (SELECT 1 FROM items m JOIN sources ms ON ms.id = m.source_id
    LEFT JOIN bodies mb ON mb.id = m.body_id
    WHERE m.case_key = i.case_key AND m.document_type = 'minutes'
      AND m.meeting_date IS i.meeting_date AND mb.name IS b.name AND ms.label = s.label)
  AND NOT EXISTS (SELECT 1 FROM item_handlings e JOIN items ei ON ei.id = e.item_id
    JOIN sources es ON es.id = ei.source_id
    WHERE ei.case_key = i.case_key AND e.date IS i.meeting_date AND e.body IS b.name
      AND es.label = s.label)
GROUP BY s.label, i.case_key, i.meeting_date, b.name
ORDER BY municipality, case_key, date, body;
CREATE VIEW item_pairs AS
SELECT a.id AS agenda_item_id, m.id AS minutes_item_id, a.meeting_id, a.case_key,
  a.meeting_date, a.title
FROM items a JOIN items m ON m.meeting_id = a.meeting_id AND m.document_type = 'minutes'
  AND (m.case_key = a.case_key OR (a.case_key IS NULL AND m.case_key IS NULL
                                   AND m.title = a.title))
WHERE a.document_type = 'agenda';
CREATE TRIGGER "attachment_pages_ad" AFTER DELETE ON "attachment_pages" BEGIN
  INSERT INTO "attachment_pages_fts" ("attachment_pages_fts", rowid, "text", "lemmas") VALUES('delete', old.rowid, old."text", old."lemmas");
END;
CREATE TRIGGER "attachment_pages_ai" AFTER INSERT ON "attachment_pages" BEGIN
  INSERT INTO "attachment_pages_fts" (rowid, "text", "lemmas") VALUES (new.rowid, new."text", new."lemmas");
END;
CREATE TRIGGER "attachment_pages_au" AFTER UPDATE ON "attachment_pages" BEGIN
  INSERT INTO "attachment_pages_fts" ("attachment_pages_fts", rowid, "text", "lemmas") VALUES('delete', old.rowid, old."text", old."lemmas");
  INSERT INTO "attachment_pages_fts" (rowid, "text", "lemmas") VALUES (new.rowid, new."text", new."lemmas");
END;
CREATE TRIGGER [bodies_label_insert] AFTER INSERT ON [bodies] BEGIN
          UPDATE [bodies] SET [label] = new.name || ' (' || coalesce((select label from sources where sources.id = new.source_id), new.source_id) || ')' WHERE [id] = new.id;
        END;
CREATE TRIGGER [bodies_label_meetings] AFTER UPDATE OF [label] ON [bodies] BEGIN
          UPDATE [meetings] SET [label] = coalesce(new.label, '') || ' ' || coalesce([date], '')
          WHERE [body_id] = new.id;
        END;
CREATE TRIGGER [bodies_label_update] AFTER UPDATE OF [name], [source_id] ON [bodies]
        BEGIN
          UPDATE [bodies] SET [label] = new.name || ' (' || coalesce((select label from sources where sources.id = new.source_id), new.source_id) || ')' WHERE [id] = new.id;
        END;
CREATE TRIGGER "item_handlings_ad" AFTER DELETE ON "item_handlings" BEGIN
  INSERT INTO "item_handlings_fts" ("item_handlings_fts", rowid, "proposal", "decision", "discussion", "lemmas") VALUES('delete', old.rowid, old."proposal", old."decision", old."discussion", old."lemmas");
END;
CREATE TRIGGER "item_handlings_ai" AFTER INSERT ON "item_handlings" BEGIN
  INSERT INTO "item_handlings_fts" (rowid, "proposal", "decision", "discussion", "lemmas") VALUES (new.rowid, new."proposal", new."decision", new."discussion", new."lemmas");
END;
CREATE TRIGGER "item_handlings_au" AFTER UPDATE ON "item_handlings" BEGIN
  INSERT INTO "item_handlings_fts" ("item_handlings_fts", rowid, "proposal", "decision", "discussion", "lemmas") VALUES('delete', old.rowid, old."proposal", old."decision", old."discussion", old."lemmas");
  INSERT INTO "item_handlings_fts" (rowid, "proposal", "decision", "discussion", "lemmas") VALUES (new.rowid, new."proposal", new."decision", new."discussion", new."lemmas");
END;
CREATE TRIGGER "items_ad" AFTER DELETE ON "items" BEGIN
  INSERT INTO "items_fts" ("items_fts", rowid, "title", "proposal", "decision", "discussion", "background", "for_information", "supplementary", "proposer_name", "lemmas") VALUES('delete', old.rowid, old."title", old."proposal", old."decision", old."discussion", old."background", old."for_information", old."supplementary", old."proposer_name", old."lemmas");
END;
CREATE TRIGGER "items_ai" AFTER INSERT ON "items" BEGIN
  INSERT INTO "items_fts" (rowid, "title", "proposal", "decision", "discussion", "background", "for_information", "supplementary", "proposer_name", "lemmas") VALUES (new.rowid, new."title", new."proposal", new."decision", new."discussion", new."background", new."for_information", new."supplementary", new."proposer_name", new."lemmas");
END;
CREATE TRIGGER "items_au" AFTER UPDATE ON "items" BEGIN
  INSERT INTO "items_fts" ("items_fts", rowid, "title", "proposal", "decision", "discussion", "background", "for_information", "supplementary", "proposer_name", "lemmas") VALUES('delete', old.rowid, old."title", old."proposal", old."decision", old."discussion", old."background", old."for_information", old."supplementary", old."proposer_name", old."lemmas");
  INSERT INTO "items_fts" (rowid, "title", "proposal", "decision", "discussion", "background", "for_information", "supplementary", "proposer_name", "lemmas") VALUES (new.rowid, new."title", new."proposal", new."decision", new."discussion", new."background", new."for_information", new."supplementary", new."proposer_name", new."lemmas");
END;
CREATE TRIGGER [meetings_label_insert] AFTER INSERT ON [meetings] BEGIN
          UPDATE [meetings] SET [label] = coalesce((select label from bodies where bodies.id = new.body_id), '') || ' ' || coalesce(new.date, '') WHERE [id] = new.id;
        END;
CREATE TRIGGER [meetings_label_update] AFTER UPDATE OF [body_id], [date] ON [meetings]
        BEGIN
          UPDATE [meetings] SET [label] = coalesce((select label from bodies where bodies.id = new.body_id), '') || ' ' || coalesce(new.date, '') WHERE [id] = new.id;
        END;
CREATE TRIGGER "official_decisions_ad" AFTER DELETE ON "official_decisions" BEGIN
  INSERT INTO "official_decisions_fts" ("official_decisions_fts", rowid, "title", "decision", "official_title", "official_name", "lemmas") VALUES('delete', old.rowid, old."title", old."decision", old."official_title", old."official_name", old."lemmas");
END;
CREATE TRIGGER "official_decisions_ai" AFTER INSERT ON "official_decisions" BEGIN
  INSERT INTO "official_decisions_fts" (rowid, "title", "decision", "official_title", "official_name", "lemmas") VALUES (new.rowid, new."title", new."decision", new."official_title", new."official_name", new."lemmas");
END;
CREATE TRIGGER "official_decisions_au" AFTER UPDATE ON "official_decisions" BEGIN
  INSERT INTO "official_decisions_fts" ("official_decisions_fts", rowid, "title", "decision", "official_title", "official_name", "lemmas") VALUES('delete', old.rowid, old."title", old."decision", old."official_title", old."official_name", old."lemmas");
  INSERT INTO "official_decisions_fts" (rowid, "title", "decision", "official_title", "official_name", "lemmas") VALUES (new.rowid, new."title", new."decision", new."official_title", new."official_name", new."lemmas");
END;
CREATE TRIGGER [sources_label_update] AFTER UPDATE OF [municipality], [name] ON [sources]
        BEGIN
          UPDATE [bodies] SET [label] = [bodies].[name] || ' (' || new.label || ')'
          WHERE [bodies].[source_id] = new.id;
        END;
CREATE TABLE "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
);
CREATE TABLE "attachment_pages" (
   "id" INTEGER PRIMARY KEY,
   "attachment_id" TEXT REFERENCES "attachments"("id"),
   "sha256" TEXT REFERENCES "raw_documents"("sha256"),
   "page" INTEGER,
   "text" TEXT,
   "lemmas" TEXT
);
CREATE VIRTUAL TABLE "attachment_pages_fts" USING FTS5 (
    "text", "lemmas",
    tokenize='unicode61 remove_diacritics 2',
    content="attachment_pages"
);
CREATE TABLE 'attachment_pages_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;
CREATE TABLE 'attachment_pages_fts_data'(id INTEGER PRIMARY KEY, block BLOB);
CREATE TABLE 'attachment_pages_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
CREATE TABLE 'attachment_pages_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
CREATE TABLE "attachments" (
   "id" TEXT PRIMARY KEY,
   "item_id" TEXT REFERENCES "items"("id"),
   "position" INTEGER,
   "title" TEXT,
   "url" TEXT,
   "sha256" TEXT REFERENCES "raw_documents"("sha256"),
   "content_type" TEXT,
   "size" INTEGER,
   "status" TEXT,
   "error" TEXT
);
CREATE TABLE "bodies" (
   "id" INTEGER PRIMARY KEY,
   "source_id" TEXT REFERENCES "sources"("id"),
   "name" TEXT,
   "dynasty_id" TEXT
, [label] TEXT);
CREATE TABLE "fetches" (
   "id" INTEGER PRIMARY KEY,
   "run_id" INTEGER REFERENCES "runs"("id"),
   "source_id" TEXT REFERENCES "sources"("id"),
   "url" TEXT,
   "fetched_at" TEXT,
   "status" INTEGER,
   "headers" TEXT,
   "sha256" TEXT REFERENCES "raw_documents"("sha256"),
   "elapsed_ms" INTEGER,
   "error" TEXT
);
CREATE TABLE "item_amounts" (
   "id" INTEGER PRIMARY KEY,
   "item_id" TEXT REFERENCES "items"("id"),
   "handling" INTEGER,
   "position" INTEGER,
   "field" TEXT,
   "cents" INTEGER,
   "euros" REAL,
   "raw" TEXT,
   "per" TEXT,
   "years" TEXT,
   "recipient" TEXT,
   "decided" INTEGER,
   "sentence" TEXT
);
CREATE TABLE "item_handlings" (
   "id" INTEGER PRIMARY KEY,
   "item_id" TEXT REFERENCES "items"("id"),
   "position" INTEGER,
   "body" TEXT,
   "section" TEXT,
   "date" TEXT
, [proposer_name] TEXT, [proposer_title] TEXT, [proposal] TEXT, [decision] TEXT, [discussion] TEXT, [lemmas] TEXT, [outcome] TEXT, [outcome_sentence] TEXT, [effective_decision] TEXT, [departed_from_proposal] INTEGER, [decision_diff] TEXT, [voted] INTEGER);
CREATE VIRTUAL TABLE "item_handlings_fts" USING FTS5 (
    "proposal", "decision", "discussion", "lemmas",
    tokenize='unicode61 remove_diacritics 2',
    content="item_handlings"
);
CREATE TABLE 'item_handlings_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;
CREATE TABLE 'item_handlings_fts_data'(id INTEGER PRIMARY KEY, block BLOB);
CREATE TABLE 'item_handlings_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
CREATE TABLE 'item_handlings_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
CREATE TABLE "item_motions" (
   "id" INTEGER PRIMARY KEY,
   "item_id" TEXT REFERENCES "items"("id"),
   "handling" INTEGER,
   "position" INTEGER,
   "kind" TEXT,
   "proposer" TEXT,
   "seconders" TEXT,
   "text" TEXT,
   "lapsed" INTEGER,
   "sentence" TEXT
);
CREATE TABLE "item_people" (
   "id" INTEGER PRIMARY KEY,
   "item_id" TEXT REFERENCES "items"("id"),
   "handling" INTEGER,
   "position" INTEGER,
   "role" TEXT,
   "ref" INTEGER,
   "name" TEXT,
   "name_raw" TEXT,
   "name_forms" TEXT,
   "attendee_id" INTEGER REFERENCES "meeting_attendees"("id"),
   "attendee_name" TEXT,
   "sentence" TEXT
);
CREATE TABLE "item_preparers" (
   "id" INTEGER PRIMARY KEY,
   "item_id" TEXT REFERENCES "items"("id"),
   "position" INTEGER,
   "name" TEXT,
   "title" TEXT,
   "phone" TEXT,
   "email" TEXT
);
CREATE TABLE "item_versions" (
   "id" INTEGER PRIMARY KEY,
   "item_id" TEXT REFERENCES "items"("id"),
   "seen_at" TEXT,
   "html_sha256" TEXT REFERENCES "raw_documents"("sha256"),
   "pdf_sha256" TEXT REFERENCES "raw_documents"("sha256"),
   "parser_version" TEXT
);
CREATE TABLE "item_votes" (
   "id" INTEGER PRIMARY KEY,
   "item_id" TEXT REFERENCES "items"("id"),
   "handling" INTEGER,
   "position" INTEGER,
   "subject" TEXT,
   "yes" INTEGER,
   "no" INTEGER,
   "blank" INTEGER,
   "absent" INTEGER,
   "winner" TEXT,
   "sentence" TEXT
);
CREATE TABLE "items" (
   "id" TEXT PRIMARY KEY,
   "source_id" TEXT REFERENCES "sources"("id"),
   "meeting_id" INTEGER REFERENCES "meetings"("id"),
   "body_id" INTEGER REFERENCES "bodies"("id"),
   "dynasty_id" TEXT,
   "document_type" TEXT,
   "meeting_date" TEXT,
   "section" TEXT,
   "case_number" TEXT,
   "case_number_raw" TEXT,
   "task_class" TEXT,
   "title" TEXT,
   "proposer_name" TEXT,
   "proposer_title" TEXT,
   "proposal" TEXT,
   "decision" TEXT,
   "discussion" TEXT,
   "background" TEXT,
   "for_information" TEXT,
   "supplementary" TEXT,
   "appeal" TEXT,
   "contact_pattern" TEXT,
   "url" TEXT,
   "pdf_url" TEXT,
   "html_sha256" TEXT REFERENCES "raw_documents"("sha256"),
   "pdf_sha256" TEXT REFERENCES "raw_documents"("sha256"),
   "pdf_agreement" REAL,
   "warnings" TEXT,
   "parser_version" TEXT,
   "first_seen" TEXT,
   "updated_at" TEXT
, "lemmas" TEXT, [year] INTEGER GENERATED ALWAYS AS (CAST(substr([meeting_date], 1, 4) AS INTEGER)) VIRTUAL, [outcome] TEXT, [outcome_sentence] TEXT, [effective_decision] TEXT, [departed_from_proposal] INTEGER, [decision_diff] TEXT, [voted] INTEGER, [case_key] TEXT, [facts_version] TEXT);
CREATE VIRTUAL TABLE "items_fts" USING FTS5 (
    "title", "proposal", "decision", "discussion", "background", "for_information", "supplementary", "proposer_name", "lemmas",
    tokenize='unicode61 remove_diacritics 2',
    content="items"
);
CREATE TABLE 'items_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;
CREATE TABLE 'items_fts_data'(id INTEGER PRIMARY KEY, block BLOB);
CREATE TABLE 'items_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
CREATE TABLE 'items_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
CREATE TABLE "meeting_attendees" (
   "id" INTEGER PRIMARY KEY,
   "meeting_id" INTEGER REFERENCES "meetings"("id"),
   "position" INTEGER,
   "name" TEXT,
   "role" TEXT,
   "note" TEXT,
   "attendee_group" TEXT,
   "present" INTEGER
);
CREATE TABLE "meetings" (
   "id" INTEGER PRIMARY KEY,
   "source_id" TEXT REFERENCES "sources"("id"),
   "body_id" INTEGER REFERENCES "bodies"("id"),
   "date" TEXT,
   "document_type" TEXT,
   "agenda_doc_id" TEXT,
   "minutes_doc_id" TEXT,
   "agenda_url" TEXT,
   "minutes_url" TEXT
, [start_time] TEXT, [end_time] TEXT, [place] TEXT, [status] TEXT, [page_doc_id] TEXT, [page_url] TEXT, [page_sha256] TEXT REFERENCES raw_documents(sha256), [page_warnings] TEXT, [details_updated_at] TEXT, [year] INTEGER GENERATED ALWAYS AS (CAST(substr([date], 1, 4) AS INTEGER)) VIRTUAL, [label] TEXT);
CREATE TABLE "official_decisions" (
   "id" TEXT PRIMARY KEY,
   "source_id" TEXT REFERENCES "sources"("id"),
   "dynasty_id" TEXT,
   "official_title" TEXT,
   "official_name" TEXT,
   "decision_date" TEXT,
   "section" TEXT,
   "case_number" TEXT,
   "case_number_raw" TEXT,
   "task_class" TEXT,
   "title" TEXT,
   "decision" TEXT,
   "url" TEXT,
   "html_sha256" TEXT REFERENCES "raw_documents"("sha256"),
   "warnings" TEXT,
   "parser_version" TEXT,
   "first_seen" TEXT,
   "updated_at" TEXT
, [year] INTEGER GENERATED ALWAYS AS (CAST(substr([decision_date], 1, 4) AS INTEGER)) VIRTUAL, [lemmas] TEXT);
CREATE VIRTUAL TABLE "official_decisions_fts" USING FTS5 (
    "title", "decision", "official_title", "official_name", "lemmas",
    tokenize='unicode61 remove_diacritics 2',
    content="official_decisions"
);
CREATE TABLE 'official_decisions_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;
CREATE TABLE 'official_decisions_fts_data'(id INTEGER PRIMARY KEY, block BLOB);
CREATE TABLE 'official_decisions_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
CREATE TABLE 'official_decisions_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
CREATE TABLE "pdf_parses" (
   "sha256" TEXT PRIMARY KEY,
   "kind" TEXT,
   "started_at" TEXT,
   "finished_at" TEXT,
   "error" TEXT,
   "attempts" INTEGER
);
CREATE TABLE "raw_documents" (
   "sha256" TEXT PRIMARY KEY,
   "size" INTEGER,
   "content_type" TEXT,
   "path" TEXT,
   "first_seen" TEXT
);
CREATE TABLE "runs" (
   "id" INTEGER PRIMARY KEY,
   "started_at" TEXT,
   "finished_at" TEXT,
   "sources" INTEGER,
   "new_items" INTEGER,
   "updated_items" INTEGER,
   "failed" INTEGER,
   "requests" INTEGER,
   "seconds" REAL,
   "exit_code" INTEGER
);
CREATE TABLE "search_meta" (
   "key" TEXT PRIMARY KEY,
   "value" TEXT
);
CREATE TABLE "sources" (
   "id" TEXT PRIMARY KEY,
   "name" TEXT,
   "municipality" TEXT,
   "base_url" TEXT,
   "kind" TEXT,
   "added_at" TEXT
, [label] TEXT GENERATED ALWAYS AS (coalesce(nullif(municipality, ''), nullif(name, ''), id)) VIRTUAL);
CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name");
CREATE INDEX "idx_attachment_pages_attachment_id"
    ON "attachment_pages" ("attachment_id");
CREATE UNIQUE INDEX "idx_attachment_pages_attachment_id_page"
    ON "attachment_pages" ("attachment_id", "page");
CREATE INDEX "idx_attachment_pages_sha256"
    ON "attachment_pages" ("sha256");
CREATE INDEX "idx_attachments_item_id"
    ON "attachments" ("item_id");
CREATE INDEX "idx_attachments_sha256"
    ON "attachments" ("sha256");
CREATE INDEX "idx_bodies_label"
    ON "bodies" ("label");
CREATE UNIQUE INDEX "idx_bodies_source_id_name"
    ON "bodies" ("source_id", "name");
CREATE INDEX "idx_fetches_run_id"
    ON "fetches" ("run_id");
CREATE INDEX "idx_fetches_sha256"
    ON "fetches" ("sha256");
CREATE INDEX "idx_fetches_source_id"
    ON "fetches" ("source_id");
CREATE INDEX "idx_fetches_url"
    ON "fetches" ("url");
CREATE INDEX "idx_item_amounts_cents"
    ON "item_amounts" ("cents");
CREATE INDEX "idx_item_amounts_item_id"
    ON "item_amounts" ("item_id");
CREATE INDEX "idx_item_amounts_recipient"
    ON "item_amounts" ("recipient");
CREATE INDEX "idx_item_handlings_item_id"
    ON "item_handlings" ("item_id");
CREATE INDEX "idx_item_motions_item_id"
    ON "item_motions" ("item_id");
CREATE INDEX "idx_item_people_attendee_id"
    ON "item_people" ("attendee_id");
CREATE INDEX "idx_item_people_item_id"
    ON "item_people" ("item_id");
CREATE INDEX "idx_item_people_role"
    ON "item_people" ("role");
CREATE INDEX "idx_item_preparers_item_id"
    ON "item_preparers" ("item_id");
CREATE INDEX "idx_item_preparers_name"
    ON "item_preparers" ("name");
CREATE INDEX "idx_item_versions_html_sha256"
    ON "item_versions" ("html_sha256");
CREATE INDEX "idx_item_versions_item_id"
    ON "item_versions" ("item_id");
CREATE INDEX "idx_item_versions_pdf_sha256"
    ON "item_versions" ("pdf_sha256");
CREATE INDEX "idx_item_votes_item_id"
    ON "item_votes" ("item_id");
CREATE INDEX "idx_items_body_id"
    ON "items" ("body_id");
CREATE INDEX [idx_items_body_id_meeting_date] ON [items] ([body_id], [meeting_date], [document_type], [source_id], [year]);
CREATE INDEX "idx_items_case_key"
    ON "items" ("case_key");
CREATE INDEX "idx_items_case_number"
    ON "items" ("case_number");
CREATE INDEX "idx_items_departed_from_proposal"
    ON "items" ("departed_from_proposal");
CREATE INDEX "idx_items_document_type"
    ON "items" ("document_type");
CREATE INDEX "idx_items_facts_version"
    ON "items" ("facts_version");
CREATE INDEX "idx_items_html_sha256"
    ON "items" ("html_sha256");
CREATE INDEX "idx_items_meeting_date"
    ON "items" ("meeting_date");
CREATE INDEX "idx_items_meeting_id"
    ON "items" ("meeting_id");
CREATE INDEX "idx_items_outcome"
    ON "items" ("outcome");
CREATE INDEX "idx_items_pdf_sha256"
    ON "items" ("pdf_sha256");
CREATE INDEX idx_items_proposer_name ON items (proposer_name);
CREATE INDEX "idx_items_source_id"
    ON "items" ("source_id");
CREATE INDEX "idx_items_year"
    ON "items" ("year");
CREATE INDEX "idx_meeting_attendees_attendee_group"
    ON "meeting_attendees" ("attendee_group");
CREATE INDEX "idx_meeting_attendees_meeting_id"
    ON "meeting_attendees" ("meeting_id");
CREATE INDEX "idx_meeting_attendees_name"
    ON "meeting_attendees" ("name");
CREATE INDEX "idx_meetings_body_id"
    ON "meetings" ("body_id");
CREATE INDEX "idx_meetings_date"
    ON "meetings" ("date");
CREATE INDEX "idx_meetings_page_sha256"
    ON "meetings" ("page_sha256");
CREATE UNIQUE INDEX "idx_meetings_source_id_body_id_date"
    ON "meetings" ("source_id", "body_id", "date");
CREATE INDEX "idx_meetings_year"
    ON "meetings" ("year");
CREATE INDEX "idx_official_decisions_case_number"
    ON "official_decisions" ("case_number");
CREATE INDEX "idx_official_decisions_decision_date"
    ON "official_decisions" ("decision_date");
CREATE INDEX "idx_official_decisions_html_sha256"
    ON "official_decisions" ("html_sha256");
CREATE INDEX "idx_official_decisions_official_name"
    ON "official_decisions" ("official_name");
CREATE INDEX "idx_official_decisions_source_id"
    ON "official_decisions" ("source_id");
CREATE INDEX "idx_official_decisions_year"
    ON "official_decisions" ("year");
