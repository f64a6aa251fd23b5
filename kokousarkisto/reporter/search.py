"""The reporters' search: Finnish full-text search with filters, a total and paging.

One SQL statement per page of results, built here from a checked
:class:`~kokousarkisto.reporter.params.SearchForm`; values travel as parameters. The
query words go through ``fi_query`` (the index's own Finnish analysis), so inflected
forms and compounds are found the same way in agendas, minutes, attachments and
officials' decisions.

Ranking is bm25 inside the FTS index among the :data:`WINDOW` newest matches that pass
the filters (the index is read newest first and stops there: a word found in most of a
million items is never scored a million times); the total counts every match up to
:data:`COUNT_CAP`. A compound query word also matches its parts written apart
(:mod:`kokousarkisto.reporter.query`); the items that match only that way are ranked in
a pass of their own and listed after those that match the words themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from db import fts
from kokousarkisto.reporter.params import MAX_PAGE, PAGE_SIZE, SearchForm
from kokousarkisto.reporter.query import ParsedQuery
from kokousarkisto.reporter.query import parse as parse_query

#: matches ranked by bm25 per pass: the newest this many that pass the filters, which is
#: every result the pages reach (scoring more would cost time for rows no page shows)
WINDOW = MAX_PAGE * PAGE_SIZE
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


@dataclass
class ItemsSql:
    """The SQL of one search of items: a (rows, count) pair per ranked pass."""

    passes: list[tuple[str, str]]
    params: dict[str, Any]
    #: a pass's count is the number of rows it can list (not every match: the matches
    #: beyond the ranked window are not listed)
    count_is_ranked: bool = False


#: the index that holds every column the filters read (db/schema.py m007): body, date,
#: document type, municipality (and each row's rowid)
FILTER_INDEX = "idx_items_body_id_meeting_date"
#: filters that pass fewer than this share of the items are checked against the set of
#: their rowids; broader ones on each match's row (most matches pass them anyway)
SELECTIVE_SHARE = 8


def passing_sql(form: SearchForm, where: str, columns: str = "rowid") -> str:
    """The rowids (or other ``columns`` of :data:`FILTER_INDEX`) of the items passing the
    filters ``where``, read from an index alone: :data:`FILTER_INDEX` (a municipality is
    its bodies: one range of the index per body) when a body, municipality or date is
    asked, else ``document_type``'s index."""
    if form.body_id is not None:
        return f"select {columns} from items indexed by {FILTER_INDEX} where 1 {where}"
    if not (form.source_id or form.start or form.end):
        return f"select {columns} from items where 1 {where}"
    bodies = "select id from bodies" + (" where source_id = :kunta" if form.source_id
                                        else "")
    return (f"select {columns} from items indexed by {FILTER_INDEX} "
            f"where items.body_id in ({bodies}) {where} "
            f"union all select {columns} from items indexed by {FILTER_INDEX} "
            f"where items.body_id is null {where}")


@dataclass
class _Filter:
    """How a full-text query over ``items_fts`` keeps only the items passing the filters:
    a CTE for the statement's ``with``, a join and a condition."""

    cte: str = ""
    join: str = ""
    condition: str = ""


def _item_filter(form: SearchForm, where: str, selective: bool) -> _Filter:
    """Selective filters (:data:`SELECTIVE_SHARE`): the rowids that pass are read from an
    index once per statement (:func:`passing_sql`) and each match is checked against
    them (``+`` keeps SQLite from turning the ``IN`` into one lookup per rowid); with a
    date the full-text index is read only between their lowest and highest rowid (items
    are stored roughly in date order, so a date range is a narrow band of rowids).
    Reading each match's row of ``items`` to check it costs a page read per match, ~10x
    slower on a 1,000,000-item archive when few matches pass; it is kept for broad
    filters (a document type alone), where most do."""
    if not where:
        return _Filter()
    if not selective:
        return _Filter(join=" cross join items on items.rowid = items_fts.rowid",
                       condition=where)
    condition = "and +items_fts.rowid in passing"
    if form.start or form.end:
        condition = ("and items_fts.rowid >= (select min(rowid) from passing) "
                     "and items_fts.rowid <= (select max(rowid) from passing) " + condition)
    return _Filter(cte=f"passing as materialized ({passing_sql(form, where)}), ",
                   condition=condition)


