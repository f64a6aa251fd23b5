"""The user's config file (TOML): global harvest settings and sources.

.. code-block:: toml

    delay = 2.0                      # seconds between two requests to one host (>= 0)
    contact = "toimitus@example.org" # added to the User-Agent
    recheck_days = 14                # re-fetch items of meetings this recent (0: never)
    concurrency = 8                  # hosts harvested at the same time (>= 1)

    [[source]]                       # a source of our own
    id = "testila"
    url = "https://testila.oncloudos.com"
    name = "Testilän kunta"

    [[source]]                       # a built-in source, disabled
    id = "vantaa"
    enabled = false

    [[source]]                       # a built-in source, moved and to be fetched slowly
    id = "ylojarvi"
    url = "https://ylojarvi10.oncloudos.com"
    delay = 5

The built-in registry (:mod:`scraper.registry`) and the config file together make the
*catalog* of sources. Every enabled ``[[source]]`` of the config file is harvested;
``--all-registry`` adds every enabled built-in one. Anything wrong in the file raises
:class:`ConfigError` with one message naming the file, the key and what to do.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from scraper.registry import RegistryEntry, load_registry
from scraper.sources import (
    Source,
    SourceError,
    base_url_of,
    is_valid_source_id,
    parse_source_arg,
)

DEFAULT_DELAY = 1.0

_GLOBAL_KEYS = ("delay", "contact", "recheck_days", "concurrency", "source")
_SOURCE_KEYS = ("id", "url", "base_url", "name", "municipality", "enabled", "delay", "contact",
                "notes")


class ConfigError(ValueError):
    """A config file is unusable. ``str(exc)`` is the whole message for the user."""

    def __init__(self, path: str, where: str, key: str | None, problem: str) -> None:
        self.path = path
        self.key = key
        self.problem = problem
        location = ": ".join(p for p in (path, where, key) if p)
        super().__init__(f"{location}: {problem}")


@dataclass(frozen=True)
class Settings:
    """Global harvest settings; ``None`` means "not set here"."""

    delay: float = DEFAULT_DELAY
    contact: str | None = None
    recheck_days: int | None = None
    concurrency: int | None = None


@dataclass(frozen=True)
class SourceSpec:
    """One ``[[source]]`` of a config file: the id and only the keys written there."""

    id: str
    fields: dict[str, Any]
    position: int  # 1-based, for messages


@dataclass(frozen=True)
class Config:
    path: str
    settings: Settings = field(default_factory=Settings)
    sources: tuple[SourceSpec, ...] = ()


@dataclass(frozen=True)
class CatalogEntry:
    """A source as the registry and the config file describe it together."""

    id: str
    base_url: str
    municipality: str | None = None
    name: str | None = None
    enabled: bool = True
    origin: str = "config"  # "builtin", "config", or "builtin+config" (overridden)
    notes: str | None = None
    evidence: str | None = None
    delay: float | None = None  # per-source override of the global delay
    contact: str | None = None  # per-source override of the global contact
    in_config: bool = False  # named by a [[source]] of the config file

    def to_source(self) -> Source:
        return Source(id=self.id, base_url=self.base_url,
                      name=self.name or self.municipality, municipality=self.municipality)

    def to_dict(self) -> dict[str, Any]:
        row = asdict(self)
        del row["in_config"]
        return row


# -- reading ---------------------------------------------------------------------------

def load_config(path: str | Path) -> Config:
    """Read and validate a config file."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(name, "", None, "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(name, "", None, f"cannot read: {exc}") from exc
    return parse_config(text, name)


def parse_config(text: str, path: str = "<config>") -> Config:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, "", None, f"not valid TOML: {exc}") from exc
    _check_keys(data, _GLOBAL_KEYS, path, "")
    settings = Settings(
        delay=_delay(data, path, "") if "delay" in data else DEFAULT_DELAY,
        contact=_text(data, "contact", path, ""),
        recheck_days=_recheck_days(data, path),
        concurrency=_concurrency(data, path),
    )
    raw_sources = data.get("source", [])
    if isinstance(raw_sources, dict):
        raise ConfigError(path, "", "source",
                          "write each source as an array table, [[source]], not [source]")
    if not isinstance(raw_sources, list):
        raise ConfigError(path, "", "source", "expected [[source]] tables")
    specs: list[SourceSpec] = []
    first_seen: dict[str, int] = {}
    for n, raw in enumerate(raw_sources, 1):
        spec = _source_spec(raw, n, path)
        if spec.id in first_seen:
            raise ConfigError(path, f"[[source]] #{n}", "id",
                              f"{spec.id!r} is already configured in [[source]] "
                              f"#{first_seen[spec.id]}; merge the two")
        first_seen[spec.id] = n
        specs.append(spec)
    return Config(path=path, settings=settings, sources=tuple(specs))


def _check_keys(table: dict[str, Any], allowed: tuple[str, ...], path: str, where: str) -> None:
    for key in table:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ConfigError(path, where, key,
                              f"unknown key (allowed: {', '.join(allowed)}){hint}")


def _delay(table: dict[str, Any], path: str, where: str) -> float:
    value = table["delay"]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(path, where, "delay",
                          f"expected a number of seconds, got {value!r}")
    if value < 0 or value != value:  # NaN is not >= 0 either
        raise ConfigError(path, where, "delay", f"must be >= 0 seconds, got {value!r}")
    return float(value)


def _text(table: dict[str, Any], key: str, path: str, where: str) -> str | None:
    if key not in table:
        return None
    value = table[key]
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(path, where, key, f"expected a non-empty string, got {value!r}")
    return value.strip()


