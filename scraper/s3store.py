"""The raw archive in an S3-compatible object store (AWS S3, MinIO, SeaweedFS, Ceph...).

``--archive s3://bucket/prefix`` keeps the blobs as objects ``<prefix>/<sha[:2]>/<sha>``;
content addressing and checking stay in :class:`scraper.archive.RawArchive`. The
endpoint and credentials come from the variables every S3 tool reads
(``AWS_ENDPOINT_URL``, ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, optionally
``AWS_DEFAULT_REGION``), so no secret is ever written into a config file or the
database. Path-style addressing, because self-hosted servers on a plain host name or
IP address have no per-bucket DNS names.

A single ``PUT`` is atomic in S3: an object is either the whole upload or absent, so a
killed harvest never leaves a partial blob. Network trouble is retried by botocore
(``standard`` mode: connection errors, throttling, 5xx) and then raised as
:class:`ArchiveUnavailable`, an :class:`OSError`, like a failing disk.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path
from urllib.parse import urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from scraper.archive import ArchiveUnavailable

#: error codes that mean "no such object" (HEAD has no body, so only the status)
_MISSING = frozenset({"404", "NoSuchKey", "NotFound"})


def parse_s3_url(url: str) -> tuple[str, str]:
    """``s3://bucket/some/prefix`` → ``("bucket", "some/prefix")``."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ValueError(f"not an s3://bucket/prefix URL: {url!r}")
    return parts.netloc, parts.path.strip("/")


class S3Store:
    """A :class:`scraper.archive.BlobStore` in one bucket under one key prefix."""

    local_dir: Path | None = None

    def __init__(self, bucket: str, prefix: str = "", *, client=None) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.location = f"s3://{bucket}/{self.prefix}".rstrip("/")
        self.client = client or make_client()

    @classmethod
    def from_url(cls, url: str) -> S3Store:
        bucket, prefix = parse_s3_url(url)
        return cls(bucket, prefix)

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def _unavailable(self, what: str, exc: Exception) -> ArchiveUnavailable:
        return ArchiveUnavailable(f"{self.location}: {what}: {exc}")

    def read(self, key: str) -> bytes:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
            return response["Body"].read()
        except ClientError as exc:
            if _code(exc) in _MISSING:
                raise FileNotFoundError(f"{self.location}/{key}") from None
            raise self._unavailable(f"reading {key}", exc) from exc
        except BotoCoreError as exc:
            raise self._unavailable(f"reading {key}", exc) from exc

    def write(self, key: str, data: bytes) -> None:
        # Content-MD5: the server refuses a body damaged on the way
        md5 = base64.b64encode(hashlib.md5(data).digest()).decode()
        try:
            self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data,
                                   ContentMD5=md5)
        except (ClientError, BotoCoreError) as exc:
            raise self._unavailable(f"writing {key}", exc) from exc

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
            return True
        except ClientError as exc:
            if _code(exc) in _MISSING:
                return False
            raise self._unavailable(f"looking up {key}", exc) from exc
        except BotoCoreError as exc:
            raise self._unavailable(f"looking up {key}", exc) from exc

    def check(self) -> None:
        """Raise :class:`ArchiveUnavailable` with a plain reason unless the bucket can
        be reached: said once at the start, not as a failure on every item."""
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except ClientError as exc:
            code = _code(exc)
            reason = (f"bucket {self.bucket!r} does not exist" if code in _MISSING
                      else f"access refused ({code})")
            raise ArchiveUnavailable(f"{self.location}: {reason} at "
                                     f"{_endpoint(self.client)}", temporary=False) from exc
        except BotoCoreError as exc:
            raise self._unavailable("cannot reach the object store", exc) from exc


def make_client():
    """A boto3 S3 client configured from the standard ``AWS_*`` variables.

    Checksums only when the operation requires them: self-hosted S3 servers often do
    not understand the newer streaming trailers; Content-MD5 guards each upload.
    """
    config = Config(
        s3={"addressing_style": "path"},
        retries={"max_attempts": 5, "mode": "standard"},
        connect_timeout=10, read_timeout=60,
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    session = boto3.session.Session()
    return session.client("s3", config=config,
                          region_name=os.environ.get("AWS_DEFAULT_REGION") or "us-east-1")


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _endpoint(client) -> str:
    return getattr(client.meta, "endpoint_url", "?")
