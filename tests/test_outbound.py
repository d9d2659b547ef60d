"""The server's requests to other hosts go through one guard (services/outbound.py): inside
addresses are refused in every written form, at the admin's save and again at delivery, the
connection is pinned to the checked address, and a refusal reads the same whatever lies behind
it (issue 28, item 2)."""

from __future__ import annotations

import datetime as dt
import http.server
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select

from services.models import OutboxChannel, OutboxMessage, OutboxState, WebhookSubscriber
from services.outbound import (
    REFUSED,
    UNKNOWN_HOST,
    UnsafeDestination,
    check_destination,
    guarded_request,
    parse_allow,
)
from services.outbox.providers import DESTINATION_REFUSED, WebhookPoster
from services.outbox.webhooks import SecretBox
from services.outbox.worker import work_once
from tests.builders.outbox import LOOPBACK, fake_provider, settings, submit_notified
from tests.builders.workflow import WEDNESDAY, make_city

# The probe's addresses, and more ways of writing an inside address.
PROBE_URLS = ("http://169.254.169.254/latest/meta-data/", "http://[::1]:6379/",
              "http://0x7f000001/", "http://localhost:5432/", "http://user:pw@127.0.0.1/")
MORE_INSIDE = ("http://127.0.0.1/", "http://2130706433/", "http://0177.0.0.1/", "http://127.1/",
               "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/", "http://10.1.2.3/",
               "http://172.16.0.1/", "http://192.168.1.1/", "http://100.64.0.1/",
               "http://0.0.0.0/", "http://[::]/", "http://224.0.0.1/", "http://240.0.0.1/",
               "http://[fe80::1]/", "http://[fd00::1]/", "http://[2002:7f00:1::]/",
               "http://[64:ff9b::a9fe:a9fe]/", "https://127.0.0.1.:443/", "ftp://example.com/",
               "http://:pw@example.com/")


@pytest.mark.parametrize("url", PROBE_URLS + MORE_INSIDE)
def test_inside_addresses_are_refused_in_every_form(url):
    with pytest.raises(UnsafeDestination) as refused:
        check_destination(url)
    assert refused.value.message.code == REFUSED


def test_an_allow_list_opens_named_hosts_and_networks_but_never_credentials():
    check_destination("http://127.0.0.1:8080/hook", allow=("127.0.0.1",))
    check_destination("http://10.20.30.40/hook", allow=parse_allow("10.20.0.0/16, intranet"))
    check_destination("http://localhost:5432/", allow=("localhost",))
    with pytest.raises(UnsafeDestination):
        check_destination("http://10.21.0.1/hook", allow=parse_allow("10.20.0.0/16"))
    with pytest.raises(UnsafeDestination):
        check_destination("http://user:pw@127.0.0.1/", allow=("127.0.0.1",))


def test_a_mistyped_allow_list_stops_the_app_at_start():
    with pytest.raises(ValueError):
        parse_allow("10.0.0.0/33")


def test_a_public_address_passes_and_an_unknown_name_says_so(monkeypatch):
    check_destination("https://93.184.215.14/hook")
    resolve(monkeypatch, {})
    with pytest.raises(UnsafeDestination) as refused:
        check_destination("https://nowhere.example/hook")
    assert refused.value.message.code == UNKNOWN_HOST


def resolve(monkeypatch, answers: dict[str, list[str]]) -> list[str]:
    """A DNS whose answers are scripted per name (each call takes the next); the names asked."""
    asked: list[str] = []
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            asked.append(host)
            address = answers[host].pop(0) if len(answers[host]) > 1 else answers[host][0]
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        if any(c.isalpha() for c in str(host)) and host != "localhost":
            raise socket.gaierror(-2, "Name or service not known")
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


