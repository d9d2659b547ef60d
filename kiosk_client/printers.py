"""Printer backends behind one small interface: PDFs into a folder, a CUPS queue through `lp`,
or an ESC/POS thermal printer (network, USB or serial) through python-escpos."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

# The printer states the server knows (services.models.PrinterState values).
READY = "ready"
OUT_OF_PAPER = "out_of_paper"
OFFLINE = "offline"
ERROR = "error"
BLOCKED = (OUT_OF_PAPER, OFFLINE, ERROR)


@dataclass(frozen=True)
class PrinterStatus:
    state: str
    paper_low: bool = False
    detail: str = ""

    @property
    def can_print(self) -> bool:
        return self.state not in BLOCKED


class PrinterUnavailable(Exception):
    """The printer cannot print now (offline, out of paper): the job waits in the spool."""


class PrintFailed(Exception):
    """The printer refused this job; it is tried again a few times, then reported failed."""


class Printer(Protocol):
    def status(self) -> PrinterStatus: ...

    def print_pdf(self, pdf: bytes, title: str) -> None: ...


class FilePrinter:
    """Writes each receipt as a PDF into a folder. Marker files stand in for a paper sensor:
    PAPER_OUT in the folder means out of paper, PAPER_LOW means running low."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def status(self) -> PrinterStatus:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            return PrinterStatus(OFFLINE, detail=f"cannot create {self.folder}: {error.strerror}")
        if not os.access(self.folder, os.W_OK):
            return PrinterStatus(OFFLINE, detail=f"{self.folder} is not writable")
        if (self.folder / "PAPER_OUT").exists():
            return PrinterStatus(OUT_OF_PAPER)
        return PrinterStatus(READY, paper_low=(self.folder / "PAPER_LOW").exists())

    def print_pdf(self, pdf: bytes, title: str) -> None:
        status = self.status()
        if not status.can_print:
            raise PrinterUnavailable(status.detail or status.state)
        target = self.folder / f"{safe_name(title)}.pdf"
        with tempfile.NamedTemporaryFile(dir=self.folder, suffix=".part", delete=False) as part:
            part.write(pdf)
        os.replace(part.name, target)  # a receipt appears whole or not at all


Runner = Callable[[list[str], bytes | None], subprocess.CompletedProcess[bytes]]


def run_command(args: list[str], stdin: bytes | None) -> subprocess.CompletedProcess[bytes]:
    # Argv built by this module (lp and its options), never a shell (bandit B603).
    return subprocess.run(args, input=stdin, capture_output=True, timeout=30,  # nosec B603
                          check=False)


class CupsPrinter:
    """Sends PDFs to a named CUPS queue with `lp`; reads the queue's state with `lpstat`."""

    def __init__(self, queue: str, run: Runner = run_command) -> None:
        self.queue = queue
        self.run = run

    def status(self) -> PrinterStatus:
        try:
            answer = self.run(["lpstat", "-l", "-p", self.queue], None)
        except (OSError, subprocess.TimeoutExpired) as error:
            return PrinterStatus(OFFLINE, detail=f"lpstat: {error}")
        return cups_status(answer.returncode, answer.stdout.decode(errors="replace"),
                           answer.stderr.decode(errors="replace"))

    def print_pdf(self, pdf: bytes, title: str) -> None:
        status = self.status()
        if not status.can_print:
            raise PrinterUnavailable(status.detail or status.state)
        try:
            answer = self.run(["lp", "-d", self.queue, "-t", safe_name(title), "-"], pdf)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise PrinterUnavailable(f"lp: {error}") from None
        if answer.returncode != 0:
            message = answer.stderr.decode(errors="replace").strip()
            if "scheduler" in message or "not exist" in message or "not accepting" in message:
                raise PrinterUnavailable(message)
            raise PrintFailed(message or f"lp exited {answer.returncode}")


