"""``serve --publish`` for many readers: several worker processes, pages kept in memory.

A real ``kokousarkisto serve`` on loopback for the processes; Datasette's own test
client for what the cache keeps; a small ASGI app for its bounds."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import requests
from datasette.app import Datasette

from kokousarkisto import server
from kokousarkisto.publish import (
    PUBLISH_SETTINGS,
    SETTINGS,
    TEMPLATE_DIR,
    load_metadata,
    publish_metadata,
)
from kokousarkisto.response_cache import HIT_HEADER, ResponseCache
from tests.processes import alive, assert_kill_9_leaves_none, spawned_workers
from tests.served import START_SECONDS, free_port
from tests.test_publication import demo_db  # noqa: F401 - fixture used by name

HIT = HIT_HEADER[0].decode()


def _start(db_path: Path, *args: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kokousarkisto.cli", "serve", "--db",
                             str(db_path), "--port", str(port), *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            requests.get(base + "/robots.txt", timeout=2)
            return proc, base
        except requests.ConnectionError:
            assert proc.poll() is None, f"serve exited with {proc.returncode}"
            assert time.monotonic() < deadline, "serve did not start"
            time.sleep(0.2)


def test_publish_runs_several_workers_that_share_the_port_and_cache(demo_db, tmp_path):  # noqa: F811
    proc, base = _start(demo_db, "--publish", "--workers", "2")
    try:
        workers = spawned_workers(proc.pid, 2)
        assert len(workers) == 2
        session = requests.Session()
        pages = [session.get(f"{base}/", timeout=30) for _ in range(6)]
        assert all(p.status_code == 200 for p in pages)
        assert len({p.text for p in pages}) == 1  # every worker serves the same page
        assert any(p.headers.get(HIT) == "hit" for p in pages[1:])
        search = session.get(f"{base}/haku?q=avustus", timeout=30)
        assert search.status_code == 200 and "avustus" in search.text.lower()
        missing = [session.get(f"{base}/ei-ole-olemassa", timeout=30) for _ in range(3)]
        assert all(m.status_code == 404 and HIT not in m.headers for m in missing)
    finally:
        proc.terminate()
        assert proc.wait(30) == 0
    assert not any(alive(w) for w in workers)


def test_kill_9_of_serve_takes_its_workers_along(demo_db):  # noqa: F811
    proc, base = _start(demo_db, "--publish", "--workers", "2")
    workers = spawned_workers(proc.pid, 2)
    assert len(workers) == 2
    assert_kill_9_leaves_none(proc, workers)
    try:
        requests.get(base + "/robots.txt", timeout=2)
    except requests.ConnectionError:
        pass
    else:
        raise AssertionError("the port still answers after serve was killed")


def test_default_workers_one_for_researchers_one_per_core_for_the_public():
    assert server.default_workers(False) == 1
    expected = max(1, min(os.cpu_count() or 1, server.MAX_DEFAULT_WORKERS))
    assert server.default_workers(True) == expected


def _datasette(db_path: Path, publish: bool) -> Datasette:
    metadata = load_metadata(db_path)
    if publish:
        metadata = publish_metadata(metadata, db_path)
    settings = {**SETTINGS, **(PUBLISH_SETTINGS if publish else {})}
    return Datasette(files=[] if publish else [str(db_path)],
                     immutables=[str(db_path)] if publish else [],
                     template_dir=str(TEMPLATE_DIR), metadata=metadata,
                     settings=server.typed_settings(settings))


def _fetch(ds: Datasette, *requests_: tuple[str, dict[str, str]]) -> list:
    async def run():
        return [await ds.client.get(path, headers=headers) for path, headers in requests_]

    return asyncio.run(run())


def test_the_cache_keeps_public_pages_only(demo_db):  # noqa: F811
    name = demo_db.stem
    ds = _datasette(demo_db, publish=True)
    actor = {"cookie": "ds_actor=x"}
    first, again, other, other_again, personal, missing, missing_again = _fetch(
        ds, ("/haku?q=avustus", {}), ("/haku?q=avustus", {}), ("/haku?q=kaava", {}),
        ("/haku?q=kaava", {}), ("/haku?q=avustus", actor), (f"/{name}/ei_taulua", {}),
        (f"/{name}/ei_taulua", {}))
    assert first.status_code == 200 and HIT not in first.headers
    assert again.headers.get(HIT) == "hit" and again.text == first.text
    assert again.headers["content-type"] == first.headers["content-type"]
    assert HIT not in other.headers and other_again.headers.get(HIT) == "hit"
    assert other.text != first.text
    assert HIT not in personal.headers  # credentials: never from or into the cache
    assert missing.status_code == 404 and HIT not in missing_again.headers


def test_without_publish_nothing_is_cached(demo_db):  # noqa: F811
    ds = _datasette(demo_db, publish=False)
    pages = _fetch(ds, ("/haku?q=avustus", {}), ("/haku?q=avustus", {}))
    assert all(p.status_code == 200 and HIT not in p.headers for p in pages)


def _app(sizes: dict[str, int], calls: list[str]):
    """An ASGI app answering ``/<name>`` with ``sizes[name]`` bytes in two chunks;
    ``/cookie`` sets a cookie, ``/post`` is for POST."""

    async def app(scope, receive, send):
        name = scope["path"].strip("/")
        calls.append(name)
        headers = [(b"content-type", b"text/plain")]
        if name == "cookie":
            headers.append((b"set-cookie", b"a=b"))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        body = name[:1].encode() * sizes.get(name, 10)
        half = len(body) // 2
        await send({"type": "http.response.body", "body": body[:half], "more_body": True})
        await send({"type": "http.response.body", "body": body[half:]})

    return app


def _call(app, path: str, method: str = "GET") -> tuple[bytes, list]:
    sent: list = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "raw_path": path.encode(),
             "query_string": b"", "headers": [(b"host", b"x")], "scheme": "http"}
    asyncio.run(app(scope, receive, send))
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return body, sent[0]["headers"]


def test_the_cache_is_bounded_least_recently_used_out():
    calls: list[str] = []
    cache = ResponseCache(_app({"a": 400, "b": 400, "c": 400, "big": 2000}, calls),
                          max_entry=1000, max_total=1000)
    for path in ("/a", "/b", "/a", "/c", "/a", "/b", "/big", "/big"):
        body, _ = _call(cache, path)
        assert body == path[1].encode() * {"/big": 2000}.get(path, 400)
    # /a stays (used last before /c came), /b was pushed out by /c, /big never fits
    assert calls == ["a", "b", "c", "b", "big", "big"]
    assert cache.total <= 1000 and set(k[2] for k in cache.entries) == {b"/a", b"/b"}


def test_the_cache_skips_cookies_and_other_methods():
    calls: list[str] = []
    cache = ResponseCache(_app({}, calls))
    for path, method in (("/cookie", "GET"), ("/cookie", "GET"), ("/post", "POST"),
                         ("/post", "POST"), ("/plain", "GET")):
        _call(cache, path, method)
    body, headers = _call(cache, "/plain")
    assert calls == ["cookie", "cookie", "post", "post", "plain"]
    assert HIT_HEADER in headers and body == b"p" * 10
