"""Scanning at the kiosk: pages from the flatbed through SANE's ``scanimage`` (Debian's
sane-utils), joined into one PDF ("Tambah halaman"), and uploaded under the kiosk's device
token to POST /api/v1/uploads, which answers the upload id the citizen's draft names."""

from __future__ import annotations

import io
import shutil
import subprocess
from typing import Any, Protocol

import requests
from PIL import Image

SCAN_SECONDS = 120


class ScannerUnavailable(Exception):
    """No scanner answered: scanimage is missing, or the device failed."""


class Scanner(Protocol):
    def scan_page(self) -> bytes: ...


class SaneScanner:
    """A SANE device (``test`` is SANE's test backend, which needs no hardware)."""

    def __init__(self, device: str = "", resolution: int = 150,
                 program: str = "scanimage") -> None:
        self.device, self.resolution, self.program = device, resolution, program

    def scan_page(self) -> bytes:
        """One page as PNG."""
        program = shutil.which(self.program)
        if program is None:
            raise ScannerUnavailable("scanimage is missing: apt-get install -y sane-utils")
        command = [program, "--format=png", f"--resolution={self.resolution}"]
        if self.device:
            command[1:1] = ["-d", self.device]
        try:
            done = subprocess.run(command, capture_output=True,  # nosec B603: scanimage, fixed arguments
                                  timeout=SCAN_SECONDS, check=False)
        except subprocess.TimeoutExpired as error:
            raise ScannerUnavailable("the scanner did not finish in time") from error
        if done.returncode != 0 or not done.stdout.startswith(b"\x89PNG"):
            raise ScannerUnavailable(done.stderr.decode(errors="replace").strip()[:200]
                                     or "the scanner gave no page")
        return done.stdout


def join_pages(pages: list[bytes], resolution: int = 150) -> bytes:
    """Scanned pages (PNG or JPEG) as one PDF, in order."""
    if not pages:
        raise ValueError("no page to join")
    images = [Image.open(io.BytesIO(page)).convert("RGB") for page in pages]
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:],
                   resolution=float(resolution))
    return out.getvalue()


def upload_document(server_url: str, token: str, data: bytes, filename: str, *,
                    service_code: str = "", requirement: str = "",
                    http: requests.Session | None = None, timeout: float = 60.0) -> dict[str, Any]:
    """Upload a scanned document as this kiosk; the server's answer (upload_id, pages...)."""
    http = http or requests.Session()
    form = {"service_code": service_code, "requirement": requirement} if service_code else {}
    response = http.post(server_url.rstrip("/") + "/api/v1/uploads",
                         headers={"Authorization": f"Bearer {token}"},
                         files={"file": (filename, data, "application/pdf")}, data=form,
                         timeout=timeout)
    answer: dict[str, Any] = response.json()
    if response.status_code != 201:
        raise ScannerUnavailable(str(answer.get("error", {}).get("message", response.reason)))
    return answer