def _item_window(match: str, kept: _Filter) -> str:
    """The newest :data:`WINDOW` items matching ``match`` that pass the filters, with
    their bm25 rank: the index is read newest first and stops at the window, so bm25
    scores only rows that can be shown."""
    return f"""select items_fts.rowid as item_rowid,
        bm25(items_fts, {ITEM_WEIGHTS}) as rank, null as page_id
      from items_fts{kept.join}
      where items_fts match {match} {kept.condition}
      order by items_fts.rowid desc limit {WINDOW}"""


def _attachment_window(match: str, where: str) -> str:
    """The newest :data:`WINDOW` attachment pages matching ``match`` whose item passes
    the filters; a page's match counts for its item, a little below the item's own."""
    return f"""select items.rowid as item_rowid,
        bm25(attachment_pages_fts, 1.0, 0.5) * 0.5 as rank, attachment_pages.id as page_id
      from attachment_pages_fts
        cross join attachment_pages on attachment_pages.id = attachment_pages_fts.rowid
        cross join attachments on attachments.id = attachment_pages.attachment_id
        cross join items on items.id = attachments.item_id
      where attachment_pages_fts match {match} {where}
      order by attachment_pages_fts.rowid desc limit {WINDOW}"""


def _official_window(match: str, where: str) -> str:
    """The newest :data:`WINDOW` officials' decisions matching ``match`` that pass the
    filters, with their bm25 rank (listed among the items: ``official`` = 1)."""
    return f"""select official_decisions.rowid as item_rowid,
        bm25(official_decisions_fts) as rank, null as page_id, 1 as official
      from official_decisions_fts cross join official_decisions
        on official_decisions.rowid = official_decisions_fts.rowid
      where official_decisions_fts match {match} {where}
      order by official_decisions_fts.rowid desc limit {WINDOW}"""


#: an official's decision as a row of the result list (the items' columns)
OFFICIAL_ROW = """official_decisions.id, official_decisions.source_id, null as meeting_id,
  null as body_id, 'official' as document_type,
  official_decisions.decision_date as meeting_date, official_decisions.section,
  official_decisions.case_number, official_decisions.case_number_raw,
  official_decisions.title as plain_title, official_decisions.url,
  official_decisions.first_seen, official_decisions.decision,
  trim(coalesce(official_decisions.official_title, '') || ' '
    || coalesce(official_decisions.official_name, '')) as body,
  sources.municipality, sources.name as source_name"""


