"""The kiosk client's logic against fakes of the server and the printer, with the real spool."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from kiosk_client.api import DeviceRefused, JobBatch, ServerRejected, ServerUnreachable
from kiosk_client.config import ConfigError, load_config
from kiosk_client.printers import (
    FilePrinter,
    PrinterStatus,
    PrinterUnavailable,
    PrintFailed,
    cups_status,
)
from kiosk_client.runner import KioskClient
from kiosk_client.spool import SqliteSpool
from tests.builders.printing import sample_receipt


class FakeServer:
    """The server's side of the API, in memory."""

    def __init__(self) -> None:
        self.jobs: dict[int, dict[str, Any]] = {}
        self.acks: list[tuple[int, bool]] = []
        self.heartbeats: list[dict[str, Any]] = []
        self.reachable = True
        self.refuse = False
        self.holds = True
        self.waits: list[float] = []

    def queue(self, job_id: int, **receipt: Any) -> None:
        self.jobs[job_id] = {"id": job_id, "kind": "receipt",
                             "receipt": sample_receipt(**receipt).__dict__}

    def _check(self) -> None:
        if self.refuse:
            raise DeviceRefused("This device token is unknown or has been revoked.")
        if not self.reachable:
            raise ServerUnreachable("ConnectionError: cannot reach the server")

    def enrol(self, enrolment_code: str) -> tuple[str, str]:
        self._check()
        return "token", "KIOSK-MPP-01"

    def heartbeat(self, *, printer_state: str, paper_low: bool, paper_mm: int) -> dict[str, Any]:
        self._check()
        self.heartbeats.append({"printer_state": printer_state, "paper_low": paper_low})
        return {"in_service": True}

    def print_jobs(self, wait: float = 0.0) -> JobBatch:
        self._check()
        self.waits.append(wait)
        # Not acknowledged: sent again every time. Held when asked to wait and none are there.
        return JobBatch(list(self.jobs.values()), held=bool(wait) and self.holds)

    def acknowledge(self, job_id: int, *, printed: bool, error: str = "") -> None:
        self._check()
        if job_id not in self.jobs:
            raise ServerRejected("HTTP 404: No print job")
        self.acks.append((job_id, printed))
        del self.jobs[job_id]


class FakePrinter:
    def __init__(self) -> None:
        self.state = PrinterStatus("ready")
        self.printed: list[str] = []
        self.fail_with: Exception | None = None

    def status(self) -> PrinterStatus:
        return self.state

    def print_pdf(self, pdf: bytes, title: str) -> None:
        assert pdf.startswith(b"%PDF")
        if self.fail_with:
            raise self.fail_with
        self.printed.append(title)


@pytest.fixture
def server() -> FakeServer:
    return FakeServer()


@pytest.fixture
def printer() -> FakePrinter:
    return FakePrinter()


@pytest.fixture
def spool(tmp_path: Path):
    spool = SqliteSpool(tmp_path / "spool.sqlite3")
    yield spool
    spool.close()


@pytest.fixture
def kiosk_client(server, printer, spool) -> KioskClient:
    return KioskClient(server, printer, spool, paper_mm=58)


def test_a_pass_reports_the_printer_prints_new_jobs_and_acknowledges_them(
        kiosk_client, server, printer):
    server.queue(7)
    report = kiosk_client.run_pass()
    assert printer.printed == ["job-7-K7QM4XNAP"]
    assert server.acks == [(7, True)]
    assert server.heartbeats == [{"printer_state": "ready", "paper_low": False}]
    assert (report.fetched, report.printed, report.waiting) == (1, [7], 0)


def test_a_job_sent_again_after_a_lost_ack_prints_once(kiosk_client, server, printer):
    server.queue(7)
    server_ack = server.acknowledge

    def lost_ack(job_id: int, *, printed: bool, error: str = "") -> None:
        raise ServerUnreachable("ReadTimeout")

    server.acknowledge = lost_ack  # type: ignore[method-assign]
    kiosk_client.run_pass()
    server.acknowledge = server_ack  # type: ignore[method-assign]
    kiosk_client.run_pass()
    kiosk_client.run_pass()
    assert printer.printed == ["job-7-K7QM4XNAP"]
    assert server.acks == [(7, True)]


