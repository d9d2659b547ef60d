"""Every upload is hostile: a polyglot, a zip bomb named .pdf, a 20,000 x 20,000 PNG, a PDF with
JavaScript, a zero-byte file, a program named .jpg and a truncated JPEG are each refused with
their own message, and nothing of them is stored, in the database or the backend."""

import pytest
from sqlalchemy import func, select

from services.berkas.files import Berkas, receive_upload
from services.berkas.inspection import UploadRefused, inspect_upload
from services.catalog.requirements import requirements_of
from services.models import StoredBlob, Upload
from tests.builders import WEDNESDAY
from tests.builders.berkas import HOSTILE, jpeg, pdf, png

REFUSALS = {
    "polyglot.jpg": "berkas.polyglot",
    "zip-bomb.pdf": "berkas.unknown_type",
    "huge.png": "berkas.image_too_large",
    "script.pdf": "berkas.pdf_active_content",
    "empty.pdf": "berkas.empty",
    "program.jpg": "berkas.unknown_type",
    "truncated.jpg": "berkas.image_broken",
}
ALL = ("application/pdf", "image/jpeg", "image/png")


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_file_is_refused_and_nothing_is_stored(session, berkas: Berkas, name):
    with pytest.raises(UploadRefused) as refused:
        receive_upload(session, berkas, data=HOSTILE[name](), filename=name, source="web",
                       now=WEDNESDAY)
    assert refused.value.message.code == REFUSALS[name]
    assert refused.value.fields["file"].code == REFUSALS[name]
    assert session.scalar(select(func.count()).select_from(Upload)) == 0
    assert session.scalar(select(func.count()).select_from(StoredBlob)) == 0
    assert list(berkas.store.names()) == []


@pytest.mark.parametrize(("data", "code"), [
    (lambda: pdf(embedded=True), "berkas.pdf_active_content"),
    (lambda: b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF", "berkas.pdf_broken"),
    (lambda: pdf(1) + b"PK\x03\x04payload", "berkas.polyglot"),
    (lambda: png() + b"<script>alert(1)</script>", "berkas.polyglot"),
    (lambda: b"<html><script>alert(1)</script></html>", "berkas.unknown_type"),
])
def test_other_dangers_are_refused_by_name(data, code):
    with pytest.raises(UploadRefused) as refused:
        inspect_upload(data(), accepted=ALL, max_bytes=10 * 1024 * 1024)
    assert refused.value.message.code == code


def test_an_encrypted_pdf_is_refused():
    import io

    import pikepdf

    document = pikepdf.new()
    document.add_blank_page()
    out = io.BytesIO()
    document.save(out, encryption=pikepdf.Encryption(owner="o", user="u"))
    with pytest.raises(UploadRefused) as refused:
        inspect_upload(out.getvalue(), accepted=ALL, max_bytes=10 * 1024 * 1024)
    assert refused.value.message.code == "berkas.pdf_encrypted"


def test_a_requirement_limits_the_formats_and_the_size(session, berkas: Berkas):
    drawing, = requirements_of([{"key": "gambar", "name": {"id": "G", "en": "D"},
                                 "kind": "upload", "formats": ["pdf"], "max_mb": 1}])
    with pytest.raises(UploadRefused) as refused:
        receive_upload(session, berkas, data=jpeg(), filename="g.jpg", source="web",
                       now=WEDNESDAY, requirement=drawing)
    assert refused.value.message.code == "berkas.type_not_accepted"
    with pytest.raises(UploadRefused) as refused:
        receive_upload(session, berkas, data=b"%PDF-" + b"0" * (1024 * 1024), filename="g.pdf",
                       source="web", now=WEDNESDAY, requirement=drawing)
    assert refused.value.message.code == "berkas.too_large"
    assert refused.value.message.params == {"max_mb": 1}
    assert list(berkas.store.names()) == []
    upload = receive_upload(session, berkas, data=pdf(1), filename="g.pdf", source="web",
                            now=WEDNESDAY, requirement=drawing)
    assert upload.requirement_key == "gambar"
