"""Datasette hooks of the reporters' pages; imported by :mod:`kokousarkisto.datasette_plugin`
so that the one ``datasette`` entry point registers them."""

from __future__ import annotations

from datasette import hookimpl
from datasette.utils.asgi import NotFound

from kokousarkisto.reporter import routes


@hookimpl
def register_routes(datasette):
    return routes.routes()


@hookimpl
def handle_exception(datasette, request, exception):
    """A Finnish 404 page with a search box instead of Datasette's English one."""
    if not isinstance(exception, NotFound):
        return None

    async def inner():
        return await routes.not_found(datasette, request, "Sivua ei löytynyt.")

    return inner
