"""The ``kokousarkisto`` command: a thin click layer over :mod:`kokousarkisto.api`.

Typed errors from the library become one actionable message here and an exit code:
0 all well, 1 some sources or items failed (the rest stored), 2 bad usage or config,
75 (EX_TEMPFAIL) another harvest holds the database: cron may simply try again later.
"""

from __future__ import annotations

import json
import logging
import sys
import tempfile
from pathlib import Path

import click

from kokousarkisto import __version__, api
from kokousarkisto.publish import datasette_command, load_metadata
from scraper.harvest import RECHECK_DAYS
from scraper.http import FetchPolicy
from scraper.lock import HarvestLocked
from scraper.sources import Source, SourceError, parse_source_arg

DEMO_SOURCE_ID = "demo"
EXIT_LOCKED = 75


@click.group()
@click.version_option(__version__, prog_name="kokousarkisto")
@click.option("-v", "--verbose", is_flag=True, help="Log each request and warning.")
def cli(verbose: bool) -> None:
    """Harvest, archive, parse and publish Finnish municipal meeting minutes (Dynasty)."""
    logging.basicConfig(level=logging.INFO if verbose else logging.ERROR,
                        format="%(levelname)s %(name)s: %(message)s")


def _sources(values: tuple[str, ...]) -> list[Source]:
    try:
        return [parse_source_arg(v) for v in values]
    except SourceError as exc:
        raise click.BadParameter(str(exc), param_hint="--source") from exc


@cli.command()
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False),
              help="SQLite database to create or update.")
@click.option("--source", "source_args", multiple=True, metavar="[ID=]URL",
              help="Dynasty site to harvest (repeatable), e.g. https://kuopio.oncloudos.com")
@click.option("--archive", "archive_dir", type=click.Path(file_okay=False),
              help="Raw archive directory (default: beside the database, <name>.raw/).")
@click.option("--delay", type=float, default=1.0, show_default=True,
              help="Seconds between two requests to the same host.")
@click.option("--contact", envvar="KOKOUSARKISTO_CONTACT",
              help="Contact (e-mail or URL) added to the User-Agent.")
@click.option("--recheck-days", type=click.IntRange(min=0), default=RECHECK_DAYS,
              show_default=True,
              help="Re-fetch items of meetings this recent (0: never); changed pages are "
                   "re-parsed and versioned.")
def harvest(db_path: str, source_args: tuple[str, ...], archive_dir: str | None, delay: float,
            contact: str | None, recheck_days: int) -> None:
    """Poll the sources' RSS feeds and store every new item."""
    sources = _sources(source_args)
    if not sources:
        raise click.UsageError("give at least one --source URL (or run `kokousarkisto demo`)")
    try:
        summary = api.harvest(db_path, sources, archive_dir=archive_dir,
                              policy=FetchPolicy(min_interval=delay, contact=contact),
                              recheck_days=recheck_days)
    except HarvestLocked as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_LOCKED)
    _report(summary)
    sys.exit(summary.exit_code)


def _report(summary) -> None:
    click.echo(f"harvest: {summary.line()}")
    for failure in summary.failures:
        click.echo(f"  failed: {failure}", err=True)


@cli.command()
@click.option("--db", "db_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--archive", "archive_dir", type=click.Path(file_okay=False, exists=True),
              help="Raw archive directory (default: beside the database, <name>.raw/).")
def reparse(db_path: str, archive_dir: str | None) -> None:
    """Rebuild all parsed items from the raw archive, without any network."""
    try:
        summary = api.reparse(db_path, archive_dir)
    except HarvestLocked as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_LOCKED)
    click.echo(f"reparse: {summary.line()}")
    for failure in summary.failures:
        click.echo(f"  failed: {failure}", err=True)
    sys.exit(1 if summary.failed else 0)


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def parse(file: str) -> None:
    """Print the record parsed from one saved item page (HTML or PDF) as JSON."""
    record = api.parse_file(file)
    click.echo(json.dumps(record.to_dict(), ensure_ascii=False, indent=2))


@cli.command()
@click.option("--db", "db_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--publish", is_flag=True, help="Serve read-only and immutable.")
def serve(db_path: str, host: str, port: int, publish: bool) -> None:
    """Run Datasette on the database with the project's metadata.yml."""
    sys.exit(_run_datasette(db_path, host, port, publish))


def _run_datasette(db_path: str, host: str, port: int, publish: bool = False) -> int:
    """Run Datasette in this process, so stopping us (Ctrl-C, SIGTERM) stops it too."""
    from datasette.cli import cli as datasette_cli

    metadata = load_metadata(db_path)
    with tempfile.TemporaryDirectory() as tmp:
        meta_file = Path(tmp) / "metadata.json"
        meta_file.write_text(json.dumps(metadata, ensure_ascii=False), encoding="utf-8")
        args = datasette_command(db_path, meta_file, host=host, port=port, publish=publish)
        click.echo(f"Datasette on http://{host}:{port}/ (Ctrl-C stops)")
        try:
            datasette_cli.main(args=args, standalone_mode=False)
        except KeyboardInterrupt:
            pass
    return 0


@cli.command("demo-site")
@click.option("--port", default=8765, show_default=True, type=int)
def demo_site(port: int) -> None:
    """Serve the bundled synthetic Dynasty site on 127.0.0.1."""
    from demosite import serve_forever

    click.echo(f"demo Dynasty site on http://127.0.0.1:{port}/cgi/DREQUEST.PHP?page=meeting_frames")
    serve_forever(port)


@cli.command()
@click.option("--db", "db_path", default="data/kokousarkisto.db", show_default=True,
              type=click.Path(dir_okay=False))
@click.option("--site-port", default=8765, show_default=True, type=int,
              help="Port of the demo Dynasty site (0: any free port).")
@click.option("--port", default=8001, show_default=True, type=int, help="Datasette port.")
@click.option("--serve/--no-serve", default=True, help="Start Datasette after harvesting.")
def demo(db_path: str, site_port: int, port: int, serve: bool) -> None:
    """Harvest the bundled demo site into a database, then browse it in Datasette.

    The demo site keeps running while Datasette does, so the links to the original
    HTML pages and PDFs work.
    """
    from demosite import DemoServer

    with DemoServer(port=site_port) as site:
        click.echo(f"demo site: {site.base_url}")
        source = Source(id=DEMO_SOURCE_ID, base_url=site.base_url, name="Demo Dynasty site")
        # our own loopback server: no need to wait between requests
        summary = api.harvest(db_path, [source], policy=FetchPolicy(min_interval=0))
        _report(summary)
        if summary.exit_code or not serve:
            sys.exit(summary.exit_code)
        code = _run_datasette(db_path, "127.0.0.1", port)
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    cli()
