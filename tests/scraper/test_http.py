"""The HTTP client against a real loopback server, with the clock and sleep injected."""

from __future__ import annotations

import pytest

from scraper.http import FetchPolicy, HttpClient
from tests.loopback import Reply, ScriptedServer


class FakeClock:
    """Time that only moves when the client sleeps, so waits are exact and instant."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.now += seconds


@pytest.fixture
def server():
    with ScriptedServer() as srv:
        yield srv


def client(clock: FakeClock, **policy) -> HttpClient:
    return HttpClient(FetchPolicy(**policy), clock=clock, sleep=clock.sleep)


def test_user_agent_names_project_and_contact(server):
    server.routes["/a"] = [Reply(200, b"x")]
    clock = FakeClock()
    client(clock, contact="toimitus@example.org").get(server.url + "/a")
    agent = server.requests[0]["User-Agent"]
    assert agent.startswith("kokousarkisto/") and "toimitus@example.org" in agent


def test_throttle_waits_min_interval_per_host(server):
    server.routes["/a"] = [Reply(200, b"x")]
    clock = FakeClock()
    c = client(clock, min_interval=1.5)
    for _ in range(3):
        assert c.get(server.url + "/a").ok
    assert clock.sleeps == [1.5, 1.5]


def test_retries_5xx_with_exponential_backoff(server):
    server.routes["/flaky"] = [Reply(500), Reply(502), Reply(200, b"fine")]
    clock = FakeClock()
    result = client(clock, min_interval=0, backoff=2.0).get(server.url + "/flaky")
    assert result.ok and result.content == b"fine" and result.attempts == 3
    assert clock.sleeps == [2.0, 4.0]


def test_honours_retry_after(server):
    server.routes["/busy"] = [Reply(503, headers={"Retry-After": "7"}), Reply(200, b"ok")]
    clock = FakeClock()
    result = client(clock, min_interval=0).get(server.url + "/busy")
    assert result.ok and clock.sleeps == [7.0]


def test_gives_up_after_retries_and_reports_status(server):
    server.routes["/down"] = [Reply(503)]
    clock = FakeClock()
    result = client(clock, min_interval=0, retries=2, backoff=1).get(server.url + "/down")
    assert not result.ok and result.status == 503 and result.attempts == 3
    assert server.hits["/down"] == 3


def test_404_is_not_retried(server):
    clock = FakeClock()
    result = client(clock, min_interval=0).get(server.url + "/missing")
    assert result.status == 404 and result.attempts == 1 and clock.sleeps == []


def test_redirect_within_host_is_followed(server):
    server.routes["/old"] = [Reply(302, headers={"Location": "/new"})]
    server.routes["/new"] = [Reply(200, b"moved here")]
    result = client(FakeClock(), min_interval=0).get(server.url + "/old")
    assert result.ok and result.content == b"moved here"


def test_redirect_to_other_host_is_refused(server):
    server.routes["/away"] = [Reply(302, headers={"Location": "http://127.0.0.2:9/x"})]
    result = client(FakeClock(), min_interval=0).get(server.url + "/away")
    assert not result.ok and "refused" in result.error


def test_redirect_loop_stops(server):
    server.routes["/loop"] = [Reply(302, headers={"Location": "/loop"})]
    result = client(FakeClock(), min_interval=0, max_redirects=3).get(server.url + "/loop")
    assert not result.ok and "too many redirects" in result.error


def test_oversized_response_is_cut_and_not_retried(server):
    server.routes["/big"] = [Reply(200, b"x" * 5000)]
    result = client(FakeClock(), min_interval=0, max_bytes=1000).get(server.url + "/big")
    assert not result.ok and result.error.startswith("too large") and server.hits["/big"] == 1


def test_connection_refused_is_an_error_not_an_exception():
    clock = FakeClock()
    result = client(clock, min_interval=0, retries=1, backoff=0.5,
                    connect_timeout=0.5).get("http://127.0.0.1:9/nothing")
    assert not result.ok and "ConnectionError" in result.error and clock.sleeps == [0.5]