def test_a_job_known_as_acknowledged_but_sent_again_is_acknowledged_again(
        kiosk_client, server, printer):
    server.queue(7)
    kiosk_client.run_pass()
    server.queue(7)  # the server never recorded the ack
    kiosk_client.run_pass()
    assert printer.printed == ["job-7-K7QM4XNAP"]
    assert server.acks == [(7, True), (7, True)]


def test_jobs_wait_in_the_spool_while_the_printer_is_out_of_paper(kiosk_client, server,
                                                                  printer):
    printer.state = PrinterStatus("out_of_paper")
    server.queue(7)
    report = kiosk_client.run_pass()
    assert printer.printed == [] and server.acks == [] and report.waiting == 1
    assert server.heartbeats[-1]["printer_state"] == "out_of_paper"
    printer.state = PrinterStatus("ready")
    kiosk_client.run_pass()
    assert printer.printed == ["job-7-K7QM4XNAP"] and server.acks == [(7, True)]


def test_a_printer_that_goes_offline_mid_job_keeps_the_job_waiting(kiosk_client, server,
                                                                   printer):
    printer.fail_with = PrinterUnavailable("offline")
    server.queue(7)
    assert kiosk_client.run_pass().waiting == 1
    printer.fail_with = None
    kiosk_client.run_pass()
    assert printer.printed == ["job-7-K7QM4XNAP"]


def test_spooled_jobs_print_while_the_server_is_down_and_are_acknowledged_later(
        kiosk_client, server, printer):
    printer.state = PrinterStatus("offline")
    server.queue(7)
    kiosk_client.run_pass()
    server.reachable = False
    printer.state = PrinterStatus("ready")
    report = kiosk_client.run_pass()
    assert not report.server_reachable and printer.printed == ["job-7-K7QM4XNAP"]
    assert server.acks == []
    server.reachable = True
    kiosk_client.run_pass()
    assert printer.printed == ["job-7-K7QM4XNAP"] and server.acks == [(7, True)]


def test_the_spool_survives_a_restart_of_the_pc(tmp_path, server, printer):
    printer.state = PrinterStatus("out_of_paper")
    server.queue(7)
    before = SqliteSpool(tmp_path / "spool.sqlite3")
    KioskClient(server, printer, before).run_pass()
    before.close()
    server.reachable = False
    printer.state = PrinterStatus("ready")
    after = SqliteSpool(tmp_path / "spool.sqlite3")
    KioskClient(server, printer, after).run_pass()
    after.close()
    assert printer.printed == ["job-7-K7QM4XNAP"]


def test_a_job_that_keeps_failing_is_reported_failed_after_three_tries(kiosk_client, server,
                                                                       printer):
    printer.fail_with = PrintFailed("lp: document format not supported")
    server.queue(7)
    for _ in range(3):
        kiosk_client.run_pass()
    assert server.acks == [(7, False)]
    assert kiosk_client.run_pass().waiting == 0


def test_a_refused_token_stops_the_pass(kiosk_client, server):
    server.refuse = True
    with pytest.raises(DeviceRefused):
        kiosk_client.run_pass()


def test_the_last_receipt_can_be_reprinted(kiosk_client, server, printer):
    assert kiosk_client.reprint_last() is None
    server.queue(7)
    server.queue(8, tracking_code="ABCD-EFGH-J")
    kiosk_client.run_pass()
    assert kiosk_client.reprint_last() == 8
    assert printer.printed[-1] == "job-8-ABCDEFGHJ-reprint"


def test_acknowledged_receipts_are_forgotten_except_the_last(kiosk_client, server, spool):
    server.queue(7)
    server.queue(8)
    kiosk_client.run_pass()
    payloads = dict(spool.connection.execute("SELECT id, payload FROM job"))
    assert payloads[7] == "{}" and "042917" in payloads[8]


class PassDelays(threading.Event):
    """Stands in for the loop's stop event: records each delay between passes and stops the
    loop after ``passes`` of them."""

    def __init__(self, passes: int) -> None:
        super().__init__()
        self.passes = passes
        self.delays: list[float] = []

    def wait(self, timeout: float | None = None) -> bool:
        self.delays.append(timeout or 0)
        return True

    def is_set(self) -> bool:
        return len(self.delays) >= self.passes


