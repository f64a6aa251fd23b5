"""``kokousarkisto serve``: Datasette under uvicorn, in one or several worker processes.

Datasette answers every request in one Python process, so its pages (templates, the
Finnish search functions) share one interpreter lock and one core: on a public server
twenty readers at a normal pace already keep it busy, and anything slow queues them
all. ``serve --publish`` therefore starts several workers (uvicorn's own supervisor,
``spawn``-ed processes accepting on one socket), each with its own Datasette on the same
immutable file; a worker that dies is replaced by the supervisor.

The workers are separate interpreters, so the configuration reaches them as a JSON file
named by :data:`CONFIG_ENV`, read by :func:`create_app` (uvicorn's ``factory``).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

#: the environment variable naming the JSON file of a :class:`ServeConfig`
CONFIG_ENV = "KOKOUSARKISTO_SERVE_CONFIG"
#: ``serve --publish`` without ``--workers``: one worker per core, at most this many
MAX_DEFAULT_WORKERS = 4
#: the supervisor's pid, for its workers (``workers`` > 1), which leave when it ends
_SUPERVISED_ENV = "KOKOUSARKISTO_SERVE_SUPERVISED"


@dataclass
class ServeConfig:
    """What every worker needs to build the same Datasette."""

    db_path: str
    metadata_file: str
    template_dir: str
    publish: bool = False
    inspect_file: str | None = None
    settings: dict[str, str] = field(default_factory=dict)

    def write(self, path: Path) -> Path:
        path.write_text(json.dumps(asdict(self)), encoding="utf-8")
        return path

    @classmethod
    def read(cls, path: str | Path) -> ServeConfig:
        return cls(**json.loads(Path(path).read_text(encoding="utf-8")))


def default_workers(publish: bool) -> int:
    """One process for a researcher's own copy; one per core (at most
    :data:`MAX_DEFAULT_WORKERS`) for the public."""
    if not publish:
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_DEFAULT_WORKERS))


def typed_settings(settings: dict[str, str]) -> dict[str, Any]:
    """``--setting NAME VALUE`` pairs converted the way ``datasette serve`` converts them
    (``"3000"`` → 3000, ``"off"`` → False), with its error for an unknown name."""
    from datasette.cli import Setting

    converter = Setting()
    return dict(converter.convert((name, value), None, None)
                for name, value in settings.items())


def build_datasette(config: ServeConfig) -> Any:
    """The Datasette that ``datasette serve`` would build from the same arguments."""
    from datasette.app import Datasette
    from datasette.utils import parse_metadata

    metadata = parse_metadata(Path(config.metadata_file).read_text(encoding="utf-8"))
    inspect_data = None
    if config.inspect_file:
        inspect_data = json.loads(Path(config.inspect_file).read_text(encoding="utf-8"))
    files, immutables = ([], [config.db_path]) if config.publish else ([config.db_path], [])
    return Datasette(files, immutables=immutables, metadata=metadata,
                     inspect_data=inspect_data, template_dir=config.template_dir,
                     settings=typed_settings(config.settings), cache_headers=True)


def create_app() -> Any:
    """uvicorn's factory in each worker: the ASGI app of :data:`CONFIG_ENV`'s config."""
    path = os.environ.get(CONFIG_ENV)
    if not path:
        raise RuntimeError(f"{CONFIG_ENV} is not set: start the server with `kokousarkisto serve`")
    supervisor = os.environ.get(_SUPERVISED_ENV)
    if supervisor:  # a worker: never outlive a kill -9 of `serve`, even one before now
        from scraper.sandbox import exit_with

        exit_with(int(supervisor))
    return build_datasette(ServeConfig.read(path)).app()


def run(config: ServeConfig, config_file: Path, *, host: str, port: int, workers: int) -> None:
    """Serve until stopped (Ctrl-C, SIGTERM); ``config_file`` must outlive the call."""
    import uvicorn

    os.environ[CONFIG_ENV] = str(config.write(config_file))
    if workers > 1:
        os.environ[_SUPERVISED_ENV] = str(os.getpid())
    uvicorn.run(f"{__name__}:create_app", factory=True, host=host, port=port,
                workers=workers, log_level="info", lifespan="on",
                timeout_graceful_shutdown=5)
