"""Links that do not depend on the archive's file name.

Datasette names a database after its file (``kunnat.db`` → ``/kunnat/…``), so a link
written as ``/kokousarkisto/items/…`` breaks when an operator names the file otherwise,
renames it or moves it to another server. The plugin therefore serves two routes that
find the archive database themselves:

``/kohta/<source id>/<Dynasty item id>``
    an item's page: the short, stable link a journalist cites. Its parts are the item's
    own key (``items.id`` is ``<source id>/<Dynasty item id>``, e.g.
    ``kuopio/2017406946-3``), which does not change when the file does.
``/arkisto/<path>``
    a redirect to ``/<archive database>/<path>`` with the same query string, for links
    from the home page, the metadata and the templates (``/arkisto/latest_decisions``).

The archive database is the first served database with an ``items`` table; an item is
looked up in every such database, so two archives served side by side both answer.
"""

from __future__ import annotations

from urllib.parse import quote

#: path prefix of an item's stable page
ITEM_PREFIX = "/kohta/"
#: path prefix of the redirect into the archive database
ARCHIVE_PREFIX = "/arkisto/"
#: the table that marks a database as an archive
ARCHIVE_TABLE = "items"


def item_path(item_id: str) -> str:
    """``/kohta/kuopio/2017406946-3`` for the item ``kuopio/2017406946-3``."""
    return ITEM_PREFIX + quote(item_id, safe="/-_.")


def item_id_from_parts(source_id: str, dynasty_id: str) -> str:
    """The ``items.id`` the route's two path parts name."""
    return f"{source_id}/{dynasty_id}"


async def archive_databases(datasette) -> list[str]:
    """Names of the served databases that hold an archive (an ``items`` table), in order."""
    names = []
    for name, database in datasette.databases.items():
        if name == "_internal":
            continue
        if await database.table_exists(ARCHIVE_TABLE):
            names.append(name)
    return names


async def archive_database(datasette) -> str | None:
    """The archive database links point into: the first one served, or ``None``."""
    names = await archive_databases(datasette)
    return names[0] if names else None


async def database_of_item(datasette, item_id: str) -> str | None:
    """The first served archive database that holds ``item_id``."""
    for name in await archive_databases(datasette):
        result = await datasette.get_database(name).execute(
            "select 1 from items where id = ? limit 1", [item_id])
        if result.first() is not None:
            return name
    return None
