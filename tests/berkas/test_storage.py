"""Stored files are sealed (AES-GCM, a key id for rotation) under their SHA-256 digest, in a
local folder or an S3-compatible bucket (moto's server), stored once however often they come,
and the loose uploads of drafts never submitted go after a day with their bytes."""

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from services.berkas.files import (
    Berkas,
    delete_from_store,
    read_upload,
    receive_upload,
    remove_loose_uploads,
)
from services.berkas.sealing import Keyring, SealBroken
from services.models import StoredBlob, Upload
from tests.builders import WEDNESDAY
from tests.builders.berkas import KEYRING, jpeg, pdf, png

PLAIN = b"%PDF-1.7 a citizen's KK"
DIGEST = hashlib.sha256(PLAIN).hexdigest()


def test_a_sealed_file_opens_only_whole_and_under_a_known_key():
    sealed = KEYRING.seal(PLAIN, DIGEST)
    assert PLAIN not in sealed and KEYRING.open(sealed, DIGEST) == PLAIN
    tampered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(SealBroken):
        KEYRING.open(tampered, DIGEST)
    with pytest.raises(SealBroken):
        KEYRING.open(sealed, hashlib.sha256(b"other").hexdigest())
    with pytest.raises(SealBroken):
        Keyring.derived("another secret", "d2").open(sealed, DIGEST)


def test_after_a_rotation_new_files_take_the_new_key_and_old_ones_still_open():
    old = KEYRING.seal(PLAIN, DIGEST)
    rotated = Keyring.parse("b2:" + "A" * 43 + "," + "d1:" + "B" * 43)
    rotated = Keyring((rotated.keys[0], KEYRING.keys[0]))
    assert rotated.current_id == "b2" and rotated.open(old, DIGEST) == PLAIN
    assert b"b2" in rotated.seal(PLAIN, DIGEST)[:8]
    with pytest.raises(ValueError, match="32 bytes"):
        Keyring.parse("short:AAAA")


def test_each_backend_keeps_sealed_bytes_by_digest(berkas: Berkas):
    store = berkas.store
    assert not store.exists(DIGEST)
    store.put(DIGEST, b"sealed")
    assert store.exists(DIGEST) and store.get(DIGEST) == b"sealed"
    assert list(store.names()) == [DIGEST]
    store.delete(DIGEST)
    assert not store.exists(DIGEST) and list(store.names()) == []
    with pytest.raises(ValueError):
        store.put("../../etc/passwd", b"x")


def test_an_upload_is_stored_sealed_once_however_often_it_comes(session, berkas: Berkas):
    scan = pdf(2)
    first = receive_upload(session, berkas, data=scan, filename="C:\\scan\\kk.pdf",
                           source="web", now=WEDNESDAY)
    again = receive_upload(session, berkas, data=scan, filename="kk.pdf", source="web",
                           now=WEDNESDAY)
    assert first.token != again.token and first.blob_id == again.blob_id
    assert first.token.startswith("upl_") and len(first.token) > 20
    assert (first.filename, first.media_type, first.pages) == ("kk.pdf", "application/pdf", 2)
    assert list(berkas.store.names()) == [first.blob.digest]
    sealed = berkas.store.get(first.blob.digest)
    assert b"%PDF" not in sealed and read_upload(berkas, first).startswith(b"%PDF-")
    assert first.blob.key_id == KEYRING.current_id


def test_a_photo_loses_its_gps_and_camera_data(session, berkas: Berkas):
    from io import BytesIO

    from PIL import Image

    upload = receive_upload(session, berkas, data=jpeg(gps=True), filename="ktp.jpg",
                            source="web", now=WEDNESDAY)
    assert dict(Image.open(BytesIO(read_upload(berkas, upload))).getexif()) == {}
    assert receive_upload(session, berkas, data=png(), filename="a.png", source="web",
                          now=WEDNESDAY).media_type == "image/png"


def test_loose_uploads_go_after_a_day_with_their_bytes(session, berkas: Berkas):
    old = receive_upload(session, berkas, data=pdf(1), filename="a.pdf", source="web",
                         now=WEDNESDAY)
    kept = receive_upload(session, berkas, data=png(), filename="b.png", source="web",
                          now=WEDNESDAY + timedelta(hours=20))
    digests = remove_loose_uploads(session, now=WEDNESDAY + timedelta(days=1, minutes=1))
    assert digests == [old.blob.digest]
    assert delete_from_store(berkas, digests) == 1
    assert list(berkas.store.names()) == [kept.blob.digest]
    assert session.scalar(select(func.count()).select_from(Upload)) == 1
    assert session.scalar(select(func.count()).select_from(StoredBlob)) == 1


def test_the_outbox_worker_removes_loose_uploads_periodically(session, berkas: Berkas):
    from kiosk.notifications.commands import loose_uploads_job

    receive_upload(session, berkas, data=png(), filename="b.png", source="web", now=WEDNESDAY)
    job = loose_uploads_job(berkas, 3600)
    assert job.run(session, WEDNESDAY + timedelta(hours=2)) == \
        "0 stored file(s) of loose uploads removed"
    assert job.run(session, WEDNESDAY + timedelta(days=2)) == \
        "1 stored file(s) of loose uploads removed"
    assert list(berkas.store.names()) == []
