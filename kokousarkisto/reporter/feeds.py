"""Atom (RFC 4287) and iCalendar (RFC 5545) documents for newsroom alerts and calendars.

Written by hand with escaping, not through datasette-atom, because a feed must be
valid and answer 200 when nothing matches yet (an empty feed; datasette-atom raises on
an empty result), must name an author, and must give entries IRI ids. Ids are ``tag:``
URIs (RFC 4151) built from the item id, so they survive a move of the archive to
another host; every text passes :func:`~kokousarkisto.reporter.text.clean`, so a
control character stored from a PDF never makes the XML invalid.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from kokousarkisto.reporter.text import clean

ATOM_NS = "http://www.w3.org/2005/Atom"
#: authority of the tag: ids (the project's GitHub organisation's Pages domain)
TAG_AUTHORITY = "kokousarkisto.github.io,2025"
#: feeds' author when nothing better is known (RFC 4287 4.2.1: a feed needs one)
AUTHOR = "Kokousarkisto"
#: ``updated`` of a feed with no entries and no harvest yet
EPOCH = "1970-01-01T00:00:00Z"
_TZ_RE = re.compile(r"(Z|[+-]\d{2}:\d{2})$")


def tag_id(kind: str, key: str) -> str:
    """``tag:kokousarkisto.github.io,2025:asia/demo/2024091101-3`` (an IRI, RFC 4151).

    The specific part keeps ``/``, letters, digits and ``-._~``; anything else is
    percent-encoded.
    """
    specific = "".join(c if c.isalnum() and c.isascii() or c in "/-._~" else
                       "".join(f"%{b:02X}" for b in c.encode("utf-8"))
                       for c in f"{kind}/{key}")
    return f"tag:{TAG_AUTHORITY}:{specific}"


def rfc3339(value: str | None) -> str | None:
    """A stored timestamp as an RFC 3339 date-time (UTC assumed when it has no zone)."""
    text = clean(value).strip()
    if not text:
        return None
    if len(text) == 10:  # a date
        text += "T00:00:00"
    text = text.replace(" ", "T")
    if not _TZ_RE.search(text):
        text += "Z"
    try:
        dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return text


@dataclass
class Entry:
    id: str
    title: str
    link: str
    updated: str
    summary: str = ""
    category: str = ""
    content_html: str = ""  # safe HTML (escaped text with <strong>), sent escaped


def atom(*, feed_id: str, title: str, self_url: str, alternate_url: str,
         updated: str | None, entries: Iterable[Entry], subtitle: str = "") -> str:
    """An Atom feed document; ``updated`` is used when there are no entries."""
    entries = list(entries)
    newest = max((e.updated for e in entries), default=None) or updated or EPOCH
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<feed xmlns="{ATOM_NS}" xml:lang="fi">',
           f"<id>{escape(feed_id)}</id>",
           f'<title type="text">{escape(clean(title))}</title>']
    if subtitle:
        out.append(f'<subtitle type="text">{escape(clean(subtitle))}</subtitle>')
    out += [f"<updated>{escape(newest)}</updated>",
            f"<author><name>{escape(AUTHOR)}</name></author>",
            f'<link rel="self" type="application/atom+xml" href={quoteattr(self_url)}/>',
            f'<link rel="alternate" type="text/html" href={quoteattr(alternate_url)}/>',
            '<generator uri="https://github.com/kokousarkisto/kokousarkisto">'
            "Kokousarkisto</generator>"]
    for e in entries:
        out += ["<entry>",
                f"<id>{escape(e.id)}</id>",
                f'<title type="text">{escape(clean(e.title))}</title>',
                f"<updated>{escape(e.updated)}</updated>",
                f'<link rel="alternate" type="text/html" href={quoteattr(e.link)}/>']
        if e.category:
            out.append(f"<category term={quoteattr(clean(e.category))}/>")
        if e.summary:
            out.append(f'<summary type="text">{escape(clean(e.summary))}</summary>')
        if e.content_html:
            out.append(f'<content type="html">{escape(clean(e.content_html))}</content>')
        out.append("</entry>")
    out.append("</feed>")
    return "\n".join(out) + "\n"


# --- iCalendar -----------------------------------------------------------------------


def _ical_text(value: str) -> str:
    """RFC 5545 3.3.11 TEXT escaping."""
    return (clean(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str) -> str:
    """Lines longer than 75 octets folded (RFC 5545 3.1), never inside a character."""
    out, current = [], ""
    for char in line:
        limit = 75 if not out else 74  # a continuation line starts with a space
        if len((current + char).encode("utf-8")) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return "\r\n ".join(out)


@dataclass
class Event:
    uid: str
    date: dt.date
    start: str | None  # HH:MM local time, None: an all-day event
    end: str | None
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""


def _hhmm(value: str | None) -> tuple[int, int] | None:
    m = re.match(r"^\s*(\d{1,2})[:.](\d{2})", value or "")
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        return None
    return int(m[1]), int(m[2])


def ical(*, name: str, events: Iterable[Event], stamp: dt.datetime) -> str:
    """A VCALENDAR of meetings; times are local Finnish time (``TZID=Europe/Helsinki``
    with its VTIMEZONE), all-day when the page gave no time."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0",
             "PRODID:-//Kokousarkisto//Kokoukset//FI", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{_ical_text(name)}",
             "X-WR-TIMEZONE:Europe/Helsinki",
             "BEGIN:VTIMEZONE", "TZID:Europe/Helsinki",
             "BEGIN:STANDARD", "DTSTART:19701025T040000", "TZOFFSETFROM:+0300",
             "TZOFFSETTO:+0200", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
             "BEGIN:DAYLIGHT", "DTSTART:19700329T030000", "TZOFFSETFROM:+0200",
             "TZOFFSETTO:+0300", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
             "END:VTIMEZONE"]
    dtstamp = stamp.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    for ev in events:
        lines += ["BEGIN:VEVENT", f"UID:{_ical_text(ev.uid)}", f"DTSTAMP:{dtstamp}"]
        start = _hhmm(ev.start)
        day = ev.date.strftime("%Y%m%d")
        if start:
            lines.append(f"DTSTART;TZID=Europe/Helsinki:{day}T{start[0]:02d}{start[1]:02d}00")
            end = _hhmm(ev.end)
            if end and end > start:
                lines.append(f"DTEND;TZID=Europe/Helsinki:{day}T{end[0]:02d}{end[1]:02d}00")
            else:
                lines.append("DURATION:PT2H")
        else:
            lines.append(f"DTSTART;VALUE=DATE:{day}")
        lines.append(f"SUMMARY:{_ical_text(ev.summary)}")
        if ev.location:
            lines.append(f"LOCATION:{_ical_text(ev.location)}")
        if ev.description:
            lines.append(f"DESCRIPTION:{_ical_text(ev.description)}")
        if ev.url:
            lines.append(f"URL:{ev.url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