def cups_status(returncode: int, stdout: str, stderr: str) -> PrinterStatus:
    """Read `lpstat -l -p QUEUE`: disabled or unreachable is offline; the printer's alerts
    (IPP printer-state-reasons) tell out of paper and paper low."""
    if returncode != 0:
        return PrinterStatus(OFFLINE, detail=(stderr or stdout).strip()[:200])
    alerts = " ".join(re.findall(r"Alerts:\s*(.*)", stdout))
    if "media-empty" in alerts or "media-needed" in alerts:
        return PrinterStatus(OUT_OF_PAPER, detail=alerts)
    if re.search(r"\bdisabled\b", stdout.splitlines()[0] if stdout else "") or "offline" in alerts:
        return PrinterStatus(OFFLINE, detail=stdout.strip()[:200])
    return PrinterStatus(READY, paper_low="media-low" in alerts, detail=alerts)


class EscposPrinter:
    """An ESC/POS thermal printer: the receipt PDF is rasterised at the printer's resolution
    (pdftoppm, poppler-utils) and sent as an image, then the paper is cut."""

    DOTS = {58: 384, 80: 576}  # printable dots per line at 203 dpi

    def __init__(self, connect: Callable[[], Any], paper_mm: int = 80) -> None:
        self.connect = connect
        self.paper_mm = paper_mm

    @classmethod
    def from_target(cls, target: str, paper_mm: int = 80) -> EscposPrinter:
        """tcp://host[:port], usb:VID:PID (hex) or serial:/dev/ttyUSB0[:baud]."""
        from escpos import printer as escpos_printer

        def connect() -> Any:
            if target.startswith("tcp://"):
                host, _, port = target[len("tcp://"):].partition(":")
                return escpos_printer.Network(host, int(port or 9100), timeout=10)
            if target.startswith("usb:"):
                vendor, product = target[len("usb:"):].split(":")
                return escpos_printer.Usb(int(vendor, 16), int(product, 16))
            if target.startswith("serial:"):
                device, _, baud = target[len("serial:"):].partition(":")
                return escpos_printer.Serial(device, baudrate=int(baud or 9600))
            raise ValueError(f"Unknown ESC/POS printer address {target!r}.")

        return cls(connect, paper_mm)

    def status(self) -> PrinterStatus:
        try:
            device = self.connect()
            online = device.is_online()
            paper = device.paper_status()  # 2 adequate, 1 near the end, 0 none
        except Exception as error:
            return PrinterStatus(OFFLINE, detail=f"{type(error).__name__}: {error}"[:200])
        if not online:
            return PrinterStatus(OFFLINE)
        if paper == 0:
            return PrinterStatus(OUT_OF_PAPER)
        return PrinterStatus(READY, paper_low=paper == 1)

    def print_pdf(self, pdf: bytes, title: str) -> None:
        status = self.status()
        if not status.can_print:
            raise PrinterUnavailable(status.detail or status.state)
        image = rasterise(pdf, self.DOTS[self.paper_mm])
        try:
            device = self.connect()
            device.image(image)
            device.cut()
            device.close()
        except Exception as error:
            raise PrintFailed(f"{type(error).__name__}: {error}") from None


def rasterise(pdf: bytes, width_px: int) -> Any:
    """The PDF's first page as a black-and-white PIL image ``width_px`` wide."""
    from PIL import Image

    with tempfile.TemporaryDirectory(prefix="ekiosk-raster-") as folder:
        # Fixed argv; poppler's pdftoppm from PATH (bandit B603 B607).
        answer = subprocess.run(  # nosec B603 B607
            ["pdftoppm", "-gray", "-png", "-singlefile", "-scale-to-x", str(width_px),
             "-scale-to-y", "-1", "-", str(Path(folder) / "page")],
            input=pdf, capture_output=True, timeout=30, check=False)
        if answer.returncode != 0:
            raise PrintFailed(f"pdftoppm: {answer.stderr.decode(errors='replace').strip()}")
        with Image.open(Path(folder) / "page.png") as page:
            return page.convert("1")


def safe_name(title: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", title).strip("-") or "receipt"


def make_printer(backend: str, target: str, paper_mm: int) -> Printer:
    if backend == "file":
        return FilePrinter(Path(target))
    if backend == "cups":
        return CupsPrinter(target)
    if backend == "escpos":
        return EscposPrinter.from_target(target, paper_mm)
    raise ValueError(f"Unknown printer backend {backend!r}.")
