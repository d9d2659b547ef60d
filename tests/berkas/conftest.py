"""Fixtures for the berkas tests: moto's S3 server (server mode, on loopback, a free port) and a
storage seam on each backend, a local folder and a bucket."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest

from services.berkas.files import Berkas, receive_upload
from services.berkas.storage import BucketStore, FolderStore, bucket_client
from services.models import Channel, Role
from services.submission import Submission, submit_request
from services.unit_of_work import UnitOfWork
from services.workflow.queues import claim_task
from tests.builders import APPLICANT, PINS, WEDNESDAY, make_catalog
from tests.builders.berkas import KEYRING, jpeg, pbg_with_documents, pdf
from tests.builders.workflow import make_staff, open_task

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


WEDNESDAY_LATER = WEDNESDAY + timedelta(hours=3)


@pytest.fixture
def filed(session, berkas):
    """A PBG request with a scanned drawing and a photographed KTP, DPMPTSP's task claimed."""
    make_catalog(session, pbg_with_documents(), agencies=["DPMPTSP", "DPUPR", "DLH"])
    clerk = make_staff(session, "clerk.dpmptsp", Role.CLERK, "DPMPTSP")
    other = make_staff(session, "clerk.dlh", Role.CLERK, "DLH")
    drawing = receive_upload(session, berkas, data=pdf(2), filename="gambar.pdf", source="t",
                             now=WEDNESDAY)
    ktp = receive_upload(session, berkas, data=jpeg(), filename="ktp.jpg", source="t",
                         now=WEDNESDAY)
    with UnitOfWork(session, keep_loaded=True):
        result = submit_request(session, Submission(
            service_code="PBG", applicant=APPLICANT, channel=Channel.WEB,
            answers={"purpose": "Rumah", "floors": 1, "gambar_rencana": [drawing.token],
                     "ktp": ktp.token}), pins=PINS, now=WEDNESDAY)
    task = open_task(session, result.request, "DPMPTSP")
    claim_task(session, actor=clerk, task_id=task.id, now=WEDNESDAY)
    session.commit()
    return {"request": result.request, "pin": result.pin, "clerk": clerk, "other": other,
            "task": task, "drawing": drawing, "ktp": ktp}
