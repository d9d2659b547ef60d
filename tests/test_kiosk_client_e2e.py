"""kiosk_client end to end: the server and the client each in their own process, printing
through the file backend and a real CUPS queue (cups-pdf), surviving a server restart, and
stopping on a revoked token."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from services.codes import format_tracking_code
from services.kiosks.devices import revoke_kiosk
from services.models import Kiosk, PrinterState, PrintJob, PrintJobState
from tests.builders import PIN_KEY
from tests.builders.printing import (
    SECRET,
    enrolment_code,
    issued_pin,
    make_kiosk,
    pdf_text,
    queued_receipt,
    require_tools,
)

ROOT = Path(__file__).resolve().parent.parent
CUPS_QUEUE = "ekiosk-pdf"
CUPS_PDF_PPD = "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd"

pytestmark = pytest.mark.slow


class ServerProcess:
    """The app served by its own Python process on 127.0.0.1; stop() and start() again keep
    the same port, as a real server restart does."""

    def __init__(self, database_url: str, instance: Path) -> None:
        self.env = {**os.environ, "KIOSK_DEMO_MODE": "1", "DATABASE_URL": database_url,
                    "KIOSK_SECRET_KEY": SECRET,
                    "KIOSK_PIN_KEY": PIN_KEY, "KIOSK_INSTANCE_PATH": str(instance), "KIOSK_RATELIMIT_STORAGE_URI":
                    "memory://"}
        self.port = 0
        self.process: subprocess.Popen[str] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.kiosk_server", str(self.port)], cwd=ROOT,
            env=self.env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.process.stdout is not None
        self.port = int(self.process.stdout.readline())

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        if self.process and self.process.stdout:
            self.process.stdout.close()
        self.process = None


@pytest.fixture
def server(session, database_url: str, tmp_path: Path) -> Iterator[ServerProcess]:
    process = ServerProcess(database_url, tmp_path / "instance")
    process.start()
    yield process
    process.stop()


@pytest.fixture
def client_env(server: ServerProcess, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "KIOSK_CLIENT_SERVER_URL": server.url,
        "KIOSK_CLIENT_TOKEN_FILE": str(tmp_path / "client" / "device_token"),
        "KIOSK_CLIENT_SPOOL": str(tmp_path / "client" / "spool.sqlite3"),
        "KIOSK_CLIENT_PRINTER": "file",
        "KIOSK_CLIENT_PRINTER_TARGET": str(tmp_path / "printed"),
        "KIOSK_CLIENT_PAPER_MM": "58",
        "KIOSK_CLIENT_POLL_SECONDS": "0.2",
        "KIOSK_CLIENT_TIMEOUT_SECONDS": "5",
    }


def kiosk_client(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk_client", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60, check=False)


def enrolled_kiosk(session, env: dict[str, str]) -> Kiosk:
    kiosk = make_kiosk(session)
    answer = kiosk_client(env, "enrol", "--code", enrolment_code(session, kiosk))
    assert answer.returncode == 0, answer.stderr
    assert "KIOSK-MPP-01" in answer.stdout
    assert oct(Path(env["KIOSK_CLIENT_TOKEN_FILE"]).stat().st_mode)[-3:] == "600"
    return kiosk


def job_state(session, job_id: int) -> tuple[PrintJobState, int]:
    session.expire_all()
    job = session.get(PrintJob, job_id)
    state = (job.state, job.attempts)
    session.rollback()  # release SQLite's read lock for the server process
    return state


def test_a_queued_receipt_prints_through_the_file_backend_and_can_be_reprinted(
        session, client_env, tmp_path):
    require_tools("pdftotext")
    kiosk = enrolled_kiosk(session, client_env)
    request, job = queued_receipt(session, kiosk)
    answer = kiosk_client(client_env, "once")
    assert answer.returncode == 0, answer.stderr
    assert "printed 1" in answer.stdout
    [printed] = sorted((tmp_path / "printed").glob("*.pdf"))
    text = pdf_text(printed)
    assert format_tracking_code(request.tracking_code) in text
    assert issued_pin(request) in text
    assert job_state(session, job.id) == (PrintJobState.PRINTED, 1)
    session.expire_all()
    kiosk_now = session.get(Kiosk, kiosk.id)
    assert kiosk_now.printer_state is PrinterState.READY and kiosk_now.paper_width_mm == 58
    session.rollback()

    assert kiosk_client(client_env, "reprint-last").returncode == 0
    assert len(list((tmp_path / "printed").glob("*-reprint.pdf"))) == 1


def test_a_job_waiting_while_the_server_restarts_prints_once(session, server, client_env,
                                                             tmp_path):
    kiosk = enrolled_kiosk(session, client_env)
    _request, job = queued_receipt(session, kiosk)
    printed = tmp_path / "printed"
    printed.mkdir()
    (printed / "PAPER_OUT").touch()

    first = kiosk_client(client_env, "once")  # fetched into the spool; no paper
    assert first.returncode == 0 and "waiting 1" in first.stdout, first.stdout + first.stderr
    assert job_state(session, job.id) == (PrintJobState.SENT, 1)
    session.expire_all()
    assert session.scalar(select(Kiosk.printer_state)) is PrinterState.OUT_OF_PAPER
    session.rollback()

    server.stop()
    (printed / "PAPER_OUT").unlink()
    offline = kiosk_client(client_env, "once")  # prints from the spool, cannot acknowledge
    assert offline.returncode == 4 and "printed 1" in offline.stdout, offline.stdout
    assert len(list(printed.glob("*.pdf"))) == 1

    server.start()
    again = kiosk_client(client_env, "once")  # the job is sent again; the spool knows it
    assert again.returncode == 0 and "printed 0" in again.stdout, again.stdout + again.stderr
    assert "acknowledged 1" in again.stdout
    assert len(list(printed.glob("*.pdf"))) == 1
    assert job_state(session, job.id) == (PrintJobState.PRINTED, 2)
    assert kiosk_client(client_env, "once").stdout.startswith("printer ready; fetched 0")


def test_a_revoked_token_stops_the_running_client_with_a_clear_message(session, client_env):
    kiosk = enrolled_kiosk(session, client_env)
    running = subprocess.Popen([sys.executable, "-m", "kiosk_client", "run"], cwd=ROOT,
                               env=client_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        time.sleep(1.0)
        assert running.poll() is None, running.communicate()
        revoke_kiosk(session, kiosk.code, actor=None)
        session.commit()
        _out, err = running.communicate(timeout=20)
    finally:
        if running.poll() is None:
            running.kill()
    assert running.returncode == 3
    assert "revoked or is unknown" in err and "enrolment code" in err
    again = kiosk_client(client_env, "once")
    assert again.returncode == 3


def test_a_client_that_was_never_enrolled_says_how_to_enrol(client_env):
    answer = kiosk_client(client_env, "once")
    assert answer.returncode == 2 and "not enrolled" in answer.stderr


# --- CUPS ---------------------------------------------------------------------------------


def cups_running() -> bool:
    return subprocess.run(["lpstat", "-r"], capture_output=True, text=True,
                          check=False).stdout.strip() == "scheduler is running"


@pytest.fixture(scope="session")
def cups_queue() -> Iterator[str]:
    """A cups-pdf queue on a running cupsd (started here, and stopped after, when needed)."""
    if not (shutil.which("lp") and shutil.which("lpadmin") and shutil.which("cupsd")):
        pytest.skip("!!! CUPS is not installed: CUPS printing test SKIPPED "
                    "(apt-get install cups printer-driver-cups-pdf)")
    if not Path("/usr/lib/cups/backend/cups-pdf").exists():
        pytest.skip("!!! printer-driver-cups-pdf is not installed: CUPS test SKIPPED")
    started = None
    if not cups_running():
        if os.geteuid() != 0:
            pytest.skip("!!! cupsd is not running and only root may start it: CUPS test SKIPPED")
        started = subprocess.Popen(["cupsd", "-f"], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        for _ in range(50):
            if cups_running():
                break
            time.sleep(0.1)
        else:
            started.terminate()
            pytest.skip("!!! cupsd did not start: CUPS test SKIPPED")
    has_queue = subprocess.run(["lpstat", "-p", CUPS_QUEUE], capture_output=True,
                               check=False).returncode == 0
    if not has_queue:
        made = subprocess.run(["lpadmin", "-p", CUPS_QUEUE, "-v", "cups-pdf:/", "-E",
                               "-m", CUPS_PDF_PPD], capture_output=True, text=True, check=False)
        if made.returncode != 0:
            if started:
                started.terminate()
            pytest.skip(f"!!! cannot add the {CUPS_QUEUE} queue ({made.stderr.strip()}): "
                        "CUPS test SKIPPED")
    subprocess.run(["cupsenable", CUPS_QUEUE], capture_output=True, check=False)
    subprocess.run(["cupsaccept", CUPS_QUEUE], capture_output=True, check=False)
    yield CUPS_QUEUE
    if started:
        started.terminate()
        started.wait(timeout=10)


def cups_pdf_folders() -> list[Path]:
    """Where cups-pdf writes: Out in cups-pdf.conf (default ${HOME}/PDF) and its spool."""
    home = Path(pwd.getpwuid(os.getuid()).pw_dir)
    out = "${HOME}/PDF"
    conf = Path("/etc/cups/cups-pdf.conf")
    if conf.exists():
        for line in conf.read_text().splitlines():
            if line.startswith("Out "):
                out = line.split(None, 1)[1].strip()
    return [Path(out.replace("${HOME}", str(home))), Path("/var/spool/cups-pdf/ANONYMOUS")]


def readable_text(pdf: Path) -> str:
    """The PDF's text, or "" while cups-pdf is still writing it."""
    answer = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=False)
    return answer.stdout.decode(errors="replace") if answer.returncode == 0 else ""


def test_a_receipt_prints_through_a_real_cups_queue(session, client_env, cups_queue):
    require_tools("pdftotext")
    env = {**client_env, "KIOSK_CLIENT_PRINTER": "cups", "KIOSK_CLIENT_PRINTER_TARGET":
           cups_queue, "KIOSK_CLIENT_PAPER_MM": "80"}
    kiosk = enrolled_kiosk(session, env)
    request, job = queued_receipt(session, kiosk)
    code = format_tracking_code(request.tracking_code)
    started = time.time()
    answer = kiosk_client(env, "once")
    assert answer.returncode == 0 and "printed 1" in answer.stdout, answer.stdout + answer.stderr
    assert job_state(session, job.id) == (PrintJobState.PRINTED, 1)
    found = None
    for _ in range(300):
        for folder in cups_pdf_folders():
            for pdf in folder.glob("*.pdf") if folder.exists() else []:
                if pdf.stat().st_mtime >= started - 1 and code in readable_text(pdf):
                    found = pdf
        if found:
            break
        time.sleep(0.1)
    assert found is not None, f"no cups-pdf output holding {code} in {cups_pdf_folders()}"
    assert issued_pin(request) in pdf_text(found)
    found.unlink()
