"""The ``kokousarkisto`` command: a thin click layer over :mod:`kokousarkisto.api`.

Typed errors from the library become one actionable message here and an exit code:
0 all well, 1 some sources or items failed (the rest stored), 2 bad usage or config,
74 (EX_IOERR) the database file cannot be used (read-only, corrupt, not a database, a
directory that cannot be written): one line says which file and why, no traceback;
75 (EX_TEMPFAIL) another harvest holds the database, or ``serve --publish`` found it
being written: cron may simply try again later.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import sys
import tempfile
import warnings
from pathlib import Path
from typing import NoReturn

import click

from db.status import StatusError, UnreadableDatabase
from kokousarkisto import __version__, api, server
from kokousarkisto.publish import (
    TEMPLATE_DIR,
    PublishRefused,
    inspect_command,
    load_metadata,
    publish_metadata,
    serve_settings,
    with_archive,
)
from scraper.archive import ArchiveUnavailable, is_remote
from scraper.budget import DEFAULT_SOURCE_SECONDS
from scraper.config import (
    CatalogEntry,
    Config,
    ConfigError,
    Settings,
    fetch_settings,
    load_config,
    resolve_source_args,
    select_sources,
)
from scraper.harvest import RECHECK_DAYS
from scraper.http import FetchPolicy
from scraper.lock import HarvestLocked
from scraper.schedule import DEFAULT_CONCURRENCY
from scraper.sources import Source, SourceError

EXIT_LOCKED = 75
EXIT_ENVIRONMENT = 74
ARCHIVE_HELP = ("Raw archive: a directory (default: beside the database, <name>.raw/) or an "
                "S3-compatible object store, s3://bucket/prefix (endpoint and credentials "
                "from AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY).")


class _Cli(click.Group):
    """Typed errors from any command become one message and their own exit code here."""

    def invoke(self, ctx: click.Context):
        with warnings.catch_warnings():  # click 8.2 deprecates protected_args
            warnings.simplefilter("ignore", DeprecationWarning)
            db = _db_argument([*ctx.protected_args, *ctx.args])
        try:
            return super().invoke(ctx)
        except HarvestLocked as exc:  # harvest, reparse, demo: another run holds the file
            click.echo(f"error: {exc}", err=True)
            ctx.exit(EXIT_LOCKED)
        except ArchiveUnavailable as exc:  # --archive s3://...: unreachable or misnamed
            click.echo(f"error: raw archive: {exc}", err=True)
            ctx.exit(EXIT_LOCKED if exc.temporary else EXIT_CONFIG)
        except PublishRefused as exc:  # serve --publish on a file being written
            click.echo(f"error: not published: {exc}", err=True)
            ctx.exit(EXIT_LOCKED)
        except (sqlite3.DatabaseError, PermissionError, IsADirectoryError) as exc:
            # read-only, corrupt or not a database: the environment, not our items
            click.echo(f"error: database {db}: {exc}" if db else f"error: database: {exc}",
                       err=True)
            ctx.exit(EXIT_ENVIRONMENT)


def _db_argument(args: list[str]) -> str | None:
    """The ``--db`` value among the subcommand's arguments, for an error message."""
    for i, arg in enumerate(args):
        if arg == "--db" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--db="):
            return arg[5:]
    return None


@click.group(cls=_Cli)
@click.version_option(__version__, prog_name="kokousarkisto")
@click.option("-v", "--verbose", is_flag=True, help="Log each request and warning.")
def cli(verbose: bool) -> None:
    """Harvest, archive, parse and publish Finnish municipal meeting minutes (Dynasty)."""
    logging.basicConfig(level=logging.INFO if verbose else logging.ERROR,
                        format="%(levelname)s %(name)s: %(message)s")


EXIT_CONFIG = 2


def _config(path: str | None) -> Config | None:
    """Load ``--config``; a bad file is one message on stderr and exit code 2."""
    if not path:
        return None
    try:
        return load_config(path)
    except ConfigError as exc:
        _config_error(exc)


def _config_error(exc: ConfigError) -> NoReturn:
    click.echo(f"error: {exc}", err=True)
    sys.exit(EXIT_CONFIG)


