"""The server as the client sees it: a small interface, and its HTTP implementation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import requests

from kiosk_client import __version__


class ServerUnreachable(Exception):
    """The network or the server failed; try again later."""


class DeviceRefused(Exception):
    """The server refused the device token or the enrolment code (HTTP 401)."""


class ServerRejected(Exception):
    """The server answered with another error; the message is the server's."""


@dataclass(frozen=True)
class JobBatch:
    """The print jobs the server handed over, and whether it held the request (long poll)."""

    jobs: list[dict[str, Any]]
    held: bool = False


class ServerApi(Protocol):
    def enrol(self, enrolment_code: str) -> tuple[str, str]: ...

    def heartbeat(self, *, printer_state: str, paper_low: bool,
                  paper_mm: int) -> dict[str, Any]: ...

    def print_jobs(self, wait: float = 0.0) -> JobBatch: ...

    def acknowledge(self, job_id: int, *, printed: bool, error: str = "") -> None: ...


class HttpServerApi:
    """The /api/v1/kiosk endpoints over HTTP, with the device token as bearer token."""

    # No token yet (bandit B107).
    def __init__(self, server_url: str, token: str = "", *,  # nosec B107
                 timeout: float = 10.0,
                 http: requests.Session | None = None) -> None:
        self.base = server_url.rstrip("/") + "/api/v1/kiosk"
        self.token = token
        self.timeout = timeout
        self.http = http or requests.Session()
        self.http.headers["User-Agent"] = f"ekiosk-client/{__version__}"

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None, *,
              timeout: float | None = None) -> Any:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            response = self.http.request(method, self.base + path, json=body, headers=headers,
                                         timeout=timeout or self.timeout)
        except requests.RequestException as error:
            raise ServerUnreachable(f"{type(error).__name__}: cannot reach the server") from None
        if response.status_code == 401:
            raise DeviceRefused(_error_message(response))
        if response.status_code >= 500 or response.status_code == 429:
            raise ServerUnreachable(f"HTTP {response.status_code}: {_error_message(response)}")
        if response.status_code >= 400:
            raise ServerRejected(f"HTTP {response.status_code}: {_error_message(response)}")
        try:
            return response.json()
        except ValueError:  # a proxy's or captive portal's page, not the server
            raise ServerUnreachable(f"HTTP {response.status_code}: the answer is not JSON") from None

    def enrol(self, enrolment_code: str) -> tuple[str, str]:
        answer = self._call("POST", "/enrol", {"enrolment_code": enrolment_code})
        return str(answer["device_token"]), str(answer["kiosk_code"])

    def heartbeat(self, *, printer_state: str, paper_low: bool, paper_mm: int) -> dict[str, Any]:
        answer: dict[str, Any] = self._call("POST", "/heartbeat", {
            "printer_state": printer_state, "paper_low": paper_low, "paper_mm": paper_mm,
            "client_version": __version__,
        })
        return answer

    def print_jobs(self, wait: float = 0.0) -> JobBatch:
        """The waiting jobs; with ``wait`` the server may hold the answer until one comes."""
        answer = self._call("GET", f"/print-jobs?wait={wait:g}" if wait else "/print-jobs",
                            timeout=self.timeout + wait)
        return JobBatch(list(answer["jobs"]), bool(answer.get("long_poll", False)))

    def acknowledge(self, job_id: int, *, printed: bool, error: str = "") -> None:
        self._call("POST", f"/print-jobs/{job_id}/ack",
                   {"result": "printed" if printed else "failed", "error": error})


def _error_message(response: requests.Response) -> str:
    try:
        return str(response.json()["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return response.reason or f"HTTP {response.status_code}"
