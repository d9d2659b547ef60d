"""python -m kiosk_client [--config FILE] {enrol,run,once,reprint-last}"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from pathlib import Path

from kiosk_client.api import DeviceRefused, HttpServerApi, ServerRejected, ServerUnreachable
from kiosk_client.config import ClientConfig, ConfigError, load_config
from kiosk_client.printers import PrinterUnavailable, make_printer
from kiosk_client.runner import KioskClient
from kiosk_client.spool import SqliteSpool

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_CONFIG = 2
EXIT_REFUSED = 3
EXIT_UNREACHABLE = 4

REFUSED_HELP = (
    "The server refused this kiosk's device token: it was revoked or is unknown. "
    "Printing has stopped. Ask an administrator for a new enrolment code (Admin > Kiosks), "
    "then run: python -m kiosk_client enrol --code <CODE>"
)


def save_token(path: Path, token: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(token + "\n")


def device_token(config: ClientConfig) -> str:
    if config.device_token:
        return config.device_token
    if config.token_file.exists():
        return config.token_file.read_text().strip()
    return ""


def enrol(config: ClientConfig, code: str) -> str:
    """Exchange the one-time enrolment code for a device token and keep it."""
    token, kiosk_code = HttpServerApi(config.server_url,
                                      timeout=config.timeout_seconds).enrol(code)
    save_token(config.token_file, token)
    return kiosk_code


def build_client(config: ClientConfig) -> tuple[KioskClient, SqliteSpool]:
    token = device_token(config)
    if not token and config.enrolment_code:
        kiosk_code = enrol(config, config.enrolment_code)
        print(f"Enrolled as kiosk {kiosk_code}; device token kept in {config.token_file}.")
        token = device_token(config)
    if not token:
        raise ConfigError("This kiosk is not enrolled: set KIOSK_CLIENT_ENROLMENT_CODE or run "
                          "`python -m kiosk_client enrol --code <CODE>`.")
    spool = SqliteSpool(config.spool)
    client = KioskClient(HttpServerApi(config.server_url, token, timeout=config.timeout_seconds),
                         make_printer(config.printer, config.printer_target, config.paper_mm),
                         spool, paper_mm=config.paper_mm)
    return client, spool


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk_client",
                                     description="e-Kiosk print client for the kiosk PC.")
    parser.add_argument("--config", type=Path, help="INI ([kiosk_client]) or TOML config file")
    parser.add_argument("-v", "--verbose", action="store_true")
    commands = parser.add_subparsers(dest="command", required=True)
    enrol_parser = commands.add_parser("enrol", help="exchange a one-time code for a token")
    enrol_parser.add_argument("--code", help="the enrolment code (else from the config)")
    commands.add_parser("run", help="heartbeat, fetch and print, until stopped")
    commands.add_parser("once", help="one heartbeat, fetch, print and acknowledge pass")
    commands.add_parser("reprint-last", help="print the last receipt again")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        config = load_config(args.config)
        if args.command == "enrol":
            code = args.code or config.enrolment_code
            if not code:
                raise ConfigError("Give the enrolment code: --code <CODE>.")
            print(f"Enrolled as kiosk {enrol(config, code)}; "
                  f"device token kept in {config.token_file}.")
            return EXIT_OK
        client, spool = build_client(config)
        try:
            return run_command(args.command, client, config)
        finally:
            spool.close()
    except ConfigError as error:
        print(f"kiosk_client: configuration: {error}", file=sys.stderr)
        return EXIT_CONFIG
    except DeviceRefused as error:
        print(f"kiosk_client: {REFUSED_HELP} (server said: {error})", file=sys.stderr)
        return EXIT_REFUSED
    except ServerUnreachable as error:
        print(f"kiosk_client: cannot reach {config.server_url}: {error}", file=sys.stderr)
        return EXIT_UNREACHABLE
    except ServerRejected as error:
        print(f"kiosk_client: the server refused: {error}", file=sys.stderr)
        return EXIT_FAILED


def run_command(command: str, client: KioskClient, config: ClientConfig) -> int:
    if command == "once":
        report = client.run_pass()
        print(report.summary())
        return EXIT_OK if report.server_reachable else EXIT_UNREACHABLE
    if command == "reprint-last":
        try:
            job_id = client.reprint_last()
        except PrinterUnavailable as error:
            print(f"kiosk_client: the printer cannot print now: {error}", file=sys.stderr)
            return EXIT_FAILED
        if job_id is None:
            print("Nothing printed yet: no receipt to reprint.", file=sys.stderr)
            return EXIT_FAILED
        print(f"Reprinted job {job_id}.")
        return EXIT_OK
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    print(f"kiosk_client running against {config.server_url} "
          f"({config.printer} printer, {config.paper_mm} mm); stop with Ctrl-C.")
    client.run_forever(stop, config.poll_seconds, long_poll_seconds=config.long_poll_seconds)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