def _selected(source_args: tuple[str, ...], config: Config | None,
              all_registry: bool) -> list[CatalogEntry]:
    """Explicit ``--source`` values win; otherwise the config's sources (+ the registry's)."""
    try:
        if source_args:
            return resolve_source_args(source_args, config)
        return select_sources(config, all_registry=all_registry)
    except SourceError as exc:
        raise click.BadParameter(str(exc), param_hint="--source") from exc
    except ConfigError as exc:
        _config_error(exc)


@cli.command()
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False),
              help="SQLite database to create or update.")
@click.option("--source", "source_args", multiple=True, metavar="[ID=]URL|ID",
              help="Dynasty site to harvest (repeatable), e.g. https://kuopio.oncloudos.com, "
                   "or the id of a known source (see `kokousarkisto sources`).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="TOML config file: global settings and [[source]] entries to add, "
                   "override or disable. Without --source its enabled sources are harvested.")
@click.option("--all-registry", is_flag=True,
              help="Without --source: also harvest every enabled built-in source.")
@click.option("--archive", metavar="DIR|s3://BUCKET/PREFIX",
              help=ARCHIVE_HELP)
@click.option("--concurrency", type=click.IntRange(min=1), default=None,
              show_default=f"{DEFAULT_CONCURRENCY}, or the config's concurrency",
              help="Hosts harvested at the same time (each keeps its own delay).")
@click.option("--delay", type=click.FloatRange(min=0), default=None,
              show_default="1.0, or the config's delay",
              help="Seconds between two requests to the same host (a source's own delay in "
                   "the config file wins).")
@click.option("--contact", envvar="KOKOUSARKISTO_CONTACT",
              help="Contact (e-mail or URL) added to the User-Agent.")
@click.option("--recheck-days", type=click.IntRange(min=0), default=None,
              show_default=f"{RECHECK_DAYS}, or the config's recheck_days",
              help="Re-fetch items of meetings this recent (0: never); changed pages are "
                   "re-parsed and versioned.")
