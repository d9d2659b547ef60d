"""The client's settings: a config file (INI or TOML) and/or KIOSK_CLIENT_* environment variables,
the environment winning."""

from __future__ import annotations

import configparser
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PRINTER_BACKENDS = ("file", "cups", "escpos")
DEFAULT_DATA_DIR = Path.home() / ".local" / "share" / "ekiosk-client"

# setting name -> environment variable
ENVIRONMENT = {
    "server_url": "KIOSK_CLIENT_SERVER_URL",
    "enrolment_code": "KIOSK_CLIENT_ENROLMENT_CODE",
    # A variable's name (bandit B105).
    "device_token": "KIOSK_CLIENT_DEVICE_TOKEN",  # nosec B105
    # A variable's name (bandit B105).
    "token_file": "KIOSK_CLIENT_TOKEN_FILE",  # nosec B105
    "printer": "KIOSK_CLIENT_PRINTER",
    "printer_target": "KIOSK_CLIENT_PRINTER_TARGET",
    "paper_mm": "KIOSK_CLIENT_PAPER_MM",
    "spool": "KIOSK_CLIENT_SPOOL",
    "poll_seconds": "KIOSK_CLIENT_POLL_SECONDS",
    "long_poll_seconds": "KIOSK_CLIENT_LONG_POLL_SECONDS",
    "timeout_seconds": "KIOSK_CLIENT_TIMEOUT_SECONDS",
}


class ConfigError(Exception):
    """A setting is missing or wrong; the message says which and how to fix it."""


@dataclass(frozen=True)
class ClientConfig:
    server_url: str
    token_file: Path
    spool: Path
    printer: str = "file"
    # file: the folder; cups: the queue name; escpos: tcp://host[:port], usb:VID:PID or
    # serial:/dev/ttyUSB0[:baud]
    printer_target: str = ""
    paper_mm: int = 80
    enrolment_code: str = ""
    device_token: str = ""
    poll_seconds: float = 5.0
    # The server holds a job request up to this long until a job comes (0: plain polling).
    long_poll_seconds: float = 25.0
    timeout_seconds: float = 10.0


def read_config_file(path: Path) -> dict[str, str]:
    """Settings from a TOML file (any table or top level) or an INI file ([kiosk_client])."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".toml":
        data = tomllib.loads(text)
        section = data.get("kiosk_client", data)
        return {key: str(value) for key, value in section.items() if not isinstance(value, dict)}
    parser = configparser.ConfigParser()
    parser.read_string(text)
    if not parser.has_section("kiosk_client"):
        raise ConfigError(f"{path}: put the settings under a [kiosk_client] section.")
    return dict(parser.items("kiosk_client"))


def load_config(path: Path | None = None,
                environ: Mapping[str, str] | None = None) -> ClientConfig:
    """Merge the config file and the environment into checked settings."""
    environ = os.environ if environ is None else environ
    values: dict[str, str] = {}
    if path is not None:
        if not path.exists():
            raise ConfigError(f"Config file {path} does not exist.")
        values.update(read_config_file(path))
    values.update({key: environ[name] for key, name in ENVIRONMENT.items() if environ.get(name)})
    unknown = set(values) - set(ENVIRONMENT)
    if unknown:
        raise ConfigError(f"Unknown settings: {', '.join(sorted(unknown))}.")
    server_url = values.get("server_url", "").rstrip("/")
    if not server_url.startswith(("http://", "https://")):
        raise ConfigError("Set the server URL (KIOSK_CLIENT_SERVER_URL), e.g. "
                          "http://127.0.0.1:8000.")
    printer = values.get("printer", "file")
    if printer not in PRINTER_BACKENDS:
        raise ConfigError(f"KIOSK_CLIENT_PRINTER must be one of {', '.join(PRINTER_BACKENDS)}.")
    try:
        paper_mm = int(values.get("paper_mm", "80"))
        poll_seconds = float(values.get("poll_seconds", "5"))
        long_poll_seconds = min(max(float(values.get("long_poll_seconds", "25")), 0.0), 25.0)
        timeout_seconds = float(values.get("timeout_seconds", "10"))
    except ValueError as error:
        raise ConfigError(f"A number setting is not a number: {error}.") from None
    if paper_mm not in (58, 80):
        raise ConfigError("KIOSK_CLIENT_PAPER_MM must be 58 or 80.")
    target = values.get("printer_target", "")
    if printer == "file" and not target:
        target = str(DEFAULT_DATA_DIR / "printed")
    if printer in ("cups", "escpos") and not target:
        raise ConfigError(f"The {printer} printer needs KIOSK_CLIENT_PRINTER_TARGET "
                          "(a CUPS queue name, or an ESC/POS address).")
    return ClientConfig(
        server_url=server_url,
        token_file=Path(values.get("token_file") or DEFAULT_DATA_DIR / "device_token"),
        spool=Path(values.get("spool") or DEFAULT_DATA_DIR / "spool.sqlite3"),
        printer=printer,
        printer_target=target,
        paper_mm=paper_mm,
        enrolment_code=values.get("enrolment_code", ""),
        device_token=values.get("device_token", ""),
        poll_seconds=poll_seconds,
        long_poll_seconds=long_poll_seconds,
        timeout_seconds=timeout_seconds,
    )
