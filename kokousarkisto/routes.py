"""The redirect into the archive database and the view check the plugin's routes share.

See :mod:`kokousarkisto.links` for why links avoid the database's name. The routes are
registered by :mod:`kokousarkisto.reporter.routes` (one ``register_routes`` for the
plugin), which serves ``/kohta/<source id>/<item id>`` with the item hub and uses
:func:`allowed` for Datasette's view permissions on the database it answers from.
"""

from __future__ import annotations

from datasette.utils.asgi import Response

from kokousarkisto import links


async def allowed(datasette, request, database: str) -> bool:
    """Whether the requester may see the database's ``items`` (Datasette's own checks)."""
    actor = request.actor
    for action, resource in (("view-instance", None), ("view-database", database),
                             ("view-table", (database, links.ARCHIVE_TABLE))):
        if not await datasette.permission_allowed(actor, action, resource=resource,
                                                  default=True):
            return False
    return True


async def archive_redirect(datasette, request) -> Response:
    """``/arkisto/<path>?<query>`` → ``/<archive database>/<path>?<query>``."""
    database = await links.archive_database(datasette)
    if database is None:
        return Response.html("<p>Arkistoa ei löydy (no archive database is served).</p>",
                             status=404)
    rest = request.url_vars.get("rest") or ""
    target = datasette.urls.database(database) + ("/" + rest if rest else "")
    if request.query_string:
        target += "?" + request.query_string
    return Response.redirect(target)