@click.option("--backfill", is_flag=True,
              help="After the feeds, walk each source's body and meeting lists and store "
                   "every item of meetings since --since that is not stored yet.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              metavar="YYYY-MM-DD", help="With --backfill: the first meeting date to walk.")
@click.option("--source-budget", type=click.FloatRange(min=0), default=DEFAULT_SOURCE_SECONDS,
              show_default=True, metavar="SECONDS",
              help="Time one source may take of a run (0: unlimited); what is left is "
                   "taken by the next run. Not applied to --backfill.")
def harvest(db_path: str, source_args: tuple[str, ...], config_path: str | None,
            all_registry: bool, archive: str | None, concurrency: int | None,
            delay: float | None, contact: str | None, recheck_days: int | None,
            backfill: bool, since, source_budget: float) -> None:
    """Poll the sources' RSS feeds and store every new item (--backfill: and older ones
    found through the body and meeting lists)."""
    if backfill != (since is not None):
        raise click.UsageError("--backfill and --since YYYY-MM-DD go together")
    config = _config(config_path)
    entries = _selected(source_args, config, all_registry)
    if not entries:
        raise click.UsageError("give at least one --source URL, a --config file with enabled "
                               "[[source]] entries, or --all-registry "
                               "(or run `kokousarkisto demo`)")
    settings = config.settings if config else Settings()
    if concurrency is None:
        concurrency = settings.concurrency or DEFAULT_CONCURRENCY
    settings = Settings(delay=settings.delay if delay is None else delay,
                        contact=contact or settings.contact)
    if recheck_days is None:
        recheck_days = RECHECK_DAYS if config is None or config.settings.recheck_days is None \
            else config.settings.recheck_days
    plan = []
    for entry in entries:
        entry_delay, entry_contact = fetch_settings(entry, settings)
        plan.append((entry.to_source(),
                     FetchPolicy(min_interval=entry_delay, contact=entry_contact)))
    stats = None
    if backfill:
        summary, stats = api.harvest_backfill(db_path, plan, since.date(), archive=archive,
                                              recheck_days=recheck_days,
                                              concurrency=concurrency)
    else:
        progress = TerminalProgress() if sys.stderr.isatty() else None
        summary = api.harvest_plan(db_path, plan, archive=archive,
                                   recheck_days=recheck_days, progress=progress,
                                   concurrency=concurrency,
                                   source_seconds=source_budget or None)
        if progress:
            progress.close()
    _report(summary, verbose=click.get_current_context().find_root().params["verbose"])
    if stats is not None:
        click.echo(f"backfill: {stats.line()}")
    sys.exit(summary.exit_code)


class TerminalProgress:
    """A live item counter on a terminal; cron (no tty) gets only the summary line."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def __call__(self, source_id: str, status: str) -> None:
        self.counts[status] = self.counts.get(status, 0) + 1
        done = sum(self.counts.values())
        detail = " ".join(f"{k}={v}" for k, v in sorted(self.counts.items()))
        click.echo(f"\r{source_id}: {done} items ({detail})\x1b[K", nl=False, err=True)

    def close(self) -> None:
        if self.counts:
            click.echo("", err=True)


def _report(summary, verbose: bool = False) -> None:
    """The one summary line; with ``--verbose`` a line per source under it."""
    click.echo(f"harvest: {summary.line()}")
    if verbose:
        for source_id in summary.by_source:
            click.echo(f"  {summary.source_line(source_id)}")
    for warning in summary.warnings:
        click.echo(f"  warning: {warning}", err=True)
    for failure in summary.failures:
        click.echo(f"  failed: {failure}", err=True)


@cli.command()
@click.option("--db", "db_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--archive", metavar="DIR|s3://BUCKET/PREFIX", help=ARCHIVE_HELP)
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Parse on N processes (default: every core; 1: in this process).")
@click.option("--no-cache", is_flag=True,
              help="Parse everything again, ignoring and not filling the parse cache.")
def reparse(db_path: str, archive: str | None, jobs: int | None, no_cache: bool) -> None:
    """Rebuild all parsed items from the raw archive, without any network.

    Parse results are cached in the archive (parse-cache.sqlite) by the input's sha256
    and the parser version, so a re-parse of unchanged files costs almost nothing.
    """
    if archive and not is_remote(archive) and not Path(archive).is_dir():
        raise click.BadParameter(f"no such directory: {archive}", param_hint="--archive")
    summary = api.reparse(db_path, archive, jobs=jobs, use_cache=not no_cache)
    click.echo(f"reparse: {summary.line()}")
    for failure in summary.failures:
        click.echo(f"  failed: {failure}", err=True)
    sys.exit(1 if summary.failed else 0)


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--kind", type=click.Choice(api.PAGE_KINDS),
              help="Which parser (default: told by the content and the file name). "
                   "minutes_pdf splits a whole agenda or minutes PDF into its items.")
@click.option("--url", help="The page's address, to make its links absolute.")
def parse(file: str, kind: str | None, url: str | None) -> None:
    """Print the record parsed from one saved page as JSON: an item page (HTML or PDF),
    a whole minutes PDF, a meeting page, a body or meeting list, a feed or an official's
    decision; missing fields are named in ``warnings``. Items carry their ``facts``
    (outcome, effective decision, votes, motions, dissents, recusals, euro amounts, the
    word diff), and so does each earlier handling. The parser used is printed on stderr."""
    kind, parsed = api.parse_file(file, kind=kind, url=url)
    click.echo(f"parser: {kind}", err=True)
    click.echo(json.dumps(api.with_facts(parsed), ensure_ascii=False, indent=2))


@cli.command()
@click.option("--db", "db_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--publish", is_flag=True,
              help="Serve for the public: read-only and immutable (-i) with a fresh "
                   "`datasette inspect` file; robots.txt as metadata.yml configures it.")
@click.option("--archive", metavar="DIR|s3://BUCKET/PREFIX", help=ARCHIVE_HELP)
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Server processes [default: 1; with --publish one per core, at most "
                   f"{server.MAX_DEFAULT_WORKERS}].")
def serve(db_path: str, host: str, port: int, publish: bool, archive: str | None,
          workers: int | None) -> None:
    """Run Datasette on the database with the project's metadata.yml and templates.

    An interrupted bulk load's search index is finished first. ``--publish`` refuses
    (exit 75) a file a harvest is writing or whose write-ahead log another process
    keeps open: serve a copy made with ``.backup`` or ``VACUUM INTO`` instead."""
    for note in api.prepare_serve(db_path, publish):
        click.echo(note, err=True)
    sys.exit(_run_datasette(db_path, host, port, publish, archive, workers))


def _run_datasette(db_path: str, host: str, port: int, publish: bool = False,
                   archive: str | None = None, workers: int | None = None) -> int:
    """Run Datasette under uvicorn in this process (and, with several ``workers``, in
    its child processes), so stopping us (Ctrl-C, SIGTERM) stops it too.

    The raw archive's location goes to the plugin (``plugins.kokousarkisto.archive``),
    which serves the archived originals from it."""
    from datasette.cli import cli as datasette_cli

    metadata = with_archive(load_metadata(db_path),
                            str(archive or api.default_archive_dir(db_path)))
    if publish:
        metadata = publish_metadata(metadata, db_path)
    with tempfile.TemporaryDirectory() as tmp:
        meta_file = Path(tmp) / "metadata.json"
        meta_file.write_text(json.dumps(metadata, ensure_ascii=False), encoding="utf-8")
        inspect_file = None
        if publish:
            # immutable: counts and tables computed once, before serving
            inspect_file = Path(tmp) / "inspect.json"
            datasette_cli.main(args=inspect_command(db_path, inspect_file),
                               standalone_mode=False)
        config = server.ServeConfig(
            db_path=str(db_path), metadata_file=str(meta_file), publish=publish,
            template_dir=str(TEMPLATE_DIR), settings=serve_settings(publish),
            inspect_file=None if inspect_file is None else str(inspect_file))
        count = workers or server.default_workers(publish)
        click.echo(f"Datasette on http://{host}:{port}/ ({count} worker"
                   f"{'s' if count > 1 else ''}; Ctrl-C stops)")
        try:
            server.run(config, Path(tmp) / "serve.json", host=host, port=port,
                       workers=count)
        except KeyboardInterrupt:
            pass
    return 0


@cli.command("sources")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="TOML config file whose [[source]] entries add to or change the registry.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def sources_command(config_path: str | None, as_json: bool) -> None:
    """List the known sources: the built-in registry and the config file's."""
    try:
        entries = api.list_sources(config_path)
    except ConfigError as exc:
        _config_error(exc)
    if as_json:
        click.echo(json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=2))
        return
    rows = [("id", "municipality", "enabled", "origin", "base url")]
    rows += [(e.id, e.municipality or "", "yes" if e.enabled else "no", e.origin, e.base_url)
             for e in entries]
    _table(rows)
    enabled = sum(e.enabled for e in entries)
    click.echo(f"{len(entries)} sources, {enabled} enabled")


