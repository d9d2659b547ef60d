"""The demo bank: a small HTTP server that plays the city's bank (BPD). It answers "pay this"
(POST /pay with a VA number or a QRIS payload) by doing what a bank does: it takes an access
token from the app (SHA256withRSA), asks for the bill (VA inquiry) and sends the signed payment
notification (HMAC-SHA512), as SNAP has them. GET /statement.csv gives the day's statement of
what it paid, for the treasurer's reconciliation. Run it with ``flask bank simulate``; tests
start it on 127.0.0.1 port 0."""

from __future__ import annotations

import json
import logging
import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import requests

from services.export_text import csv_text
from services.payments import snap
from services.payments.qris import crc_verifies, payload_amount, payload_bill_number

log = logging.getLogger(__name__)
CHANNEL_ID = "95231"  # SNAP's channel id for the bank's internal systems


@dataclass
class DemoBank:
    """The bank's side of the partnership, and the payments it made (its statement)."""

    app_url: str
    client_key: str
    client_secret: str
    private_key_pem: bytes
    va_prefix: str
    paid: list[dict[str, Any]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def token(self) -> str:
        timestamp = snap.snap_timestamp(datetime.now(UTC))
        signature = snap.sign_token_request(self.private_key_pem, self.client_key, timestamp)
        answer = requests.post(f"{self.app_url}/snap/v1.0/access-token/b2b",
                               json={"grantType": "client_credentials"}, timeout=10,
                               headers={"X-TIMESTAMP": timestamp, "X-CLIENT-KEY": self.client_key,
                                        "X-SIGNATURE": signature})
        body = answer.json()
        if answer.status_code != 200:
            raise RuntimeError(f"access token refused: {body.get('responseMessage')}")
        return str(body["accessToken"])

    def call(self, path: str, body: dict[str, Any], *, token: str | None = None,
             external_id: str | None = None, secret: str | None = None) -> tuple[int, Any]:
        """One signed SNAP service call to the app (tests tamper through the keywords)."""
        token = token if token is not None else self.token()
        raw = snap.minified(body).encode()
        timestamp = snap.snap_timestamp(datetime.now(UTC))
        full_path = f"/snap{path}"
        signature = snap.sign_service(secret or self.client_secret, "POST", full_path, token,
                                      raw, timestamp)
        answer = requests.post(f"{self.app_url}{full_path}", data=raw, timeout=10, headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {token}",
            "X-TIMESTAMP": timestamp, "X-SIGNATURE": signature,
            "X-PARTNER-ID": self.client_key,
            "X-EXTERNAL-ID": external_id or f"{secrets.randbelow(10**18):018d}",
            "CHANNEL-ID": CHANNEL_ID})
        return answer.status_code, answer.json()

    def pay_va(self, customer_no: str, *, amount: int | None = None,
               reference: str | None = None) -> dict[str, Any]:
        """Pay a VA as a customer at the bank would: inquiry, then the payment notification."""
        token = self.token()
        partner_service_id = self.va_prefix.rjust(8)
        status, inquiry = self.call("/v1.0/transfer-va/inquiry", {
            "partnerServiceId": partner_service_id, "customerNo": customer_no,
            "virtualAccountNo": f"{partner_service_id}{customer_no}",
            "inquiryRequestId": secrets.token_hex(8), "channelCode": 6011}, token=token)
        if status != 200:
            return {"inquiry": inquiry}
        billed = snap.parse_amount(inquiry["virtualAccountData"]["totalAmount"])
        assert billed is not None
        status, payment = self.notify_va(customer_no, amount=billed if amount is None else amount,
                                         reference=reference, token=token)
        return {"inquiry": inquiry, "payment": payment, "status": status}

    def notify_va(self, customer_no: str, *, amount: int, reference: str | None = None,
                  token: str | None = None) -> tuple[int, Any]:
        """The signed payment notification for a VA, booked on the bank's statement."""
        partner_service_id = self.va_prefix.rjust(8)
        reference = reference or f"PAY{secrets.randbelow(10**12):012d}"
        now = datetime.now(UTC)
        answer = self.call("/v1.0/transfer-va/payment", {
            "partnerServiceId": partner_service_id, "customerNo": customer_no,
            "virtualAccountNo": f"{partner_service_id}{customer_no}",
            "paymentRequestId": reference, "channelCode": 6011,
            "paidAmount": snap.amount_object(amount), "trxDateTime": snap.snap_timestamp(now),
            "flagAdvise": "N"}, token=token)
        self._book(reference=f"va:{reference}", paid_to=customer_no, amount=amount, at=now)
        return answer

    def pay_qris(self, payload: str, *, reference: str | None = None) -> dict[str, Any]:
        """Pay a dynamic QRIS as an e-wallet would: the acquirer notifies the merchant."""
        if not crc_verifies(payload):
            return {"error": "the QRIS CRC does not verify"}
        amount, bill_number = payload_amount(payload), payload_bill_number(payload)
        reference = reference or f"QR{secrets.randbelow(10**12):012d}"
        now = datetime.now(UTC)
        status, notify = self.call("/v1.0/qr/qr-mpm-notify", {
            "originalReferenceNo": reference, "originalPartnerReferenceNo": bill_number,
            "latestTransactionStatus": "00", "amount": snap.amount_object(amount),
            "additionalInfo": {"paidTime": snap.snap_timestamp(now)}})
        self._book(reference=f"qris:{reference}", paid_to=bill_number, amount=amount, at=now)
        return {"payment": notify, "status": status}

    def _book(self, *, reference: str, paid_to: str, amount: int, at: datetime) -> None:
        with self._lock:  # a notification sent again is still one credit on the statement
            if all(row["reference"] != reference for row in self.paid):
                self.paid.append({"reference": reference, "paid_to": paid_to,
                                  "amount": amount, "at": at})

    def statement_csv(self) -> str:
        """The bank's statement of what it paid in, in the columns the reconciliation reads."""
        with self._lock:
            rows = [[row["at"].isoformat(timespec="seconds"), row["reference"],
                     row["paid_to"], row["amount"]] for row in self.paid]
        return csv_text([["tanggal", "referensi", "tujuan", "jumlah"], *rows])


def make_handler(bank: DemoBank) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _send(self, status: int, body: str, kind: str = "application/json") -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            if urlsplit(self.path).path != "/pay":
                self._send(404, json.dumps({"error": "not found"}))
                return
            length = int(self.headers.get("Content-Length") or 0)
            try:
                asked = json.loads(self.rfile.read(min(length, 65536)) or b"{}")
                if asked.get("qris"):
                    result = bank.pay_qris(str(asked["qris"]))
                else:
                    amount = asked.get("amount")
                    result = bank.pay_va(str(asked["va"]),
                                         amount=amount if isinstance(amount, int) else None)
            except (ValueError, KeyError, requests.RequestException, RuntimeError) as failed:
                self._send(400, json.dumps({"error": str(failed)}))
                return
            self._send(200, json.dumps(result))

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            if parts.path == "/statement.csv":
                self._send(200, bank.statement_csv(), "text/csv; charset=utf-8")
            else:
                self._send(404, json.dumps({"error": "not found"}))

        def log_message(self, format: str, *args: Any) -> None:
            log.info("demo bank: " + format, *args)

    return Handler


class DemoBankServer:
    """The demo bank served on ``host``:``port`` (0: a free port) in a thread."""

    def __init__(self, bank: DemoBank, host: str = "127.0.0.1", port: int = 0) -> None:
        self.bank = bank
        self.server = ThreadingHTTPServer((host, port), make_handler(bank))
        self.url = f"http://{host}:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> DemoBankServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)
