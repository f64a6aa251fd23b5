"""Which municipality (and body) a row belongs to, for Datasette's own row pages.

Datasette's row page shows a foreign key as its raw value (``beta``, ``4``), so a
meeting's or a body's page would not say whose it is; the plugin looks the names up
here and ``templates/_kokousarkisto_row.html`` prints them above the row.
"""

from __future__ import annotations

from typing import Any

_MEETING = ("select sources.label as municipality, bodies.label as body from meetings "
            "join sources on sources.id = meetings.source_id "
            "left join bodies on bodies.id = meetings.body_id where meetings.id = ?")
#: per table, the query that names the row's municipality and body by its primary key
PLACE_SQL = {
    "meetings": _MEETING,
    "bodies": "select sources.label as municipality, bodies.label as body from bodies "
              "join sources on sources.id = bodies.source_id where bodies.id = ?",
    "official_decisions": "select sources.label as municipality, null as body "
                          "from official_decisions join sources "
                          "on sources.id = official_decisions.source_id "
                          "where official_decisions.id = ?",
    "meeting_attendees": _MEETING.replace(
        "where meetings.id = ?",
        "where meetings.id = (select meeting_id from meeting_attendees where id = ?)"),
}


async def row_place(datasette, database: str, table: str, pk: str) -> dict[str, Any] | None:
    """``{"municipality": …, "body": …}`` of one row, ``None`` for other tables or rows."""
    sql = PLACE_SQL.get(table)
    if sql is None:
        return None
    result = await datasette.get_database(database).execute(sql, [pk])
    row = result.first()
    return dict(row) if row is not None else None