def _table(rows: list[tuple]) -> None:
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())


@cli.command()
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False))
@click.option("--archive", metavar="DIR|s3://BUCKET/PREFIX", help=ARCHIVE_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def status(db_path: str, archive: str | None, as_json: bool) -> None:
    """Per-source health of an archive, read only.

    Exits 1 when a source is flagged broken (its latest run could not read its items
    feed, found it empty after earlier runs saw items, failed on every item page, or
    stored items whose share with parse warnings jumped), else 0; 2 when the database
    cannot be read.
    """
    try:
        report = api.status(db_path, archive)
    except StatusError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_ENVIRONMENT if isinstance(exc, UnreadableDatabase) else 2)
    statuses, broken = report.sources, report.broken
    if as_json:
        click.echo(json.dumps({"database": db_path, "broken": broken,
                               "running_run": report.running_run,
                               "bulk_load_pending": report.bulk_load_pending,
                               "sources": [s.to_dict() for s in statuses]},
                              ensure_ascii=False, indent=2))
        sys.exit(1 if broken else 0)
    if report.running_run is not None:
        click.echo(f"(a harvest is running: run {report.running_run} is left out)")
    if report.bulk_load_pending:
        click.echo("(an interrupted bulk load left the search index incomplete: "
                   "`kokousarkisto serve` finishes it)")
    rows = [("source", "items", "runs", "last run", "requests", "seconds", "new",
             "last item fetch", "failed", "state")]
    rows += [(s.id, s.items, s.runs, s.last_run_at or "-", s.last_run_requests,
              "-" if s.last_run_seconds is None else s.last_run_seconds,
              s.last_run_new_items, s.last_item_fetch or "-", s.last_run_failures,
              "BROKEN" if s.broken else "ok") for s in statuses]
    _table(rows)
    for s in statuses:
        if s.last_error:
            e = s.last_error
            what = e["error"] or f"HTTP {e['status']}"
            click.echo(f"  {s.id}: last error {e['fetched_at']} {what} {e['url']}")
        for reason in s.reasons:
            click.echo(f"  {s.id}: broken: {reason}")
    click.echo(f"status: sources={len(statuses)} broken={len(broken)}")
    sys.exit(1 if broken else 0)