@contextmanager
def listener(address: str, *, tls: ssl.SSLContext | None = None) -> Iterator[dict]:
    """An HTTP server on ``address`` that records the Host header of each request."""
    seen: dict = {"hosts": [], "sni": []}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            seen["hosts"].append(self.headers["Host"])
            self.send_response(302)
            self.send_header("Location", f"http://{address}:{seen['port']}/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer((address, 0), Handler)
    if tls is not None:
        tls.sni_callback = lambda _sock, name, _ctx: seen["sni"].append(name)
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    seen["port"] = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def test_the_connection_is_pinned_to_the_checked_address_against_dns_rebinding(monkeypatch):
    """The name first resolves to an allowed address, then to another: the request goes to
    the one that was checked, with the name in its Host header, and is not redirected."""
    with listener("127.0.0.1") as checked, listener("127.0.0.2") as rebound:
        assert checked["port"] != 0 and rebound["port"] != 0
        asked = resolve(monkeypatch, {"hook.kota.test": ["127.0.0.1", "127.0.0.2"]})
        url = f"http://hook.kota.test:{checked['port']}/in"
        response = guarded_request("POST", url, allow=("127.0.0.1",), timeout=5, data=b"{}")
    assert response.status_code == 302  # the redirect is the answer, not followed
    assert checked["hosts"] == [f"hook.kota.test:{checked['port']}"]
    assert rebound["hosts"] == [] and asked == ["hook.kota.test"]


def test_tls_keeps_the_host_name_for_sni_and_the_certificate(monkeypatch, tmp_path):
    certificate, key = self_signed(tmp_path, "hook.kota.test")
    server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_tls.load_cert_chain(certificate, key)
    with listener("127.0.0.1", tls=server_tls) as seen:
        resolve(monkeypatch, {"hook.kota.test": ["127.0.0.1"]})
        response = guarded_request("POST", f"https://hook.kota.test:{seen['port']}/in",
                                   allow=("127.0.0.1",), timeout=5, data=b"{}",
                                   verify=str(certificate))
    assert response.status_code == 302
    assert seen["sni"] == ["hook.kota.test"]
    assert seen["hosts"] == [f"hook.kota.test:{seen['port']}"]


def self_signed(folder: Path, name: str) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    certificate = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - dt.timedelta(days=1))
                   .not_valid_after(now + dt.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
                   .sign(key, hashes.SHA256()))
    (folder / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    return folder / "cert.pem", folder / "key.pem"


@pytest.mark.parametrize("url", PROBE_URLS)
def test_the_admin_cannot_save_a_webhook_to_an_inside_address(admin_client, app_session, url):
    page = admin_client.post("/admin/webhooks/new", data={
        "name": "Probe", "url": url, "event_kinds": "*", "active": "y"})
    assert page.status_code == 200
    assert "Alamat ini tidak dapat dituju server" in page.get_data(as_text=True)
    assert app_session.scalar(select(WebhookSubscriber)) is None


def test_the_city_allow_list_lets_the_admin_save_an_inside_receiver(admin_client, app,
                                                                   app_session):
    app.config["OUTBOUND_ALLOW"] = parse_allow("127.0.0.1")
    page = admin_client.post("/admin/webhooks/new", data={
        "name": "Dasbor", "url": "http://127.0.0.1:9000/hook", "event_kinds": "*",
        "active": "y"})
    assert "whsec_" in page.get_data(as_text=True)


def test_deliveries_to_inside_addresses_are_refused_with_one_neutral_reason(session):
    """Subscribers saved before the guard (or behind a changed DNS answer) reach nothing: an
    open loopback port and a closed one, the metadata service and the rest all log the same."""
    make_city(session)
    box = SecretBox("test-secret")
    with fake_provider() as open_port:
        urls = (*PROBE_URLS, open_port.url + "/hook", "http://127.0.0.1:1/closed")
        for n, url in enumerate(urls):
            session.add(WebhookSubscriber(name=f"s{n}", url=url, event_kinds=["*"], active=True,
                                          secret_encrypted=box.seal("whsec_x")))
        session.commit()
        submit_notified(session, "none", now=WEDNESDAY)
        work_once(session, providers={OutboxChannel.WEBHOOK: WebhookPoster(timeout=2)},
                  settings=settings(), box=box, clock=lambda: WEDNESDAY)
    assert open_port.received == []
    messages = list(session.scalars(select(OutboxMessage).where(
        OutboxMessage.channel == OutboxChannel.WEBHOOK)))
    assert len(messages) == len(urls)
    assert {(m.last_error, m.response_status, m.response_ms, m.state) for m in messages} == {
        (DESTINATION_REFUSED, None, None, OutboxState.PENDING)}


def test_an_allowed_receiver_still_gets_its_delivery(session):
    make_city(session)
    box = SecretBox("test-secret")
    with fake_provider() as provider:
        session.add(WebhookSubscriber(name="ok", url=provider.url + "/hook", event_kinds=["*"],
                                      active=True, secret_encrypted=box.seal("whsec_x")))
        session.commit()
        submit_notified(session, "none", now=WEDNESDAY)
        work_once(session,
                  providers={OutboxChannel.WEBHOOK: WebhookPoster(timeout=2, allow=LOOPBACK)},
                  settings=settings(), box=box, clock=lambda: WEDNESDAY)
    assert len(provider.received) == 1


def test_the_signing_time_stamp_request_goes_through_the_same_guard(tmp_path):
    from reportlab.pdfgen import canvas

    from services.documents.signing import SigningIdentity, create_demo_certificates, sign_pdf

    made = create_demo_certificates(tmp_path / "signing", city="Kota Contoh", passphrase="r")
    buffer = tmp_path / "plain.pdf"
    page = canvas.Canvas(str(buffer))
    page.drawString(72, 720, "Surat")
    page.save()
    with listener("127.0.0.1") as tsa:
        identity = SigningIdentity(str(made.p12), "r", f"http://127.0.0.1:{tsa['port']}/tsa")
        with pytest.raises(UnsafeDestination):
            sign_pdf(buffer.read_bytes(), identity, reason="uji", location="Kota Contoh")
        assert tsa["hosts"] == []
        allowed = SigningIdentity(identity.p12_path, "r", identity.tsa_url,
                                  outbound_allow=("127.0.0.1",))
        with pytest.raises(Exception, match="malformed"):  # the listener is no TSA
            sign_pdf(buffer.read_bytes(), allowed, reason="uji", location="Kota Contoh")
    assert tsa["hosts"] == [f"127.0.0.1:{tsa['port']}"]


def test_no_server_code_sends_a_request_around_the_guard():
    """kiosk/ and services/ reach other hosts only through services/outbound.py."""
    import re

    root = Path(__file__).resolve().parent.parent
    direct = re.compile(r"requests\.(?:get|post|put|patch|delete|head|request|Session)\b"
                        r"|urlopen|http\.client|HTTPConnection\(|aiohttp|httpx"
                        r"|HTTPTimeStamper\(|RequestsHTTPTimeStamper\(")
    # The other parties of the demo are not the server: the demo bank (a separate process that
    # calls the app as a bank would) and the demo CSC signing service (a server). The signing
    # adapters speak aiohttp, so their file names it; its sessions are the guard's own.
    exempt = {"outbound.py", "simulator.py", "demo_service.py", "remote.py"}
    remote = (root / "services/documents/remote.py").read_text()
    assert "ClientSession(" not in remote and "guarded_client_session(" in remote
    offenders = [f"{path.relative_to(root)}:{n}"
                 for folder in ("kiosk", "services") for path in (root / folder).rglob("*.py")
                 if path.name not in exempt
                 for n, line in enumerate(path.read_text().splitlines(), 1)
                 if direct.search(line) and "GuardedTimeStamper(" not in line]
    assert offenders == []


def test_the_aiohttp_session_of_the_signing_adapters_keeps_to_the_same_rules():
    """The CSC signer's session (and pyHanko's OCSP, CRL and TSA fetches over it) reaches an
    inside address only when the city, or the configured service's own host, allows it."""
    import asyncio

    from services.documents.signing import outside_event_loop
    from services.outbound import guarded_client_session

    async def fetch(url: str, allow: tuple[str, ...]) -> int:
        async with (guarded_client_session(allow=allow) as client,
                    client.post(url, data=b"{}", allow_redirects=False) as answer):
            return answer.status

    with listener("127.0.0.1") as inside:
        url = f"http://127.0.0.1:{inside['port']}/ocsp"
        for refused in (url, f"http://localhost:{inside['port']}/crl",
                        f"http://user:pw@127.0.0.1:{inside['port']}/tsa"):
            with pytest.raises(UnsafeDestination):
                outside_event_loop(lambda url=refused: asyncio.run(fetch(url, ())))
        assert inside["hosts"] == []
        # (on a thread of its own when this thread runs a loop: a browser test's Playwright)
        assert outside_event_loop(lambda: asyncio.run(fetch(url, ("127.0.0.1",)))) == 302
        assert inside["hosts"] == [f"127.0.0.1:{inside['port']}"]
