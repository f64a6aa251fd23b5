"""The built-in registry of known municipal Dynasty hosts (``registry_data.toml``).

The data file ships inside the package. It was compiled from public references without
network access, so nothing in it is verified live; users correct or disable entries in
their own config file (:mod:`scraper.config`) and see what answers with
``kokousarkisto status``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from scraper.sources import Source, SourceError, base_url_of, is_valid_source_id

DATA_FILE = "registry_data.toml"

_REQUIRED = {"id": str, "municipality": str, "base_url": str, "evidence": str}
_OPTIONAL = {"name": str, "notes": str, "enabled": bool}


class RegistryError(ValueError):
    """The registry data file is malformed (a packaging or editing bug, not user error)."""


@dataclass(frozen=True)
class RegistryEntry:
    """One known municipal Dynasty site."""

    id: str
    municipality: str
    base_url: str
    evidence: str
    name: str | None = None
    notes: str | None = None
    enabled: bool = True

    def to_source(self) -> Source:
        return Source(id=self.id, base_url=self.base_url, name=self.name or self.municipality,
                      municipality=self.municipality)


def _entry(raw: Any, where: str) -> RegistryEntry:
    if not isinstance(raw, dict):
        raise RegistryError(f"{where}: not a table")
    unknown = set(raw) - set(_REQUIRED) - set(_OPTIONAL)
    if unknown:
        raise RegistryError(f"{where}: unknown key(s) {sorted(unknown)}")
    for key, kind in {**_REQUIRED, **_OPTIONAL}.items():
        if key not in raw:
            if key in _REQUIRED:
                raise RegistryError(f"{where}: {key}: missing")
            continue
        if not isinstance(raw[key], kind) or (kind is str and not raw[key].strip()):
            raise RegistryError(f"{where}: {key}: expected a non-empty {kind.__name__}")
    if not is_valid_source_id(raw["id"]):
        raise RegistryError(f"{where}: id {raw['id']!r}: use lower-case letters, digits, '-', '_'")
    try:
        base = base_url_of(raw["base_url"])
    except SourceError as exc:
        raise RegistryError(f"{where}: base_url: {exc}") from exc
    if base != raw["base_url"]:
        raise RegistryError(f"{where}: base_url {raw['base_url']!r}: write it as {base!r}")
    return RegistryEntry(**raw)


def parse_registry(text: str, origin: str = DATA_FILE) -> list[RegistryEntry]:
    """Parse and validate registry TOML; ids must be unique."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{origin}: not valid TOML: {exc}") from exc
    if set(data) != {"source"} or not isinstance(data["source"], list):
        raise RegistryError(f"{origin}: expected only [[source]] tables")
    entries: list[RegistryEntry] = []
    seen: set[str] = set()
    for n, raw in enumerate(data["source"], 1):
        entry = _entry(raw, f"{origin}: [[source]] #{n}")
        if entry.id in seen:
            raise RegistryError(f"{origin}: [[source]] #{n}: id {entry.id!r} appears twice")
        seen.add(entry.id)
        entries.append(entry)
    return entries


@lru_cache(maxsize=1)
def _builtin() -> tuple[RegistryEntry, ...]:
    text = resources.files("scraper").joinpath(DATA_FILE).read_text(encoding="utf-8")
    return tuple(parse_registry(text))


def load_registry(path: str | Path | None = None) -> list[RegistryEntry]:
    """The registry shipped in the package, or the one in ``path`` (for tests and forks)."""
    if path is None:
        return list(_builtin())
    return parse_registry(Path(path).read_text(encoding="utf-8"), origin=str(path))