def test_the_loop_backs_off_while_the_server_is_away(kiosk_client, server):
    server.reachable = False
    away = PassDelays(5)
    kiosk_client.run_forever(away, poll_seconds=5, jitter=lambda: 0.5)
    assert away.delays == [1, 2, 4, 8, 16]
    server.reachable = True
    back = PassDelays(5)
    kiosk_client.run_forever(back, poll_seconds=5, jitter=lambda: 0.5)
    assert back.delays == [5, 5, 5, 5, 5]


def test_with_a_long_poll_the_next_pass_starts_at_once_unless_the_server_did_not_hold(
        kiosk_client, server):
    held = PassDelays(3)
    kiosk_client.run_forever(held, poll_seconds=5, long_poll_seconds=25)
    assert held.delays == [0, 0, 0] and server.waits == [25, 25, 25]
    server.holds = False  # every slot taken on the server: back to plain polling
    polled = PassDelays(3)
    kiosk_client.run_forever(polled, poll_seconds=5, long_poll_seconds=25)
    assert polled.delays == [5, 5, 5]


def test_the_http_client_asks_the_server_to_hold_and_waits_long_enough(tmp_path):
    import requests

    from kiosk_client.api import HttpServerApi

    seen: list[tuple[str, float]] = []

    class Recording(requests.Session):
        def request(self, method, url, **kwargs):  # type: ignore[no-untyped-def, override]
            seen.append((url, kwargs["timeout"]))
            response = requests.Response()
            response.status_code = 200
            response._content = b'{"jobs": [], "long_poll": true}'
            return response

    api = HttpServerApi("http://kiosk.test", "token", timeout=10, http=Recording())
    assert api.print_jobs(25) == JobBatch([], held=True)
    api.print_jobs()
    assert seen[0] == ("http://kiosk.test/api/v1/kiosk/print-jobs?wait=25", 35)
    assert seen[1] == ("http://kiosk.test/api/v1/kiosk/print-jobs", 10)


def test_the_file_printer_simulates_its_paper_sensor_with_marker_files(tmp_path):
    printer = FilePrinter(tmp_path / "out")
    assert printer.status() == PrinterStatus("ready")
    (tmp_path / "out" / "PAPER_LOW").touch()
    assert printer.status().paper_low
    (tmp_path / "out" / "PAPER_OUT").touch()
    assert printer.status().state == "out_of_paper"
    with pytest.raises(PrinterUnavailable):
        printer.print_pdf(b"%PDF-1.4", "job-1")


@pytest.mark.parametrize(("code", "stdout", "expected"), [
    (0, "printer ekiosk is idle.  enabled since Wed\n\tAlerts: none\n", ("ready", False)),
    (0, "printer ekiosk is idle.  enabled since Wed\n\tAlerts: media-low-report\n",
     ("ready", True)),
    (0, "printer ekiosk is idle.  enabled since Wed\n\tAlerts: media-empty-error\n",
     ("out_of_paper", False)),
    (0, "printer ekiosk disabled since Wed -\n\tPaused\n", ("offline", False)),
    (1, "", ("offline", False)),
])
def test_the_cups_queue_state_is_read_from_lpstat(code, stdout, expected):
    status = cups_status(code, stdout, "lpstat: No destinations added.")
    assert (status.state, status.paper_low) == expected


def test_the_escpos_printer_rasterises_the_receipt_and_cuts(tmp_path):
    from escpos.printer import Dummy

    from kiosk_client.printers import EscposPrinter
    from kiosk_client.receipt import render_receipt
    from tests.builders.printing import require_tools

    require_tools("pdftoppm")
    device = Dummy()
    device.is_online = lambda: True  # type: ignore[method-assign]
    device.paper_status = lambda: 1  # type: ignore[method-assign]
    device.close = lambda: None  # type: ignore[method-assign]
    printer = EscposPrinter(lambda: device, paper_mm=58)
    assert printer.status() == PrinterStatus("ready", paper_low=True)
    printer.print_pdf(render_receipt(sample_receipt(), 58), "job-1")
    output = device.output
    # A raster image (GS v 0) 48 bytes = 384 dots wide, the printable width of 58 mm paper,
    # then a full cut (GS V 0).
    assert output.startswith(b"\x1dv0\x00\x30\x00")
    assert output.endswith(b"\x1dV\x00")