def _ranked_pass(match: str, marks: str, kept: _Filter, where: str, columns: str,
                 attachments: bool, officials: str | None = None, facts: bool = False
                 ) -> tuple[str, str]:
    """(rows SQL, count SQL) of one ranked pass over the items matching ``match`` and,
    when ``officials`` (their filters) is given, the officials' decisions among them."""
    item_window = f"select *, 0 as official from ({_item_window(match, kept)})"
    official_window = (f" union all select * from ({_official_window(match, officials)})"
                       if officials is not None else "")
    if attachments:
        ranked = f"""{kept.cte}hits as materialized (
            {item_window}
            union all select *, 0 from ({_attachment_window(match, where)})
            {official_window}),
          ranked as (
            select item_rowid, official, min(rank) as rank,
              -- the best attachment page when the item itself did not match
              case when count(page_id) = count(*) then max(page_id) end as page_id
            from hits group by item_rowid, official)"""
        count = f"with {ranked} select count(*) from ranked"
    else:
        # bm25() only works where its MATCH is: the window is materialised first
        ranked = f"{kept.cte}ranked as materialized ({item_window}{official_window})"
        # the total needs no ranking: every match that passes the filters, unscored
        count = f"""with {kept.cte}counted as (select 1 from items_fts{kept.join}
            where items_fts match {match} {kept.condition} limit {COUNT_CAP + 1})
          select (select count(*) from counted)"""
        if officials is not None:
            count += f""" + (select count(*) from (select 1 from official_decisions_fts
                cross join official_decisions
                  on official_decisions.rowid = official_decisions_fts.rowid
                where official_decisions_fts match {match} {officials}
                limit {COUNT_CAP + 1}))"""
    # the page's rows are chosen first, from the ranked window; their titles,
    # snippets and other columns are read for those rows only. A title with the words
    # comes first (the index keeps base forms apart from the title's own words, so
    # bm25's title weight alone misses "Liikuntapalvelujen" for "liikuntapalvelu")
    page_keys = "page.in_title, page.rank, page.item_id as page_key"
    rows = f"""with {ranked},
      page as materialized (
        select ranked.item_rowid, ranked.official, ranked.page_id, ranked.rank,
          fi_matches(coalesce(items.title, official_decisions.title), {marks}) as in_title,
          coalesce(items.meeting_date, official_decisions.decision_date) as meeting_date,
          coalesce(items.id, official_decisions.id) as item_id
        from ranked
          left join items on items.rowid = ranked.item_rowid and ranked.official = 0
          left join official_decisions
            on official_decisions.rowid = ranked.item_rowid and ranked.official = 1
        order by in_title desc, ranked.rank, meeting_date desc, item_id
        limit :limit offset :offset)
      select {columns}, fi_highlight(items.title, :hq) as title,
        case when page.page_id is null then fi_snippet({SNIPPET_TEXT}, :hq)
          else (select fi_snippet(text, :hq) from attachment_pages
                where id = page.page_id) end as snippet,
        (select attachments.title from attachment_pages
          join attachments on attachments.id = attachment_pages.attachment_id
          where attachment_pages.id = page.page_id) as attachment,
        (select page from attachment_pages where id = page.page_id) as attachment_page,
        page.meeting_date as page_date, {page_keys}
      from page join items on items.rowid = page.item_rowid and page.official = 0
        left join bodies on bodies.id = items.body_id
        left join sources on sources.id = items.source_id"""
    if officials is not None:
        rows += f"""
      union all
      select {OFFICIAL_ROW}{", null, null" if facts else ""},
        fi_highlight(official_decisions.title, :hq) as title,
        fi_snippet(coalesce(official_decisions.decision, ''), :hq) as snippet,
        null, null, page.meeting_date, {page_keys}
      from page join official_decisions
          on official_decisions.rowid = page.item_rowid and page.official = 1
        left join sources on sources.id = official_decisions.source_id"""
    rows += """
      order by in_title desc, rank, page_date desc, page_key"""
    return rows, count


