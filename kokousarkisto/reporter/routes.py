"""Datasette routes of the reporters' pages (registered by the project's plugin).

Every view answers in Finnish and never with a 500 for what a person can type: the
form is read by :mod:`~kokousarkisto.reporter.params`, unknown things get a Finnish 404
page with a search box (:func:`not_found`).
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import functools
import io
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from datasette import Response
from datasette.utils import tilde_decode

from kokousarkisto import datasette_plugin as plugin  # the module: it imports us
from kokousarkisto import links
from kokousarkisto import routes as legacy_routes
from kokousarkisto.reporter import feeds, pages, urls
from kokousarkisto.reporter.params import MAX_PAGE, read_search
from kokousarkisto.reporter.search import run_search
from kokousarkisto.reporter.text import (
    OUTCOMES,
    clean,
    document_type_label,
    entry_title,
    fi_date,
    municipality_name,
    section_label,
)
from scraper.archive import ArchiveDamaged, ArchiveUnavailable, RawArchive, open_archive

PLUGIN = "kokousarkisto"
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")
#: archived HTML may carry the municipality's scripts: shown sandboxed, never run
ARCHIVE_HEADERS = {"Content-Security-Policy": "sandbox; default-src 'none'; "
                   "img-src 'self' data:; style-src 'unsafe-inline'",
                   "X-Content-Type-Options": "nosniff",
                   "Cache-Control": "public, max-age=86400, immutable"}
FEED_LIMIT = 50
#: data formats are never sniffed into HTML by a browser
NOSNIFF = {"X-Content-Type-Options": "nosniff"}
#: what a feed entry needs of an item (items, bodies and sources joined)
FEED_COLUMNS = """items.id, items.source_id, items.document_type, items.meeting_date,
  items.section, items.title as plain_title, items.title, items.decision, items.first_seen,
  items.outcome, items.effective_decision,
  items.case_number, items.case_number_raw, bodies.name as body, sources.municipality,
  sources.name as source_name"""
EXAMPLE_QUERY = "asemakaava"


# --- helpers -------------------------------------------------------------------------


async def archive_db(datasette):
    """The first database that has an ``items`` table (the archive)."""
    for name, db in datasette.databases.items():
        if name.startswith("_"):
            continue
        if await db.table_exists("items"):
            return db
    return None


async def _render(datasette, request, template: str, context: dict[str, Any],
                  status: int = 200) -> Response:
    html = await datasette.render_template(template, {"example_query": EXAMPLE_QUERY,
                                                      **context}, request=request)
    return Response.html(html, status=status)


async def not_found(datasette, request, message: str = "Sivua ei löytynyt.") -> Response:
    return await _render(datasette, request, "kk_404.html", {"message": message,
                                                             "title": "Ei löytynyt"}, 404)


def _absolute(request, path: str) -> str:
    scheme = request.scheme if request.scheme in ("http", "https") else "http"
    host = request.host or "localhost"
    return f"{scheme}://{host}{path}"


async def _choices(db) -> tuple[list[dict], list[dict]]:
    sources = [dict(r) for r in (await db.execute(
        "select id, municipality, name as source_name from sources "
        "order by coalesce(municipality, name, id)")).rows]
    for s in sources:
        s["label"] = s["municipality"] or s["source_name"] or s["id"]
    bodies = [dict(r) for r in (await db.execute(
        "select bodies.id, bodies.name, bodies.source_id, sources.municipality, "
        "sources.name as source_name from bodies left join sources "
        "on sources.id = bodies.source_id order by bodies.name, sources.municipality")).rows]
    for b in bodies:
        b["label"] = f"{b['name']} ({municipality_name(b)})"
    return sources, bodies


async def _last_updated(db) -> str | None:
    if not await db.table_exists("runs"):
        return None
    row = (await db.execute("select max(finished_at) from runs where finished_at is not null"
                            )).first()
    return row[0] if row else None


def _card(row: dict[str, Any]) -> dict[str, Any]:
    kind = row.get("document_type")
    outcome = None
    # what was decided: the effective decision (the proposal when it was accepted as
    # proposed, issue 13's facts) rather than "Päätösehdotus hyväksyttiin"
    decided = row.get("effective_decision") or row.get("decision")
    if kind == "agenda":
        outcome = "Ei vielä päätetty (esityslista)"
    elif decided:
        text = " ".join(clean(decided).split())
        outcome = text if len(text) <= 200 else text[:197].rsplit(" ", 1)[0] + " …"
        label = OUTCOMES.get(row.get("outcome") or "")
        if label and row.get("outcome") != "as_proposed":
            outcome = f"{label[0].upper()}{label[1:]}: {outcome}"
    return {**row, "href": urls.link_for(row), "kind": document_type_label(kind),
            "date_fi": fi_date(row.get("meeting_date")),
            "section_fi": section_label(kind, row.get("section")),
            "municipality_fi": municipality_name(row),
            "title_html": plugin.safe_marked_html(row.get("title") or row.get("plain_title") or ""),
            "snippet_html": plugin.safe_marked_html(row["snippet"]) if row.get("snippet") else None,
            "outcome": outcome,
            "case_href": urls.case(row["source_id"], row.get("case_number_raw")
                                   or row["case_number"]) if row.get("case_number") else None}


def _feed_title(form, sources, bodies) -> str:
    parts = []
    if form.q:
        parts.append(f"”{form.q[:80]}”")
    if form.body_id is not None:
        parts.append(next((b["label"] for b in bodies if b["id"] == form.body_id), ""))
    elif form.source_id:
        parts.append(next((s["label"] for s in sources if s["id"] == form.source_id), ""))
    if form.kind:
        parts.append(document_type_label(form.kind))
    return "Kokousarkisto: " + (" · ".join(p for p in parts if p) or "uusimmat asiat")


# --- views ---------------------------------------------------------------------------


async def home(datasette, request):
    db = await archive_db(datasette)
    if db is None:
        return await not_found(datasette, request, "Arkistossa ei ole vielä tietokantaa.")
    latest = [dict(r) for r in (await db.execute(
        """select items.id, items.source_id, items.document_type, items.meeting_date,
          items.section, items.title, items.title as plain_title, items.decision,
          items.outcome, items.effective_decision,
          items.case_number, items.case_number_raw, bodies.name as body,
          sources.municipality, sources.name as source_name
        from items left join bodies on bodies.id = items.body_id
          left join sources on sources.id = items.source_id
        where items.document_type = 'minutes'
        order by items.meeting_date desc, cast(items.section as integer) limit 15""")).rows]
    sources, bodies = await _choices(db)
    return await _render(datasette, request, "kk_home.html", {
        "title": "Kokousarkisto", "cards": [_card(r) for r in latest],
        "sources": sources, "bodies": bodies, "form": read_search({}, set(), {}),
        "updated_fi": _updated_fi(await _last_updated(db)), "database": db.name})


def _updated_fi(value: str | None) -> str | None:
    if not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return clean(value)
    if when.tzinfo is not None:
        when = when.astimezone(dt.timezone(dt.timedelta(hours=2)))  # Finnish standard time
    return f"{when.day}.{when.month}.{when.year} klo {when.hour}.{when.minute:02d}"


async def search(datasette, request):
    """``/haku`` and its ``.atom``/``.csv``/``.json``."""
    return await _search(datasette, request, None, None)


async def _search(datasette, request, args, fmt):
    """The search; ``args`` instead of the request's own (the old canned feed's)."""
    db = await archive_db(datasette)
    if db is None:
        return await not_found(datasette, request, "Arkistossa ei ole vielä tietokantaa.")
    fmt = fmt or request.url_vars.get("format") or ""
    sources, bodies = await _choices(db)
    form = read_search(request.args if args is None else args, {s["id"] for s in sources},
                       {b["id"]: b["source_id"] for b in bodies})
    if fmt == "atom":
        form.page = 1
    result = await run_search(db, form)
    cards = [_card(r) for r in result.rows]
    if fmt == "atom":
        return await _search_feed(datasette, request, db, form, cards, sources, bodies)
    if fmt in ("csv", "json"):
        return _export(fmt, cards, request)
    args = form.query_args(sivu=None)
    return await _render(datasette, request, "kk_search.html", {
        "title": (f"{form.q} – haku" if form.q else "Haku"), "form": form, "result": result,
        "cards": cards, "sources": sources, "bodies": bodies,
        "feed_href": urls.search(args, ".atom"),
        "feed_title": _feed_title(form, sources, bodies),
        "csv_href": urls.search(args, ".csv"),
        "excel_href": urls.search({**args, "excel": "1"}, ".csv"),
        "json_href": urls.search(args, ".json"),
        "prev_href": urls.search(form.query_args(sivu=form.page - 1 if form.page > 2 else None))
        if form.page > 1 else None,
        "next_href": urls.search(form.query_args(sivu=form.page + 1))
        if form.page < min(result.pages, MAX_PAGE) else None,
        "first": form.offset + 1, "last": form.offset + len(cards),
        "searched": any(v for k, v in form.raw.items() if k != "sivu"),
    })


EXPORT_COLUMNS = ("kunta", "toimielin", "päivämäärä", "pykälä", "asiakirja", "otsikko",
                  "otsikko_korostettu", "diaarinumero", "päätös", "katkelma", "osoite",
                  "alkuperäinen")


def _export_row(card: dict[str, Any], request) -> dict[str, Any]:
    return {"kunta": card["municipality_fi"], "toimielin": clean(card.get("body")),
            "päivämäärä": card.get("meeting_date") or "", "pykälä": card.get("section") or "",
            "asiakirja": card["kind"], "otsikko": clean(card.get("plain_title")),
            "otsikko_korostettu": clean(card.get("title")),
            "diaarinumero": clean(card.get("case_number_raw") or card.get("case_number")),
            "päätös": card.get("outcome") or "", "katkelma": clean(card.get("snippet")),
            "osoite": _absolute(request, card["href"]), "alkuperäinen": clean(card.get("url"))}


def _export(fmt: str, cards: list[dict[str, Any]], request) -> Response:
    rows = [_export_row(c, request) for c in cards]
    if fmt == "json":
        return Response.json({"rows": rows}, headers={"Access-Control-Allow-Origin": "*",
                                                      **NOSNIFF})
    excel = request.args.get("excel") in ("1", "on")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, delimiter=";" if excel else ",",
                            lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    body = ("\ufeff" if excel else "") + buffer.getvalue()
    return Response(body, content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="haku.csv"',
                             **NOSNIFF})


def _entries(cards: list[dict[str, Any]], request) -> list[feeds.Entry]:
    out = []
    for c in cards:
        kind = "paatos" if c.get("document_type") == "official" else "asia"
        out.append(feeds.Entry(
            id=feeds.tag_id(kind, c["id"]), title=entry_title({**c, "title": c["plain_title"]}),
            link=_absolute(request, c["href"]),
            updated=feeds.rfc3339(c.get("first_seen")) or feeds.rfc3339(c.get("meeting_date"))
            or feeds.EPOCH,
            summary=clean(c.get("outcome") or ""),
            # feed readers drop <mark>: the matched words are <strong> there
            content_html=str(c["snippet_html"]).replace("<mark>", "<strong>").replace(
                "</mark>", "</strong>") if c.get("snippet_html") else "",
            category=c["kind"]))
    return out


def _atom_response(text: str) -> Response:
    return Response(text, content_type="application/atom+xml; charset=utf-8", headers=NOSNIFF)


async def _search_feed(datasette, request, db, form, cards, sources, bodies) -> Response:
    # a feed of a municipality or body not (yet) in the archive stays empty until it is
    if ((form.raw.get("kunta", "").strip() and not form.source_id)
            or (form.raw.get("toimielin", "").strip() and form.body_id is None)):
        cards = []
    # a feed is "what is new": newest stored first, whatever the ranking of the page
    cards = sorted(cards, key=lambda c: c.get("first_seen") or "", reverse=True)
    args = form.query_args(sivu=None)
    key = "&".join(f"{k}={v}" for k, v in sorted(args.items()))
    return _atom_response(feeds.atom(
        feed_id=feeds.tag_id("haku", key or "kaikki"),
        title=_feed_title(form, sources, bodies),
        subtitle="Uudet asiat, jotka vastaavat hakua" if form.q else "Uusimmat asiat",
        self_url=_absolute(request, urls.search(args, ".atom")),
        alternate_url=_absolute(request, urls.search(args)),
        updated=feeds.rfc3339(await _last_updated(db)), entries=_entries(cards, request)))


async def item(datasette, request):
    """``/kohta/<source id>/<Dynasty item id>``: the item hub, from whichever served
    archive holds the item (two archives side by side both answer)."""
    item_id = links.item_id_from_parts(unquote(request.url_vars["source_id"]),
                                       unquote(request.url_vars["dynasty_id"]))
    database = await links.database_of_item(datasette, item_id)
    context = None
    if database is not None and await legacy_routes.allowed(datasette, request, database):
        context = await pages.item(datasette.get_database(database), item_id)
    if context is None:
        return await not_found(datasette, request, "Kohtaa ei löydy: arkistossa ei ole "
                               "tätä asiaa.")
    it = context["item"]
    return await _render(datasette, request, "kk_item.html", {
        **context, "database": database, "permalink": links.item_path(item_id),
        "title": f"{it.get('title') or it['id']} – {context['municipality']}"})


async def official(datasette, request):
    db = await archive_db(datasette)
    context = await pages.official(db, request.url_vars["decision_id"]) if db else None
    if context is None:
        return await not_found(datasette, request, "Päätöstä ei löytynyt arkistosta.")
    return await _render(datasette, request, "kk_official.html", {
        **context, "title": context["d"].get("title") or "Viranhaltijapäätös"})


async def meeting(datasette, request):
    db = await archive_db(datasette)
    context = await pages.meeting(db, int(request.url_vars["meeting_id"])) if db else None
    if context is None:
        return await not_found(datasette, request, "Kokousta ei löytynyt arkistosta.")
    m = context["m"]
    return await _render(datasette, request, "kk_meeting.html", {
        **context, "title": f"{m.get('body') or 'Kokous'} {context['date_fi']}"})


async def body(datasette, request):
    db = await archive_db(datasette)
    body_id = int(request.url_vars["body_id"])
    fmt = request.url_vars.get("format") or ""
    context = await pages.body(db, body_id) if db else None
    if context is None:
        return await not_found(datasette, request, "Toimielintä ei löytynyt arkistosta.")
    b = context["b"]
    name = f"{b['name']} ({context['municipality']})"
    if fmt == "atom":
        rows = [dict(r) for r in (await db.execute(
            f"""select {FEED_COLUMNS} from items left join bodies on bodies.id = items.body_id
              left join sources on sources.id = items.source_id
            where items.body_id = ? order by items.first_seen desc, items.meeting_date desc
            limit ?""", [body_id, FEED_LIMIT])).rows]
        return _atom_response(feeds.atom(
            feed_id=feeds.tag_id("toimielin", f"{b['source_id']}/{b['name']}"),
            title=f"Kokousarkisto: {name}",
            subtitle="Toimielimen uudet esityslistat ja pöytäkirjat",
            self_url=_absolute(request, urls.body(body_id, ".atom")),
            alternate_url=_absolute(request, urls.body(body_id)),
            updated=feeds.rfc3339(await _last_updated(db)),
            entries=_entries([_card(r) for r in rows], request)))
    if fmt == "ics":
        return await _body_calendar(db, request, body_id, name)
    return await _render(datasette, request, "kk_body.html", {
        **context, "title": name, "feed_href": urls.body(body_id, ".atom"),
        "ics_href": urls.body(body_id, ".ics"),
        "search_href": urls.search({"toimielin": str(body_id)})})


async def _body_calendar(db, request, body_id: int, name: str) -> Response:
    today = dt.date.today()
    since = request.args.get("alkaen")
    rows = [dict(r) for r in (await db.execute(
        """select meetings.id, meetings.date, meetings.start_time, meetings.end_time,
          meetings.place, meetings.document_type, bodies.name as body, meetings.source_id,
          (select group_concat(coalesce(section, '') || ' ' || title, char(10)) from
            (select section, title from items where items.meeting_id = meetings.id
             order by cast(section as integer))) as titles
        from meetings left join bodies on bodies.id = meetings.body_id
        where meetings.body_id = ? and meetings.date >= ?
        order by meetings.date limit 200""",
        [body_id, since if since and re.fullmatch(r"\d{4}-\d{2}-\d{2}", since)
         else (today - dt.timedelta(days=30)).isoformat()])).rows]
    events = []
    for r in rows:
        try:
            day = dt.date.fromisoformat(r["date"])
        except (TypeError, ValueError):
            continue
        events.append(feeds.Event(
            uid=f"kokous-{r['source_id']}-{r['id']}@kokousarkisto.github.io", date=day,
            start=r["start_time"], end=r["end_time"], summary=f"{name}: kokous",
            location=clean(r["place"]),
            description=("Esityslistan asiat:\n" if r["document_type"] == "agenda"
                         else "Pöytäkirjan asiat:\n") + clean(r["titles"]),
            url=_absolute(request, urls.meeting(r["id"]))))
    text = feeds.ical(name=f"Kokoukset: {name}", events=events,
                      stamp=dt.datetime.now(dt.UTC).replace(microsecond=0))
    return Response(text, content_type="text/calendar; charset=utf-8", headers=NOSNIFF)


async def case(datasette, request):
    db = await archive_db(datasette)
    source_id = unquote(request.url_vars["source_id"])
    number = unquote(request.url_vars["number"])
    if not number:
        number = request.args.get("nro") or ""
    context = await pages.case(db, source_id, number) if db else None
    if context is None:
        return await not_found(datasette, request, "Diaarinumerolla ei löytynyt asiaa: "
                               "kirjoita numero muodossa 3700/2024 tai 3700/10.02.02/2024.")
    return await _render(datasette, request, "kk_case.html", {
        **context, "title": f"Asia {context['case_number']} – {context['municipality']}"})


async def archived(datasette, request):
    """A file of the raw archive, with the content type it was served with."""
    db = await archive_db(datasette)
    sha = request.url_vars["sha256"]
    if db is None or not _SHA_RE.match(sha):
        return await not_found(datasette, request, "Tiedostoa ei löytynyt arkistosta.")
    # only documents the published tables refer to (not fetch logs or feeds)
    row = (await db.execute(
        """select raw_documents.content_type, raw_documents.path,
          (select title from attachments where sha256 = :s limit 1) as attachment_title
        from raw_documents where sha256 = :s and (
          exists (select 1 from items where html_sha256 = :s or pdf_sha256 = :s)
          or exists (select 1 from attachments where sha256 = :s)
          or exists (select 1 from meetings where page_sha256 = :s)
          or exists (select 1 from official_decisions where html_sha256 = :s))""",
        {"s": sha})).first()
    if row is None:
        return await not_found(datasette, request, "Tiedostoa ei löytynyt arkistosta.")
    archive = raw_archive(datasette, db)
    if archive is None:
        return await not_found(datasette, request, "Arkistokappale ei ole tällä palvelimella.")
    try:
        # a blocking read (a file, or an object store over the network): off the event loop
        data = await asyncio.to_thread(archive.get, sha)
    except FileNotFoundError:
        return await not_found(datasette, request, "Arkistokappale ei ole tällä palvelimella.")
    except ArchiveDamaged:
        return await not_found(datasette, request,
                               "Arkistokappale on vioittunut; se korjautuu seuraavassa haussa.")
    except ArchiveUnavailable:
        return await not_found(datasette, request,
                               "Arkisto ei juuri nyt vastaa; yritä hetken kuluttua uudelleen.")
    content_type = clean(row["content_type"]) or "application/octet-stream"
    headers = dict(ARCHIVE_HEADERS)
    if not content_type.startswith(("text/html", "application/pdf", "text/plain",
                                    "image/")):
        headers["Content-Disposition"] = "attachment"
    return Response(data, content_type=content_type, headers=headers)


def raw_archive(datasette, db) -> RawArchive | None:
    """The raw archive ``serve --archive`` named (``plugins: kokousarkisto: archive``: a
    directory or ``s3://bucket/prefix``), else the ``.raw`` directory beside the database.
    Bytes are checked against their sha256 on every read, so a damaged copy is never
    served as the original."""
    config = datasette.plugin_config(PLUGIN) or {}
    spec = config.get("archive")
    if not spec:
        if not db.path:
            return None
        path = Path(db.path)
        spec = str(path.with_name(path.stem + ".raw"))
    try:
        return _open_archive(str(spec), os.environ.get("AWS_ENDPOINT_URL"))
    except OSError:  # ArchiveUnavailable included: not cached, tried again next time
        return None


@functools.lru_cache(maxsize=8)
def _open_archive(spec: str, endpoint: str | None) -> RawArchive:
    """Opened once per location: an object store is checked (bucket, endpoint) when it is
    opened, which must not happen on every request. ``endpoint`` (the environment's
    ``AWS_ENDPOINT_URL``, which ``open_archive`` reads) is part of the location."""
    return open_archive(spec)


async def tilde_item(datasette, request):
    """``/<db>/items/demo~2F2024091101-3`` → ``/kohta/demo/2024091101-3``."""
    item_id = tilde_decode(request.url_vars["pks"])
    return Response.redirect(urls.item(item_id), status=302)


async def legacy_feed_search(datasette, request):
    """The canned ``feed_search.atom`` of older subscriptions: this search's feed."""
    args = {"q": request.args.get("q") or ""}
    kunta = (request.args.get("kunta") or "").strip()
    db = await archive_db(datasette)
    if kunta and db is not None:
        # the canned query took a source id or a municipality's name
        row = (await db.execute(
            "select id from sources where id = lower(:k) or lower(municipality) = lower(:k) "
            "or lower(name) = lower(:k) order by id limit 1", {"k": kunta})).first()
        args["kunta"] = row["id"] if row else kunta
    return await _search(datasette, request, args, "atom")


async def legacy_feed_body(datasette, request):
    """The canned ``feed_body.atom?body=…&kunta=…`` of older subscriptions, served as a
    valid feed: the body's name without regard to case or surrounding spaces (or its
    label "Kaupunginhallitus (Kuopio)"), ``kunta`` a source id or municipality name
    (empty: that body of every municipality); an empty feed when nothing matches."""
    db = await archive_db(datasette)
    name = (request.args.get("body") or "").strip()
    kunta = (request.args.get("kunta") or "").strip()
    body_ids: list[int] = []
    label = name or "tuntematon toimielin"
    if db is not None and name:
        rows = (await db.execute(
            """select bodies.id, bodies.name, coalesce(sources.municipality, sources.name,
                bodies.source_id) as municipality from bodies
              left join sources on sources.id = bodies.source_id
              where (lower(bodies.name) = lower(:n) or lower(bodies.name || ' ('
                  || coalesce(sources.municipality, sources.name, bodies.source_id) || ')')
                  = lower(:n))
                and (:k = '' or sources.id = lower(:k) or lower(sources.municipality) = lower(:k)
                  or lower(sources.name) = lower(:k))
              order by bodies.id""", {"n": name, "k": kunta})).rows
        body_ids = [r["id"] for r in rows]
        if len(rows) == 1:
            label = f"{rows[0]['name']} ({rows[0]['municipality']})"
        elif rows:
            label = rows[0]["name"]
    cards = []
    if body_ids:
        marks = ", ".join("?" * len(body_ids))
        cards = [_card(dict(r)) for r in (await db.execute(
            f"""select {FEED_COLUMNS} from items
              left join bodies on bodies.id = items.body_id
              left join sources on sources.id = items.source_id
            where items.body_id in ({marks})
            order by items.first_seen desc, items.meeting_date desc limit ?""",
            [*body_ids, FEED_LIMIT])).rows]
    return _atom_response(feeds.atom(
        feed_id=feeds.tag_id("toimielin", f"{kunta.lower()}/{name.lower()}" if name
                             else "tuntematon"),
        title=f"Kokousarkisto: {label}",
        subtitle="Toimielimen uudet esityslistat ja pöytäkirjat" if body_ids
        else "Tämännimistä toimielintä ei ole (vielä) arkistossa",
        self_url=_absolute(request, request.path + (f"?{request.query_string}"
                                                    if request.query_string else "")),
        alternate_url=_absolute(request, urls.body(body_ids[0]) if len(body_ids) == 1
                                else "/"),
        updated=feeds.rfc3339(await _last_updated(db)) if db else None,
        entries=_entries(cards, request)))


ROUTES = [
    (r"^/$", home),
    (r"^/haku(\.(?P<format>atom|csv|json))?$", search),
    (r"^/kohta/(?P<source_id>[^/]+)/(?P<dynasty_id>[^/]+)/?$", item),
    (r"^/paatos/(?P<decision_id>[^/]+/[^/]+)$", official),
    (r"^/kokous/(?P<meeting_id>\d{1,12})$", meeting),
    (r"^/toimielin/(?P<body_id>\d{1,12})(\.(?P<format>atom|ics))?$", body),
    (r"^/diaari/(?P<source_id>[^/]+)/?(?P<number>.*)$", case),
    (r"^/arkisto/(?P<sha256>[0-9a-f]{64})$", archived),
    (r"^/arkisto/?(?P<rest>.*)$", legacy_routes.archive_redirect),
    (r"^/(?P<db>[^/_][^/]*)/items/(?P<pks>[^/.]+)$", tilde_item),
    (r"^/(?P<db>[^/_][^/]*)/feed_search\.atom$", legacy_feed_search),
    (r"^/(?P<db>[^/_][^/]*)/feed_body\.atom$", legacy_feed_body),
]


def routes() -> list[tuple[str, Any]]:
    return ROUTES