@cli.command("check-corpus")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--golden", "golden_dirs", multiple=True,
              type=click.Path(exists=True, file_okay=False),
              help="Folder of golden files NAME.expected.json / NAME.golden.json "
                   "(repeatable; default: DIRECTORY itself).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--all-diffs", is_flag=True, help="Print every difference, not the first per field.")
def check_corpus_command(directory: str, golden_dirs: tuple[str, ...], as_json: bool,
                         all_diffs: bool) -> None:
    """Parse every page under DIRECTORY that has a golden file and print, per field, how
    often it was right, wrong and missing, and the worst pages.

    The page kind is chosen by the page's content or the golden's ``_parser``. Exits 0
    when every field is right, 1 otherwise (also when no page has a golden).
    """
    report = api.check_corpus(directory, list(golden_dirs) or None)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        for line in report.lines(verbose=all_diffs):
            click.echo(line)
        if not report.pages:
            click.echo("no page in the folder has a golden file", err=True)
    sys.exit(0 if report.ok else 1)


@cli.command("demo-site")
@click.option("--port", default=8765, show_default=True, type=int)
@click.option("--town", default=None, metavar="ID",
              help="One town of the multi-municipality demo (demola, malliala, provby); "
                   "default: the single-town demo the tests use.")
def demo_site(port: int, town: str | None) -> None:
    """Serve the bundled synthetic Dynasty site on 127.0.0.1."""
    from demosite import serve_forever
    from demosite.towns import town as demo_town

    try:
        chosen = demo_town(town) if town else None
    except KeyError as exc:
        raise click.BadParameter(str(exc), param_hint="--town") from exc
    click.echo(f"demo Dynasty site on http://127.0.0.1:{port}/cgi/DREQUEST.PHP?page=meeting_frames")
    serve_forever(port, town=chosen)


@cli.command()
@click.option("--db", "db_path", default="data/kokousarkisto.db", show_default=True,
              type=click.Path(dir_okay=False))
@click.option("--site-port", default=8765, show_default=True, type=int,
              help="Port of the first demo town's Dynasty site; the others count up from it "
                   "(0: any free ports).")
@click.option("--port", default=8001, show_default=True, type=int, help="Datasette port.")
@click.option("--serve/--no-serve", default=True, help="Start Datasette after harvesting.")
def demo(db_path: str, site_port: int, port: int, serve: bool) -> None:
    """Harvest the bundled demo municipalities into one database, then browse it.

    Three invented towns, each on its own port, with the same body names and
    overlapping case numbers in three Dynasty page families (Word-exported static pages,
    Dynasty 10 pages, Swedish-language pages). Their sites keep running while Datasette
    does, so the links to the original HTML pages and PDFs work.
    """
    from contextlib import ExitStack

    from demosite import DemoServer
    from demosite.towns import TOWNS

    with ExitStack() as stack:
        sources = []
        for i, town in enumerate(TOWNS):
            site = stack.enter_context(
                DemoServer(port=site_port + i if site_port else 0, town=town))
            municipality = town.data.municipality
            click.echo(f"demo site: {site.base_url} {municipality.name} ({town.family})")
            sources.append(Source(id=town.id, base_url=site.base_url, name=municipality.name,
                                  municipality=municipality.short))
        # our own loopback servers: no need to wait between requests
        summary = api.harvest(db_path, sources, policy=FetchPolicy(min_interval=0))
        _report(summary)
        if summary.exit_code or not serve:
            sys.exit(summary.exit_code)
        code = _run_datasette(db_path, "127.0.0.1", port)
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    cli()