def build_items_sql(form: SearchForm, has_attachment_index: bool,
                    parsed: ParsedQuery | None = None, facts: bool = False,
                    selective: bool = True, officials: bool = False) -> ItemsSql:
    """The SQL for agenda and minutes items: with query words, one ranked pass for the
    items that match the words themselves and, when a compound word was also split,
    a second one for the items that match only through its parts written apart, listed
    after the first (whole words rank above parts)."""
    params = _params(form, parsed)
    columns = ITEM_COLUMNS + (FACT_COLUMNS if facts else "")
    where = _and(_item_filters(form, params))
    if not form.q:
        # no words: the newest items that pass the filters (same date: as stored)
        rows = f"""select {columns}, items.title as title, null as snippet,
            null as attachment, null as attachment_page
          from items left join bodies on bodies.id = items.body_id
            left join sources on sources.id = items.source_id
          where 1 {where}
          order by items.meeting_date desc, items.rowid
          limit :limit offset :offset"""
        count = f"""select count(*) from (select 1 from items where 1 {where}
          limit {COUNT_CAP + 1})"""
        if form.source_id and form.body_id is None:
            # a municipality's items: its bodies' ranges of the index, sorted there (the
            # dates of a municipality's 100,000 items, not their rows); then 20 rows
            passing = passing_sql(form, where, "rowid as item_rowid, meeting_date")
            rows = f"""with page as materialized (select * from ({passing})
                order by meeting_date desc, item_rowid limit :limit offset :offset)
              select {columns}, items.title as title, null as snippet,
                null as attachment, null as attachment_page
              from page join items on items.rowid = page.item_rowid
                left join bodies on bodies.id = items.body_id
                left join sources on sources.id = items.source_id
              order by page.meeting_date desc, page.item_rowid"""
            count = f"""select count(*) from (select 1 from ({passing})
              limit {COUNT_CAP + 1})"""
        return ItemsSql([(rows, count)], params, count_is_ranked=True)
    attachments = form.attachments and has_attachment_index
    # (with attachments one pass: an item's own whole-word match and its attachment's
    # parts-only match would list it twice)
    matches = [(parsed.whole, parsed.whole_highlight), (parsed.parts_only, parsed.highlight)] \
        if (parsed and parsed.parts_only and not attachments) else \
        [(params["match"], parsed.whole_highlight if parsed else "")]
    kept = _item_filter(form, where, selective)
    # officials' decisions among the items when every type is asked (they have no body)
    mixed = (_and(_official_filters(form, params))
             if officials and not form.kind and form.body_id is None else None)
    passes = []
    for i, (match, marks) in enumerate(matches):
        params[f"match{i}"], params[f"marks{i}"] = match, marks
        passes.append(_ranked_pass(f":match{i}", f":marks{i}", kept, where, columns,
                                  attachments, mixed, facts))
    return ItemsSql(passes, params, count_is_ranked=attachments)


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
        built = build_items_sql(form, "attachment_pages_fts" in tables, parsed, facts,
                                selective=await _selective(db, form) if form.q else True,
                                officials="official_decisions_fts" in tables)
        if form.attachments and "attachment_pages_fts" not in tables:
            result.notes.append("Tässä arkistossa ei ole liitteiden tekstiä.")
    if isinstance(built, ItemsSql):
        await _page_of_passes(db, built, form, result)
        return result
    rows_sql, count_sql, params = built
    count = (await db.execute(count_sql, params)).first()[0]
    result.total = min(count, COUNT_CAP)
    result.capped = count > COUNT_CAP
    rows = await db.execute(rows_sql, params)
    result.rows = [dict(r) for r in rows.rows]
    return result


async def _selective(db, form: SearchForm) -> bool:
    """Whether fewer than 1/:data:`SELECTIVE_SHARE` of the items pass the form's filters
    (read from an index, stopping at that many)."""
    params: dict[str, Any] = {}
    where = _and(_item_filters(form, params))
    if not where:
        return True
    items = (await db.execute("select max(rowid) from items")).first()[0] or 0
    params["probe"] = max(1000, items // SELECTIVE_SHARE)
    passing = (await db.execute(f"select count(*) from (select 1 from "
                                f"({passing_sql(form, where)}) limit :probe)", params)).first()[0]
    return passing < params["probe"]


async def _page_of_passes(db, built: ItemsSql, form: SearchForm, result: SearchResult
                          ) -> None:
    """The total of every pass and the page's rows: the first pass's ranked rows, then
    the next pass's, and so on (a later pass is read only when the page reaches it)."""
    counts = []
    for _, count in built.passes:
        # once the total is past the cap, later passes are neither counted nor reached
        # (the first pass alone then fills every page: WINDOW rows)
        over = sum(counts) > COUNT_CAP
        counts.append(0 if over else (await db.execute(count, built.params)).first()[0])
    total = sum(min(c, COUNT_CAP + 1) for c in counts)
    result.total = min(total, COUNT_CAP)
    result.capped = total > COUNT_CAP
    offset, wanted = form.offset, PAGE_SIZE
    for (rows_sql, _), count in zip(built.passes, counts, strict=True):
        ranked = count if built.count_is_ranked else min(count, WINDOW)
        if offset < ranked:
            params = {**built.params, "offset": offset, "limit": wanted}
            rows = [dict(r) for r in (await db.execute(rows_sql, params)).rows]
            result.rows += rows
            wanted -= len(rows)
            if wanted <= 0:
                return
        offset = max(0, offset - ranked)