def _recheck_days(data: dict[str, Any], path: str) -> int | None:
    if "recheck_days" not in data:
        return None
    value = data["recheck_days"]
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(path, "", "recheck_days",
                          f"expected a whole number of days >= 0 (0: never), got {value!r}")
    return value


def _concurrency(data: dict[str, Any], path: str) -> int | None:
    if "concurrency" not in data:
        return None
    value = data["concurrency"]
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(path, "", "concurrency",
                          f"expected a whole number of hosts >= 1, got {value!r}")
    return value


def _source_spec(raw: Any, n: int, path: str) -> SourceSpec:
    where = f"[[source]] #{n}"
    if not isinstance(raw, dict):
        raise ConfigError(path, where, None, "expected a table of keys")
    source_id = raw.get("id")
    if source_id is None:
        raise ConfigError(path, where, "id", "missing; every [[source]] needs an id")
    if not isinstance(source_id, str) or not is_valid_source_id(source_id):
        raise ConfigError(path, where, "id",
                          f"{source_id!r} is not a source id: use lower-case letters, digits, "
                          "'-', '_' and '.', starting with a letter or digit")
    where = f"{where} (id {source_id!r})"
    _check_keys(raw, _SOURCE_KEYS, path, where)
    fields: dict[str, Any] = {}
    if "url" in raw and "base_url" in raw:
        raise ConfigError(path, where, "base_url", "give url or base_url, not both")
    url_key = "url" if "url" in raw else "base_url" if "base_url" in raw else None
    if url_key:
        url = _text(raw, url_key, path, where)
        try:
            fields["base_url"] = base_url_of(url or "")
        except SourceError as exc:
            raise ConfigError(path, where, url_key, str(exc)) from exc
    for key in ("name", "municipality", "contact", "notes"):
        value = _text(raw, key, path, where)
        if value is not None:
            fields[key] = value
    if "enabled" in raw:
        if not isinstance(raw["enabled"], bool):
            raise ConfigError(path, where, "enabled",
                              f"expected true or false, got {raw['enabled']!r}")
        fields["enabled"] = raw["enabled"]
    if "delay" in raw:
        fields["delay"] = _delay(raw, path, where)
    return SourceSpec(id=source_id, fields=fields, position=n)


# -- the catalog -----------------------------------------------------------------------

def _from_registry(entry: RegistryEntry) -> CatalogEntry:
    return CatalogEntry(id=entry.id, base_url=entry.base_url, municipality=entry.municipality,
                        name=entry.name, enabled=entry.enabled, origin="builtin",
                        notes=entry.notes, evidence=entry.evidence)


def catalog(config: Config | None = None,
            registry: list[RegistryEntry] | None = None) -> list[CatalogEntry]:
    """Built-in sources (overridden by the config where it names them), then the config's own.

    Raises :class:`ConfigError` for a config source that is neither built in nor has a URL.
    """
    builtins = registry if registry is not None else load_registry()
    entries = {e.id: _from_registry(e) for e in builtins}
    order = list(entries)
    for spec in (config.sources if config else ()):
        base = entries.get(spec.id)
        if base is None:
            if "base_url" not in spec.fields:
                close = difflib.get_close_matches(spec.id, order, n=1)
                hint = (f"did you mean the built-in {close[0]!r}?" if close
                        else "see `kokousarkisto sources` for the built-in ids")
                raise ConfigError(config.path, f"[[source]] #{spec.position} (id {spec.id!r})",
                                  "url", f"missing: {spec.id!r} is not a built-in source, so it "
                                  f"needs a url ({hint})")
            entries[spec.id] = CatalogEntry(id=spec.id, in_config=True, **spec.fields)
            order.append(spec.id)
        else:
            entries[spec.id] = CatalogEntry(**{**asdict(base), **spec.fields,
                                               "origin": "builtin+config", "in_config": True})
    return [entries[i] for i in order]


def select_sources(config: Config | None, *, all_registry: bool = False,
                   registry: list[RegistryEntry] | None = None) -> list[CatalogEntry]:
    """What a harvest without ``--source`` takes: the config file's enabled sources, and with
    ``all_registry`` every enabled built-in one too (each once, catalog order)."""
    return [e for e in catalog(config, registry)
            if e.enabled and (e.in_config or (all_registry and e.origin != "config"))]


def resolve_source_args(args: tuple[str, ...] | list[str], config: Config | None = None,
                        registry: list[RegistryEntry] | None = None) -> list[CatalogEntry]:
    """``--source`` values: ``[ID=]URL`` as before, or the bare id of a catalog source.

    Raises :class:`SourceError` for an unusable value (the CLI reports it as bad usage).
    """
    known: dict[str, CatalogEntry] | None = None
    out: list[CatalogEntry] = []
    for arg in args:
        value = arg.strip()
        if "://" not in value and "=" not in value:
            if known is None:
                known = {e.id: e for e in catalog(config, registry)}
            if value not in known:
                close = difflib.get_close_matches(value, list(known), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise SourceError(f"{value!r} is neither a URL nor a known source id "
                                  f"(see `kokousarkisto sources`){hint}")
            out.append(known[value])
            continue
        source = parse_source_arg(value)
        out.append(CatalogEntry(id=source.id, base_url=source.base_url, origin="command line"))
    return out


def fetch_settings(entry: CatalogEntry, settings: Settings) -> tuple[float, str | None]:
    """``(delay, contact)`` for one source: its own values override the global ones."""
    delay = entry.delay if entry.delay is not None else settings.delay
    contact = entry.contact if entry.contact is not None else settings.contact
    return delay, contact
