"""The demo's remote signing service on loopback: certomancer-csc-dummy's CSC API, which asks for
the official's passphrase (the CSC ``PIN``) before it grants signature activation data, beside
Certomancer's Animator serving the authority's CRLs, OCSP and time-stamps.

certomancer-csc-dummy authenticates nothing (its docstring says so): every key in the
configuration can sign. A real signing service (BSrE's, a PSrE's) checks the signer's passphrase
or second factor at ``credentials/authorize``; this wrapper does the same against a scrypt hash
kept in the service's own folder, so the demo exercises the path a real service takes.

    python -m services.documents.demo_service FOLDER --csc-port 9380 --pki-port 9381
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import logging
import secrets
import socket
import threading
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from services.documents.authority import CONFIG_FILE, load_authority

PINS_FILE = "passphrases.json"
logger = logging.getLogger(__name__)


def _digest(passphrase: str, salt: bytes) -> bytes:
    return hashlib.scrypt(passphrase.encode(), salt=salt, n=2**14, r=8, p=1)


def set_passphrases(folder: Path, passphrases: Mapping[str, str]) -> None:
    """Store (hashed) the passphrase of each credential id, as the signing service's own
    enrolment would; the e-Kiosk never keeps them."""
    path = folder / PINS_FILE
    stored = json.loads(path.read_text()) if path.exists() else {}
    for credential, passphrase in passphrases.items():
        salt = secrets.token_bytes(16)
        stored[credential] = {"salt": base64.b64encode(salt).decode(),
                              "hash": base64.b64encode(_digest(passphrase, salt)).decode()}
    path.write_text(json.dumps(stored))
    path.chmod(0o600)


def passphrase_matches(folder: Path, credential: str, passphrase: str) -> bool:
    path = folder / PINS_FILE
    stored = json.loads(path.read_text()).get(credential) if path.exists() else None
    if stored is None:
        return False
    salt = base64.b64decode(stored["salt"])
    return hmac.compare_digest(_digest(passphrase, salt), base64.b64decode(stored["hash"]))


def build_apps(folder: Path, pki_base_url: str):  # type: ignore[no-untyped-def]
    """The CSC application and the Animator application for the authority in ``folder``."""
    from aiohttp import web
    from certomancer.integrations.aiohttp_animator import build_animator_app
    from csc_dummy.csc_dummy_server import CSCWithCertomancer, DummyServiceParams

    config = load_authority(folder / CONFIG_FILE, pki_base_url)

    class PassphraseCSC(CSCWithCertomancer):
        """The dummy CSC service, with the explicit PIN authorisation real services require."""

        async def credentials_info(self, request: web.Request) -> web.StreamResponse:
            response = await super().credentials_info(request)
            body = json.loads(response.body)
            body["authMode"] = "explicit"
            body["PIN"] = {"presence": "true", "format": "A",
                           "label": "Passphrase", "description": "Passphrase penandatangan"}
            return web.json_response(body)

        async def credentials_authorize(self, request: web.Request) -> web.StreamResponse:
            params = await request.json()
            credential, pin = str(params.get("credentialID", "")), params.get("PIN")
            if not isinstance(pin, str) or not passphrase_matches(folder, credential, pin):
                logger.warning("Refused an authorisation for %s: wrong passphrase", credential)
                return web.json_response({"error": "invalid_request",
                                          "error_description": "Invalid PIN"}, status=400)
            return await super().credentials_authorize(request)

    with warnings.catch_warnings():
        # certomancer-csc-dummy keys its application state by strings, which aiohttp warns about.
        warnings.simplefilter("ignore", web.NotAppKeyWarning)
        csc = PassphraseCSC(config, service_params=DummyServiceParams(
            hash_pinning_required=True, sad_secret=secrets.token_bytes(32)))
    csc.register_routes()
    return csc.app, build_animator_app(config.pki_archs, with_web_ui=False,
                                       allow_time_override=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class RunningService:
    """The signing service running on a thread of this process (tests, the benchmark)."""

    csc_url: str
    pki_url: str
    _loop: asyncio.AbstractEventLoop
    _thread: threading.Thread

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)


async def _start(folder: Path, csc_port: int, pki_port: int, pki_url: str) -> list:  # type: ignore[type-arg]
    from aiohttp import web

    runners = []
    for app, port in zip(build_apps(folder, pki_url), (csc_port, pki_port), strict=True):
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        runners.append(runner)
    return runners


def start_in_thread(folder: Path, *, csc_port: int = 0, pki_port: int = 0) -> RunningService:
    """Start both servers on loopback in a background thread; ``stop()`` ends them."""
    csc_port, pki_port = csc_port or free_port(), pki_port or free_port()
    pki_url = f"http://127.0.0.1:{pki_port}"
    loop = asyncio.new_event_loop()
    started = threading.Event()
    failure: list[BaseException] = []

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            runners = loop.run_until_complete(_start(folder, csc_port, pki_port, pki_url))
        except BaseException as error:  # reported to the caller below
            failure.append(error)
            loop.close()
            started.set()
            return
        started.set()
        loop.run_forever()
        for runner in runners:
            loop.run_until_complete(runner.cleanup())
        loop.close()

    thread = threading.Thread(target=run, name="demo-signing-service", daemon=True)
    thread.start()
    started.wait(timeout=30)
    if failure:
        raise failure[0]
    return RunningService(f"http://127.0.0.1:{csc_port}", pki_url, loop, thread)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--csc-port", type=int, default=9380)
    parser.add_argument("--pki-port", type=int, default=9381)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    pki_url = f"http://127.0.0.1:{args.pki_port}"

    async def serve() -> None:
        await _start(args.folder, args.csc_port, args.pki_port, pki_url)
        logger.info("CSC API at http://127.0.0.1:%d, CRL/OCSP/TSA at %s", args.csc_port, pki_url)
        await asyncio.Event().wait()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve())


if __name__ == "__main__":
    main()
