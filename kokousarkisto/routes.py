"""The plugin's own routes: an item's stable page and the redirect into the archive.

See :mod:`kokousarkisto.links` for why they exist. Both check Datasette's view
permissions on the database they answer from, like Datasette's own pages.
"""

from __future__ import annotations

from urllib.parse import unquote

from datasette.utils import tilde_encode
from datasette.utils.asgi import Response

from kokousarkisto import item_page, links


async def allowed(datasette, request, database: str) -> bool:
    """Whether the requester may see the database's ``items`` (Datasette's own checks)."""
    actor = request.actor
    for action, resource in (("view-instance", None), ("view-database", database),
                             ("view-table", (database, links.ARCHIVE_TABLE))):
        if not await datasette.permission_allowed(actor, action, resource=resource,
                                                  default=True):
            return False
    return True


async def item(datasette, request) -> Response:
    """``/kohta/<source id>/<Dynasty item id>``: the item's page, from whichever archive
    database holds it; a 404 page (with a link to the search) when none does."""
    source_id = unquote(request.url_vars["source_id"])
    dynasty_id = unquote(request.url_vars["dynasty_id"])
    item_id = links.item_id_from_parts(source_id, dynasty_id)
    database = await links.database_of_item(datasette, item_id)
    context = None
    if database is not None and await allowed(datasette, request, database):
        context = await item_page.item_context(datasette, database, item_id)
    if context is None:
        archive = await links.archive_database(datasette)
        html = await datasette.render_template(
            "kohta.html", {"kk_item": None, "kk_db": archive, "kk_item_id": item_id},
            request=request, view_name="kohta")
        return Response.html(html, status=404)
    context["row_path"] = datasette.urls.row(database, "items", tilde_encode(item_id))
    html = await datasette.render_template(
        "kohta.html", {"kk_item": context, "kk_db": database, "database": database,
                       "kk_item_id": item_id},
        request=request, view_name="kohta")
    return Response.html(html)


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


#: registered by kokousarkisto.reporter.routes (one register_routes for the plugin),
#: which serves /kohta/ with the reporters' item hub
ROUTES = [
    (r"^/kohta/(?P<source_id>[^/]+)/(?P<dynasty_id>[^/]+)/?$", item),
    (r"^/arkisto/?(?P<rest>.*)$", archive_redirect),
]
