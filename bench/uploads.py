"""Berkas: upload throughput (check as hostile, clean, seal, store) for 1 MB and 10 MB files on
the local folder and on an S3-compatible bucket (moto's server on loopback, in this process,
so the S3 figures include moto's own work), and submitting a request naming three documents
against a request with none, on SQLite and PostgreSQL.

    .venv/bin/python -m bench.uploads [--rounds 5] [--submissions 40] [--databases sqlite,postgres]

PostgreSQL comes from KIOSK_BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1/postgres)."""

from __future__ import annotations

import argparse
import io
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import pikepdf
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from bench.servers import bench_catalog, bench_database
from services.berkas.files import Berkas, receive_upload
from services.berkas.sealing import Keyring
from services.berkas.storage import BucketStore, FolderStore, bucket_client
from services.catalog.transfer import import_catalog
from services.codes import PinKeyring
from services.database import upgrade_database
from services.models import Channel
from services.submission import Applicant, Submission, submit_request

KEYRING = Keyring.derived("bench-berkas")
PINS = PinKeyring.from_secrets("bench-pin-key")
APPLICANT = Applicant(nik="3578014506900001", name="Siti Aminah", phone="081234567890")
MB = 1024 * 1024


def pdf_of(size: int) -> bytes:
    """A one-page PDF carrying ``size`` bytes of incompressible image data (a scan's weight)."""
    document = pikepdf.new()
    document.add_blank_page()
    side = int((size / 3) ** 0.5)
    image = pikepdf.Stream(document, os.urandom(side * side * 3))
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height, image.BitsPerComponent = side, side, 8
    image.ColorSpace = pikepdf.Name.DeviceRGB
    document.pages[0].Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    out = io.BytesIO()
    document.save(out, compress_streams=False)
    return out.getvalue()


def moto_bucket() -> tuple[BucketStore, Callable[[], None]]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    client = bucket_client(f"http://{host}:{port}", "us-east-1")
    bucket = f"bench-{uuid.uuid4().hex[:10]}"
    client.create_bucket(Bucket=bucket)
    return BucketStore(client, bucket), server.stop


def migrated(url: str) -> Session:
    upgrade_database(url)
    session = Session(create_engine(url, hide_parameters=True), expire_on_commit=False)
    catalog = bench_catalog(["DPMPTSP"], [("PLAIN", "DPMPTSP", 5), ("DOCS", "DPMPTSP", 5)])
    catalog["services"][1]["requirements"] = [
        {"key": f"dokumen_{n}", "name": {"id": f"Dokumen {n}", "en": f"Document {n}"},
         "kind": "upload"} for n in (1, 2, 3)]
    import_catalog(session, catalog, "bench.yaml")
    session.commit()
    return session


def upload_rates(berkas: Berkas, url: str, rounds: int) -> None:
    session = migrated(url)
    for size in (1 * MB, 10 * MB):
        files = [pdf_of(size) for _ in range(rounds)]  # distinct: each is really stored
        took = []
        for data in files:
            started = time.perf_counter()
            receive_upload(session, berkas, data=data, filename="scan.pdf", source="bench",
                           now=datetime.now(UTC))
            session.commit()
            took.append(time.perf_counter() - started)
        seconds = statistics.median(took)
        print(f"  {size // MB:>2} MB PDF: median {seconds * 1000:7.1f} ms per upload, "
              f"{size / MB / seconds:6.1f} MB/s")
    session.close()


def submission_times(url: str, berkas: Berkas, count: int) -> None:
    session = migrated(url)
    scans = [[receive_upload(session, berkas, data=pdf_of(200 * 1024), filename="d.pdf",
                             source="bench", now=datetime.now(UTC)).token for _ in range(3)]
             for _ in range(count)]
    session.commit()

    def timed(service: str, answers: Callable[[int], dict[str, object]]) -> float:
        took = []
        for n in range(count):
            started = time.perf_counter()
            submit_request(session, Submission(
                service_code=service, applicant=APPLICANT, channel=Channel.API,
                answers={"purpose": "bench", **answers(n)}), pins=PINS)
            session.commit()
            took.append(time.perf_counter() - started)
        return statistics.median(took)

    timed("PLAIN", lambda n: {})  # warm the catalog cache and the connection
    plain = timed("PLAIN", lambda n: {})
    with_documents = timed("DOCS", lambda n: {f"dokumen_{k + 1}": scans[n][k] for k in range(3)})
    print(f"  submit, no documents:    median {plain * 1000:6.2f} ms")
    print(f"  submit, three documents: median {with_documents * 1000:6.2f} ms "
          f"({with_documents / plain:.2f}x)")
    session.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--submissions", type=int, default=40)
    parser.add_argument("--databases", default="sqlite,postgres")
    args = parser.parse_args()
    bucket, stop = moto_bucket()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-berkas") as folder:
            backends = {"local folder": Berkas(FolderStore(folder), KEYRING),
                        "S3 (moto server)": Berkas(bucket, KEYRING)}
            for name, berkas in backends.items():
                print(f"Upload throughput, {name} (SQLite):")
                with bench_database("sqlite") as url:
                    upload_rates(berkas, url, args.rounds)
            for kind in args.databases.split(","):
                print(f"Submission with documents ({kind}, local folder):")
                with bench_database(kind) as url:
                    submission_times(url, backends["local folder"], args.submissions)
    finally:
        stop()


if __name__ == "__main__":
    main()
