"""Datasette hooks of the reporters' pages; imported by :mod:`kokousarkisto.datasette_plugin`
so that the one ``datasette`` entry point registers them."""

from __future__ import annotations

from pathlib import Path

from datasette import hookimpl
from datasette.utils.asgi import NotFound
from jinja2 import ChoiceLoader, FileSystemLoader

from kokousarkisto.publish import is_publish, publish_routes
from kokousarkisto.reporter import routes
from kokousarkisto.response_cache import ResponseCache

#: the package's templates (``kk_*.html``); ``serve`` also passes it as --template-dir
TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates"


@hookimpl
def startup(datasette):
    """The reporters' templates are found whatever Datasette was started with (their
    ``kk_`` names never shadow Datasette's own; they come last)."""
    loader = datasette.jinja_env.loader
    if isinstance(loader, ChoiceLoader):
        loader.loaders.append(FileSystemLoader(str(TEMPLATE_DIR)))


@hookimpl
def register_routes(datasette):
    # serve --publish first overrides /-/databases and /-/metadata (no server paths)
    return publish_routes(datasette) + routes.routes()


@hookimpl
def asgi_wrapper(datasette):
    """``serve --publish``: pages from memory when they were made before (the file is
    immutable, so is every page; :mod:`kokousarkisto.response_cache`)."""
    if not is_publish(datasette):
        return None
    return ResponseCache


@hookimpl
def handle_exception(datasette, request, exception):
    """A Finnish 404 page with a search box instead of Datasette's English one."""
    if not isinstance(exception, NotFound):
        return None

    async def inner():
        return await routes.not_found(datasette, request, "Sivua ei löytynyt.")

    return inner
