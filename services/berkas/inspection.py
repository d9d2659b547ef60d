"""Every upload is hostile until shown otherwise: its real type comes from its bytes, an image
is decoded within bounds and re-encoded (no EXIF or GPS survives, no trailing payload), and a
PDF is opened, refused when encrypted, broken or carrying active content, and written anew.
Each refusal is a ValidationFailed with its own message code (kiosk/messages.py)."""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import filetype
import pikepdf
from PIL import Image, ImageOps

from services.errors import Message, ValidationFailed

# An image larger than this on either side, or with more pixels, is refused before decoding.
MAX_SIDE = 10_000
MAX_PIXELS = 40_000_000
# Re-encoded images are bounded to this on their longer side (a 300 dpi A4 scan fits).
STORED_SIDE = 3_600
MAX_PAGES = 200
JPEG_QUALITY = 85

# PDF names that make a document act rather than be read.
ACTIVE_KEYS = ("/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles",
               "/RichMedia", "/AA", "/OpenAction", "/XFA", "/SubmitForm", "/ImportData",
               "/GoToE", "/GoToR")
# Markup that a browser would run if it ever sniffed the file as HTML.
MARKUP_RE = re.compile(rb"<\s*(script|html|svg|iframe|object|embed)\b", re.IGNORECASE)


class UploadRefused(ValidationFailed):
    """An upload refused for what it is; the code says why, in the citizen's language."""


@dataclass(frozen=True)
class Inspected:
    """A file that passed: its cleaned bytes, real media type and number of pages."""

    data: bytes
    media_type: str
    pages: int


def refuse(code: str, **params: object) -> UploadRefused:
    said = Message(f"berkas.{code}", params)
    return UploadRefused(said, fields={"file": said})


def sniffed_type(data: bytes) -> str | None:
    """The media type the bytes themselves announce."""
    kind = filetype.guess(data[:8192])
    return kind.mime if kind else None


def inspect_upload(data: bytes, *, accepted: tuple[str, ...], max_bytes: int) -> Inspected:
    """Check one file against the requirement's accepted media types and size limit; return
    what may be stored, or raise UploadRefused."""
    if not data:
        raise refuse("empty")
    if len(data) > max_bytes:
        raise refuse("too_large", max_mb=max(1, max_bytes // (1024 * 1024)))
    media_type = sniffed_type(data)
    if media_type is None and data.lstrip()[:5] == b"%PDF-":
        media_type = "application/pdf"
    if media_type not in ("application/pdf", "image/jpeg", "image/png"):
        raise refuse("unknown_type")
    if media_type not in accepted:
        raise refuse("type_not_accepted")
    if MARKUP_RE.search(data[:4096]):
        raise refuse("polyglot")
    if media_type == "application/pdf":
        return _cleaned_pdf(data)
    return _cleaned_image(data, media_type)


def _trailing_payload(data: bytes, media_type: str) -> bool:
    """Bytes after the image's own end: the classic image-plus-archive polyglot."""
    if media_type == "image/png":
        end = data.rfind(b"IEND")
        return end < 0 or len(data[end + 8:].strip(b"\x00")) > 0
    end = data.rfind(b"\xff\xd9")
    return end < 0 or len(data[end + 2:].strip(b"\x00\r\n ")) > 0


def _cleaned_image(data: bytes, media_type: str) -> Inspected:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=("JPEG", "PNG"))
            width, height = image.size
            if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
                raise refuse("image_too_large", max_side=MAX_SIDE)
            image.load()
    except UploadRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise refuse("image_too_large", max_side=MAX_SIDE) from error
    except (OSError, SyntaxError, ValueError, Image.UnidentifiedImageError) as error:
        raise refuse("image_broken") from error
    if _trailing_payload(data, media_type):
        raise refuse("polyglot")
    image = ImageOps.exif_transpose(image)  # keep what the camera meant, then drop the EXIF
    image.thumbnail((STORED_SIDE, STORED_SIDE))
    out = io.BytesIO()
    if media_type == "image/png":
        if image.mode not in ("1", "L", "LA", "RGB", "RGBA", "P"):
            image = image.convert("RGBA")
        image.save(out, format="PNG", optimize=True)
    else:
        if image.mode not in ("L", "RGB"):
            image = image.convert("RGB")
        image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return Inspected(out.getvalue(), media_type, 1)


def pdf_refusal(data: bytes) -> UploadRefused | None:
    """Why a PDF is not safe to open further (a polyglot, broken, encrypted, too long, or
    carrying active content), or None; nothing is rewritten. The /verify upload uses it too."""
    if (framing := _framing_refusal(data)) is not None:
        return framing
    try:
        with _opened(data):
            return None
    except UploadRefused as refused:
        return refused


def _framing_refusal(data: bytes) -> UploadRefused | None:
    """A PDF starts with its header and ends at its last %%EOF (nothing hidden after it)."""
    if not data.startswith(b"%PDF-"):
        return refuse("polyglot")
    end = data.rfind(b"%%EOF")
    if end < 0:
        return refuse("pdf_broken")
    if data[end + 5:].strip(b"\r\n \x00"):
        return refuse("polyglot")
    return None


@contextmanager
def _opened(data: bytes) -> Iterator[pikepdf.Pdf]:
    """The PDF opened and checked (encryption, pages, active content), else UploadRefused."""
    try:
        document = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as error:
        raise refuse("pdf_encrypted") from error
    except (pikepdf.PdfError, ValueError, OSError) as error:
        raise refuse("pdf_broken") from error
    with document:
        if document.is_encrypted:
            raise refuse("pdf_encrypted")
        try:
            pages = len(document.pages)
            active = _has_active_content(document)
        except (pikepdf.PdfError, ValueError, RecursionError) as error:
            raise refuse("pdf_broken") from error
        if pages == 0:
            raise refuse("pdf_broken")
        if pages > MAX_PAGES:
            raise refuse("too_many_pages", max_pages=MAX_PAGES)
        if active:
            raise refuse("pdf_active_content")
        yield document


def _cleaned_pdf(data: bytes) -> Inspected:
    if (refused := _framing_refusal(data)) is not None:
        raise refused
    with _opened(data) as document:
        pages = len(document.pages)
        if document.Root.get("/AcroForm") is not None:
            del document.Root["/AcroForm"]
        if "/Info" in document.trailer:
            del document.trailer["/Info"]
        out = io.BytesIO()
        try:
            document.save(out, deterministic_id=True, fix_metadata_version=False,
                          compress_streams=False)
        except (pikepdf.PdfError, ValueError) as error:
            raise refuse("pdf_broken") from error
    return Inspected(out.getvalue(), "application/pdf", pages)


def _has_active_content(document: pikepdf.Pdf) -> bool:
    """Whether any object of the document names an action, script or embedded file."""
    for obj in document.objects:
        if isinstance(obj, pikepdf.Stream):
            obj = obj.stream_dict
        if not isinstance(obj, pikepdf.Dictionary):
            continue
        keys = set(obj.keys())
        if keys.intersection(ACTIVE_KEYS):
            return True
        action = obj.get("/S")
        if isinstance(action, pikepdf.Name) and str(action) in ACTIVE_KEYS:
            return True
        names = obj.get("/Names")
        if isinstance(names, pikepdf.Dictionary) and set(names.keys()).intersection(ACTIVE_KEYS):
            return True
    return False
