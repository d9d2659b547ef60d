"""Fixtures for the berkas tests: moto's S3 server (server mode, on loopback, a free port) and a
storage seam on each backend, a local folder and a bucket."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from services.berkas.files import Berkas
from services.berkas.storage import BucketStore, FolderStore, bucket_client
from tests.builders.berkas import KEYRING

BACKENDS = ("folder", "bucket")


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 server in server mode, as a city's MinIO or Ceph would answer."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in (("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "test")):
            patch.setenv(name, value)
        yield f"http://{host}:{port}"
    server.stop()


def bucket_store(endpoint: str) -> BucketStore:
    client = bucket_client(endpoint, "us-east-1")
    bucket = f"berkas-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=bucket)
    return BucketStore(client, bucket)


@pytest.fixture(params=BACKENDS)
def berkas(request: pytest.FixtureRequest, tmp_path) -> Berkas:  # type: ignore[no-untyped-def]
    """The storage seam on one backend (each test runs on both), empty."""
    if request.param == "folder":
        return Berkas(FolderStore(tmp_path / "berkas"), KEYRING)
    return Berkas(bucket_store(request.getfixturevalue("s3_endpoint")), KEYRING)