def test_config_comes_from_a_file_and_the_environment_wins(tmp_path):
    ini = tmp_path / "client.ini"
    ini.write_text("[kiosk_client]\nserver_url = http://a.example\nprinter = cups\n"
                   "printer_target = front\npaper_mm = 58\n")
    config = load_config(ini, {"KIOSK_CLIENT_SERVER_URL": "http://b.example/"})
    assert (config.server_url, config.printer, config.printer_target, config.paper_mm) == (
        "http://b.example", "cups", "front", 58)
    toml = tmp_path / "client.toml"
    toml.write_text('[kiosk_client]\nserver_url = "http://c.example"\npaper_mm = 80\n')
    assert load_config(toml, {}).server_url == "http://c.example"


@pytest.mark.parametrize(("environ", "message"), [
    ({}, "server URL"),
    ({"KIOSK_CLIENT_SERVER_URL": "http://x", "KIOSK_CLIENT_PAPER_MM": "110"}, "58 or 80"),
    ({"KIOSK_CLIENT_SERVER_URL": "http://x", "KIOSK_CLIENT_PRINTER": "fax"}, "one of"),
    ({"KIOSK_CLIENT_SERVER_URL": "http://x", "KIOSK_CLIENT_PRINTER": "cups"}, "TARGET"),
])
def test_bad_config_says_what_to_fix(environ, message):
    with pytest.raises(ConfigError, match=message):
        load_config(None, environ)


def test_a_refused_heartbeat_does_not_stop_printing_what_is_spooled(kiosk_client, server,
                                                                    printer):
    server.queue(7)
    kiosk_client.run_pass()
    server.queue(8)
    printer.state = PrinterStatus("ready")

    def refused(**_: Any) -> dict[str, Any]:
        raise ServerRejected("HTTP 422: Unknown printer state.")

    server.heartbeat = refused  # type: ignore[method-assign]
    report = kiosk_client.run_pass()
    assert report.server_reachable and report.printed == []
    assert server.acks == [(7, True)]


def test_an_answer_that_is_not_json_counts_as_the_server_being_away(tmp_path):
    import requests

    from kiosk_client.api import HttpServerApi

    class NotJson(requests.Session):
        def request(self, method, url, **kwargs):  # type: ignore[no-untyped-def, override]
            response = requests.Response()
            response.status_code = 200
            response._content = b"<html>Wi-Fi login</html>"
            return response

    with pytest.raises(ServerUnreachable, match="not JSON"):
        HttpServerApi("http://127.0.0.1:9", "token", http=NotJson()).print_jobs()


def test_the_cups_printer_sends_the_pdf_to_its_queue_with_lp():
    import subprocess

    from kiosk_client.printers import CupsPrinter

    calls: list[tuple[list[str], bytes | None]] = []
    lpstat = "printer front is idle.  enabled since Wed\n\tAlerts: none\n"
    lp_answer = (0, b"request id is front-3 (1 file(s))\n", b"")

    def run(args: list[str], stdin: bytes | None) -> subprocess.CompletedProcess[bytes]:
        calls.append((args, stdin))
        if args[0] == "lpstat":
            return subprocess.CompletedProcess(args, 0, lpstat.encode(), b"")
        code, out, err = lp_answer
        return subprocess.CompletedProcess(args, code, out, err)

    printer = CupsPrinter("front", run=run)
    printer.print_pdf(b"%PDF-1.4 receipt", "job 3/K7QM")
    assert calls[-1] == (["lp", "-d", "front", "-t", "job-3-K7QM", "-"], b"%PDF-1.4 receipt")
    lp_answer = (1, b"", b"lp: Unsupported document-format")
    with pytest.raises(PrintFailed):
        printer.print_pdf(b"%PDF", "job-4")
    lpstat = "printer front is idle.  enabled since Wed\n\tAlerts: media-empty-error\n"
    with pytest.raises(PrinterUnavailable):
        printer.print_pdf(b"%PDF", "job-5")
