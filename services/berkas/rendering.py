"""A document's pages as pictures for the clerk's inline viewer: a PDF page drawn by poppler's
pdftoppm (nothing loaded from another host, no PDF script run in the browser), an image as it
was stored (already re-encoded on upload)."""

from __future__ import annotations

import shutil
import subprocess

from services.errors import NotFound

VIEW_DPI = 100
RENDER_SECONDS = 20


class RendererMissing(RuntimeError):
    """pdftoppm is not installed: apt-get install poppler-utils."""


def page_picture(data: bytes, media_type: str, page: int) -> tuple[bytes, str]:
    """The picture of page ``page`` (from 1) and its media type."""
    if media_type != "application/pdf":
        if page != 1:
            raise NotFound("berkas.no_such_upload")
        return data, media_type
    program = shutil.which("pdftoppm")
    if program is None:
        raise RendererMissing("pdftoppm is missing: apt-get install -y poppler-utils")
    done = subprocess.run(  # nosec B603: pdftoppm, fixed arguments, the PDF on stdin
        [program, "-f", str(page), "-l", str(page), "-r", str(VIEW_DPI), "-png", "-"],
        input=data, capture_output=True, timeout=RENDER_SECONDS, check=False)
    if done.returncode != 0 or not done.stdout:
        raise NotFound("berkas.no_such_upload")
    return done.stdout, "image/png"
