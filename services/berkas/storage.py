"""Where sealed files live: one small interface, a local folder (the embedded default) and an
S3-compatible bucket (MinIO, Ceph, a cloud's) for a city running several app hosts. Names are
the files' SHA-256 digests; nothing here is ever served by URL."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

DIGEST_RE = re.compile(r"^[0-9a-f]{64}$")


def _checked(name: str) -> str:
    if not DIGEST_RE.match(name):
        raise ValueError("a stored file is named by its SHA-256 digest")
    return name


class BlobStore(Protocol):
    """Sealed bytes by digest."""

    def put(self, name: str, sealed: bytes) -> None: ...

    def get(self, name: str) -> bytes: ...

    def delete(self, name: str) -> None: ...

    def exists(self, name: str) -> bool: ...

    def names(self) -> Iterator[str]: ...


class FolderStore:
    """A local folder, two levels of digest prefix deep; writes are atomic (write, rename)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)

    def _path(self, name: str) -> Path:
        name = _checked(name)
        return self.root / name[:2] / name[2:4] / name

    def put(self, name: str, sealed: bytes) -> None:
        path = self._path(name)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(sealed)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def get(self, name: str) -> bytes:
        return self._path(name).read_bytes()

    def delete(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)

    def exists(self, name: str) -> bool:
        return self._path(name).is_file()

    def names(self) -> Iterator[str]:
        for path in self.root.glob("??/??/*"):
            if DIGEST_RE.match(path.name):
                yield path.name


class BucketStore:
    """An S3-compatible bucket through boto3; ``client`` is a boto3 S3 client."""

    def __init__(self, client: Any, bucket: str, prefix: str = "berkas/") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix

    def _key(self, name: str) -> str:
        return f"{self.prefix}{_checked(name)}"

    def put(self, name: str, sealed: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._key(name), Body=sealed,
                               ContentType="application/octet-stream")

    def get(self, name: str) -> bytes:
        answer = self.client.get_object(Bucket=self.bucket, Key=self._key(name))
        return bytes(answer["Body"].read())

    def delete(self, name: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(name))

    def exists(self, name: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(name))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def names(self) -> Iterator[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix)
        for page in pages:
            for item in page.get("Contents", []):
                name = item["Key"][len(self.prefix):]
                if DIGEST_RE.match(name):
                    yield name


def bucket_client(endpoint: str | None, region: str | None) -> Any:
    """A boto3 S3 client; credentials come the usual boto3 way (environment, profile, role)."""
    import boto3
    from botocore.config import Config

    return boto3.client("s3", endpoint_url=endpoint or None, region_name=region or "us-east-1",
                        config=Config(retries={"max_attempts": 3},
                                      connect_timeout=5, read_timeout=30))
