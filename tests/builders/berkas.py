"""Files for the berkas tests, made on the spot: good ones (a JPEG with GPS EXIF, a PNG, a
PDF of a few pages) and the hostile ones every upload path must refuse."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pikepdf
from PIL import Image

from services.berkas.sealing import Keyring

KEYRING = Keyring.derived("test-berkas-secret")


def jpeg(width: int = 640, height: int = 480, *, gps: bool = False) -> bytes:
    image = Image.new("RGB", (width, height), (200, 120, 40))
    out = io.BytesIO()
    exif = Image.Exif()
    if gps:
        exif[0x010F] = "CameraMaker"  # Make
        exif[0x8825] = {1: "S", 2: (7.0, 15.0, 30.0), 3: "E", 4: (112.0, 45.0, 10.0)}
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png(width: int = 300, height: int = 200) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 90, 200)).save(out, format="PNG")
    return out.getvalue()


def pdf(pages: int = 1, *, javascript: bool = False, embedded: bool = False) -> bytes:
    """An A4 PDF of ``pages`` pages, each with a framed box (so a drawn page shows)."""
    document = pikepdf.new()
    for number in range(pages):
        page = document.add_blank_page(page_size=(595, 842))
        page.Contents = document.make_stream(
            f"0.2 0.3 0.6 RG 6 w 60 60 475 722 re S 120 500 {200 + 40 * number} 120 re S"
            .encode())
    if javascript:
        action = document.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Action, S=pikepdf.Name.JavaScript,
            JS=pikepdf.String("app.alert('x')")))
        document.Root.OpenAction = action
    if embedded:
        document.attachments["run.exe"] = pikepdf.AttachedFileSpec(document, b"MZ\x90\x00")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def huge_png(side: int = 20_000) -> bytes:
    """A valid 1-bit PNG of side x side pixels, a few kilobytes long: a decompression bomb."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body)
            + chunk(b"IEND", b""))


def zip_bomb() -> bytes:
    """A small zip holding a large run of zeros (renamed .pdf by the tests)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("report.pdf", b"\x00" * (50 * 1024 * 1024))
    return out.getvalue()


def polyglot() -> bytes:
    """A JPEG that is also a zip archive carrying a script (image bytes, then the archive)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.js", "alert(document.cookie)")
    return jpeg(64, 64) + out.getvalue()


def windows_program() -> bytes:
    """The start of a Windows executable (the tests name it .jpg)."""
    header = bytearray(b"MZ" + b"\x90\x00" * 29 + b"\x80\x00\x00\x00")
    header += b"\x00" * (0x80 - len(header)) + b"PE\x00\x00" + b"\x4c\x01" + b"\x00" * 200
    return bytes(header)


def truncated_jpeg() -> bytes:
    data = jpeg(800, 600)
    return data[: len(data) // 2]


HOSTILE = {
    "polyglot.jpg": polyglot,
    "zip-bomb.pdf": zip_bomb,
    "huge.png": huge_png,
    "script.pdf": lambda: pdf(javascript=True),
    "empty.pdf": lambda: b"",
    "program.jpg": windows_program,
    "truncated.jpg": truncated_jpeg,
}


DRAWING = {"key": "gambar_rencana", "name": {"id": "Gambar rencana", "en": "Drawings"},
           "kind": "upload", "formats": ["pdf"], "max_mb": 20, "max_files": 3}
KTP = {"key": "ktp", "name": {"id": "KTP-el", "en": "Identity card"}, "kind": "upload",
       "formats": ["jpeg", "png", "pdf"]}
CALCULATION = {"key": "perhitungan", "name": {"id": "Perhitungan struktur",
                                              "en": "Structural calculation"},
               "kind": "upload", "show_if": {"field": "floors", "op": "gt", "value": 2}}
KK = {"key": "kk_asli", "name": {"id": "KK asli", "en": "Original KK"}, "kind": "counter"}


BOUNDARY = "berkas-test-boundary-7f3a"


def multipart(data: bytes, filename: str, **form: str) -> tuple[bytes, str]:
    """A multipart body with one ``file`` part, built here: werkzeug's test client spools a
    large one to a temporary file it never closes."""
    parts = [f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
             .encode() for name, value in form.items()]
    parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
                 f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                 .encode() + data + b"\r\n")
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode(), \
        f"multipart/form-data; boundary={BOUNDARY}"


def pbg_with_documents() -> dict:
    """PBG asking for a drawing and a KTP, its clock counted from "berkas lengkap"."""
    from tests.builders import field_def, service_def, step_def

    return service_def(
        "PBG", requirements=[DRAWING, KTP, CALCULATION, KK],
        fields=[field_def("purpose"), field_def("floors", "number")],
        clock_start="complete_file", duration_days=10,
        workflow=[step_def("DPMPTSP", stage=1, sla_days=2, marks_complete=True),
                  step_def("DPUPR", stage=2, sla_days=5)])
