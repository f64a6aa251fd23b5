"""The reporters' search: Finnish full-text search with filters, a total and paging.

One SQL statement per page of results, built here from a checked
:class:`~kokousarkisto.reporter.params.SearchForm`; values travel as parameters. The
query words go through ``fi_query`` (the index's own Finnish analysis), so inflected
forms and compounds are found the same way in agendas, minutes, attachments and
officials' decisions.

Ranking is bm25 inside the FTS index among the :data:`RECENT` most recently stored
matches (a word found in most of a million items would otherwise be scored a million
times); the total counts every match up to :data:`COUNT_CAP`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from db import fts
from kokousarkisto.reporter.params import PAGE_SIZE, SearchForm
from kokousarkisto.reporter.query import ParsedQuery
from kokousarkisto.reporter.query import parse as parse_query

#: matches ranked by bm25 (the newest ones); older matches follow by date
RECENT = 20000
#: totals are exact up to this many
COUNT_CAP = 10000
#: bm25 weights of items_fts' columns (title first, lemmas last), as the canned search
ITEM_WEIGHTS = "5.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 1.0, 2.0"
SNIPPET_TEXT = ("coalesce(items.decision, '') || char(10) || coalesce(items.proposal, '')"
                " || char(10) || coalesce(items.background, '') || char(10)"
                " || coalesce(items.discussion, '')")
ITEM_COLUMNS = """items.id, items.source_id, items.meeting_id, items.body_id,
  items.document_type, items.meeting_date, items.section, items.case_number,
  items.case_number_raw, items.title as plain_title, items.url, items.first_seen,
  items.decision, bodies.name as body, sources.municipality, sources.name as source_name"""
#: the facts of issue 13, when the database has them (m010_facts)
FACT_COLUMNS = ", items.outcome, items.effective_decision"


@dataclass
class SearchResult:
    rows: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0
    capped: bool = False  # the total is "more than COUNT_CAP"
    officials: int = 0  # officials' decisions that match too (listed under their type)
    notes: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.total, COUNT_CAP) // PAGE_SIZE))


def _item_filters(form: SearchForm, params: dict[str, Any]) -> list[str]:
    where = []
    if form.source_id:
        where.append("items.source_id = :kunta")
        params["kunta"] = form.source_id
    if form.body_id is not None:
        where.append("items.body_id = :toimielin")
        params["toimielin"] = form.body_id
    if form.start:
        where.append("items.meeting_date >= :alku")
        params["alku"] = form.start.isoformat()
    if form.end:
        where.append("items.meeting_date <= :loppu")
        params["loppu"] = form.end.isoformat()
    if form.kind in ("agenda", "minutes"):
        where.append("items.document_type = :tyyppi")
        params["tyyppi"] = form.kind
    return where


def _official_filters(form: SearchForm, params: dict[str, Any]) -> list[str]:
    where = []
    if form.source_id:
        where.append("official_decisions.source_id = :kunta")
        params["kunta"] = form.source_id
    if form.start:
        where.append("official_decisions.decision_date >= :alku")
        params["alku"] = form.start.isoformat()
    if form.end:
        where.append("official_decisions.decision_date <= :loppu")
        params["loppu"] = form.end.isoformat()
    return where


def _and(where: list[str]) -> str:
    return (" and " + " and ".join(where)) if where else ""


def _params(form: SearchForm, parsed: ParsedQuery | None) -> dict[str, Any]:
    return {"match": parsed.expression if parsed else '""',
            "hq": parsed.highlight if parsed else "", "limit": PAGE_SIZE,
            "offset": form.offset}


def build_items_sql(form: SearchForm, has_attachment_index: bool,
                    parsed: ParsedQuery | None = None, facts: bool = False
                    ) -> tuple[str, str, dict]:
    """(rows SQL, count SQL, params) for agenda and minutes items."""
    params = _params(form, parsed)
    columns = ITEM_COLUMNS + (FACT_COLUMNS if facts else "")
    where = _and(_item_filters(form, params))
    if not form.q:
        # no words: the newest items that pass the filters
        rows = f"""select {columns}, items.title as title, null as snippet,
            null as attachment, null as attachment_page
          from items left join bodies on bodies.id = items.body_id
            left join sources on sources.id = items.source_id
          where 1 {where}
          order by items.meeting_date desc, items.id
          limit :limit offset :offset"""
        count = f"""select count(*) from (select 1 from items where 1 {where}
          limit {COUNT_CAP + 1})"""
        return rows, count, params
    hits = [f"""select items_fts.rowid as item_rowid, bm25(items_fts, {ITEM_WEIGHTS}) as rank,
        null as page_id
      from items_fts where items_fts match :match
        and items_fts.rowid >= coalesce((select rowid from items_fts
          where items_fts match :match order by rowid desc limit 1
          offset {RECENT - 1}), 0)"""]
    if form.attachments and has_attachment_index:
        # an attachment page's match counts for its item, a little below the item's own
        hits.append(f"""select items.rowid, bm25(attachment_pages_fts, 1.0, 0.5) * 0.5,
            attachment_pages.id
          from attachment_pages_fts
            join attachment_pages on attachment_pages.id = attachment_pages_fts.rowid
            join attachments on attachments.id = attachment_pages.attachment_id
            join items on items.id = attachments.item_id
          where attachment_pages_fts match :match
            and attachment_pages_fts.rowid >= coalesce((select rowid
              from attachment_pages_fts where attachment_pages_fts match :match
              order by rowid desc limit 1 offset {RECENT - 1}), 0)""")
    union = " union all ".join(hits)
    # bm25() only works where its MATCH is: the hits are materialised before grouping
    ranked = f"""hits as materialized ({union}),
      ranked as (
        select item_rowid, min(rank) as rank,
          -- the best attachment page when the item itself did not match
          case when count(page_id) = count(*) then max(page_id) end as page_id
        from hits group by item_rowid)"""
    rows = f"""with {ranked}
      select {columns}, fi_highlight(items.title, :hq) as title,
        case when ranked.page_id is null then fi_snippet({SNIPPET_TEXT}, :hq)
          else (select fi_snippet(text, :hq) from attachment_pages
                where id = ranked.page_id) end as snippet,
        (select attachments.title from attachment_pages
          join attachments on attachments.id = attachment_pages.attachment_id
          where attachment_pages.id = ranked.page_id) as attachment,
        (select page from attachment_pages where id = ranked.page_id) as attachment_page
      from ranked join items on items.rowid = ranked.item_rowid
        left join bodies on bodies.id = items.body_id
        left join sources on sources.id = items.source_id
      where 1 {where}
      order by ranked.rank, items.meeting_date desc, items.id
      limit :limit offset :offset"""
    if form.attachments and has_attachment_index:
        count = f"""with {ranked} select count(*) from (select 1 from ranked
            join items on items.rowid = ranked.item_rowid where 1 {where}
            limit {COUNT_CAP + 1})"""
    else:
        # the total needs no ranking: every match that passes the filters, unscored
        count = f"""select count(*) from (select 1 from items_fts
            join items on items.rowid = items_fts.rowid
            where items_fts match :match {where} limit {COUNT_CAP + 1})"""
    return rows, count, params


def build_official_sql(form: SearchForm, has_index: bool, parsed: ParsedQuery | None = None
                       ) -> tuple[str, str, dict] | None:
    """(rows SQL, count SQL, params) for officials' decisions; ``None`` when a query
    needs a full-text index this database does not have."""
    params = _params(form, parsed)
    where = _and(_official_filters(form, params))
    columns = """official_decisions.id, official_decisions.source_id,
      'official' as document_type, official_decisions.decision_date as meeting_date,
      official_decisions.section, official_decisions.case_number,
      official_decisions.case_number_raw, official_decisions.title as plain_title,
      official_decisions.url, official_decisions.first_seen, official_decisions.decision,
      trim(coalesce(official_decisions.official_title, '') || ' '
        || coalesce(official_decisions.official_name, '')) as body,
      sources.municipality, sources.name as source_name"""
    if not form.q:
        rows = f"""select {columns}, official_decisions.title as title, null as snippet
          from official_decisions left join sources
            on sources.id = official_decisions.source_id
          where 1 {where}
          order by official_decisions.decision_date desc, official_decisions.id
          limit :limit offset :offset"""
        count = f"""select count(*) from (select 1 from official_decisions where 1 {where}
          limit {COUNT_CAP + 1})"""
        return rows, count, params
    if not has_index:
        return None
    rows = f"""select {columns}, fi_highlight(official_decisions.title, :hq) as title,
        fi_snippet(coalesce(official_decisions.decision, ''), :hq) as snippet
      from official_decisions_fts
        join official_decisions on official_decisions.rowid = official_decisions_fts.rowid
        left join sources on sources.id = official_decisions.source_id
      where official_decisions_fts match :match {where}
      order by bm25(official_decisions_fts), official_decisions.decision_date desc
      limit :limit offset :offset"""
    count = f"""select count(*) from (select 1 from official_decisions_fts
        join official_decisions on official_decisions.rowid = official_decisions_fts.rowid
        where official_decisions_fts match :match {where} limit {COUNT_CAP + 1})"""
    return rows, count, params


async def run_search(db, form: SearchForm) -> SearchResult:
    """One page of results for ``form`` from Datasette database ``db``."""
    result = SearchResult()
    tables = set(await db.table_names())
    parsed = None
    if form.q:
        # the query is analysed with the lemmatiser that built this database's index
        parsed = await db.execute_fn(
            lambda conn: parse_query(form.q, fts.lemmatiser_for_connection(conn)))
        result.notes += parsed.notes
    if form.kind == "official":
        built = build_official_sql(form, "official_decisions_fts" in tables, parsed)
        if built is None:
            result.notes.append("Viranhaltijapäätöksiä ei voi vielä hakea sanoilla tässä "
                                "arkistossa (hakemisto puuttuu): tyhjennä hakukenttä "
                                "nähdäksesi uusimmat päätökset.")
            return result
    else:
        facts = "effective_decision" in {r["name"] for r in (await db.execute(
            "select name from pragma_table_info('items')")).rows}
        built = build_items_sql(form, "attachment_pages_fts" in tables, parsed, facts)
        if form.attachments and "attachment_pages_fts" not in tables:
            result.notes.append("Tässä arkistossa ei ole liitteiden tekstiä.")
    rows_sql, count_sql, params = built
    if (not form.kind and form.q and form.body_id is None
            and "official_decisions_fts" in tables):
        _, official_count, official_params = build_official_sql(form, True, parsed)
        result.officials = (await db.execute(official_count, official_params)).first()[0]
    count = (await db.execute(count_sql, params)).first()[0]
    result.total = min(count, COUNT_CAP)
    result.capped = count > COUNT_CAP
    rows = await db.execute(rows_sql, params)
    result.rows = [dict(r) for r in rows.rows]
    return result
