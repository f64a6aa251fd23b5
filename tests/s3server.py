"""A real S3-compatible server on 127.0.0.1 for the object-store tests: s3rver.

``scripts/setup.sh`` installs it (npm) into ``.venv/node``; it keeps its objects in a
directory, so a stopped and restarted server still has them. Tests that need it skip
when it is missing, except in CI, where a missing server is a failure.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import boto3
import pytest

REPO = Path(__file__).resolve().parents[1]
S3RVER = Path(os.environ.get("KOKOUSARKISTO_S3RVER",
                             REPO / ".venv" / "node" / "node_modules" / ".bin" / "s3rver"))
#: s3rver's own fixed credentials
ACCESS_KEY = SECRET_KEY = "S3RVER"


def require_s3rver() -> None:
    if not S3RVER.exists():
        message = f"s3rver is not installed at {S3RVER} (run scripts/setup.sh)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


class S3Server:
    """``s3rver`` on 127.0.0.1 keeping its objects in ``directory``; a context manager."""

    def __init__(self, directory: Path, port: int = 0) -> None:
        self.directory = Path(directory)
        self.port = port
        self.proc: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> S3Server:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [str(S3RVER), "--directory", str(self.directory), "--address", "127.0.0.1",
             "--port", str(self.port), "--silent"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        assert self.proc.stdout is not None
        deadline = time.monotonic() + 30
        line = ""
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            found = re.search(r"listening on [\d.]+:(\d+)", line)
            if found:
                self.port = int(found.group(1))
                return self
            if not line and self.proc.poll() is not None:
                break
        self.stop()
        raise RuntimeError(f"s3rver did not start: {line!r}")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
            if self.proc.stdout:
                self.proc.stdout.close()
            self.proc = None

    def restart(self) -> None:
        """Stop and start again on the same port and directory."""
        self.stop()
        self.start()

    def env(self) -> dict[str, str]:
        """The variables an S3 client (ours: boto3) reads for this server."""
        return {"AWS_ENDPOINT_URL": self.endpoint, "AWS_ACCESS_KEY_ID": ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_DEFAULT_REGION": "us-east-1"}

    def create_bucket(self, name: str) -> None:
        boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=ACCESS_KEY,
                     aws_secret_access_key=SECRET_KEY,
                     region_name="us-east-1").create_bucket(Bucket=name)

    def __enter__(self) -> S3Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
