"""Configuration read from the environment (KIOSK_ prefix) with working defaults."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from services.schema import database_url

KIOSK_PACKAGE = Path(__file__).resolve().parent


def load_config(instance_path: str) -> dict[str, Any]:
    """Build the app configuration from the environment; called inside create_app."""
    env = os.environ
    return {
        "SECRET_KEY": env.get("KIOSK_SECRET_KEY") or _instance_secret(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url(instance_path),
        # hide_parameters: a database error's text never carries the citizen's data (H1).
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        "LOG_FORMAT": env.get("KIOSK_LOG_FORMAT", "json"),
        "CITY_NAME": env.get("KIOSK_CITY_NAME", "Kota Contoh"),
        "CITY_TIMEZONE": env.get("KIOSK_TIMEZONE", "Asia/Jakarta"),
        "PUBLIC_BASE_URL": env.get("KIOSK_PUBLIC_BASE_URL", ""),
        "BABEL_DEFAULT_LOCALE": "id",
        "BABEL_DEFAULT_TIMEZONE": env.get("KIOSK_TIMEZONE", "Asia/Jakarta"),
        "LANGUAGES": ("id", "en"),
        # Each blueprint package may keep its own translations/ folder; all are merged.
        "BABEL_TRANSLATION_DIRECTORIES": ";".join(
            sorted(str(path) for path in KIOSK_PACKAGE.glob("**/translations"))
        ),
        "IDLE_TIMEOUT_SECONDS": int(env.get("KIOSK_IDLE_TIMEOUT", "90")),
        "IDLE_WARNING_SECONDS": int(env.get("KIOSK_IDLE_WARNING", "60")),
        "DEMO_DEVICE_TOKEN": env.get("KIOSK_DEMO_DEVICE_TOKEN", ""),
        # Shared by every worker and host: Redis when named, else the database (kiosk/ratelimit).
        "RATELIMIT_STORAGE_URI": env.get("KIOSK_RATELIMIT_STORAGE_URI") or "ekiosk-db://",
        "RATELIMIT_STRATEGY": "fixed-window",
        "RATELIMIT_ENABLED": env.get("KIOSK_RATELIMIT_ENABLED", "1") == "1",
        "RATELIMIT_HEADERS_ENABLED": True,
        # One budget for every code-and-PIN look-up path, per client IP and per tracking code.
        "LOOKUP_RATE_LIMIT": env.get("KIOSK_LOOKUP_RATE_LIMIT", "10 per minute"),
        "LOOKUP_CODE_RATE_LIMIT": env.get("KIOSK_LOOKUP_CODE_RATE_LIMIT", "30 per hour"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # None: decided by finish_config (on outside demo mode and tests); "0"/"1" force it.
        "SESSION_COOKIE_SECURE": _flag(env.get("KIOSK_SECURE_COOKIES")),
        # Strict-Transport-Security max-age, sent whenever cookies are Secure (0: never).
        "HSTS_SECONDS": int(env.get("KIOSK_HSTS_SECONDS", str(365 * 24 * 3600))),
        # `make demo` sets KIOSK_DEMO_MODE=1: plain http and the request's host are fine there.
        "DEMO_MODE": env.get("KIOSK_DEMO_MODE", "0") == "1",
        "WTF_CSRF_TIME_LIMIT": None,
        # No body larger than this is read (413): a 60 MB POST must not fill a worker's memory.
        "MAX_CONTENT_LENGTH": int(env.get("KIOSK_MAX_CONTENT_LENGTH", str(1024 * 1024))),
    }


def _flag(value: str | None) -> bool | None:
    return None if value in (None, "") else value == "1"


def finish_config(config: dict[str, Any]) -> None:
    """Settle what depends on the mode, once the app's own settings are merged in; refuse to
    start a real deployment without the public address its links must carry."""
    relaxed = bool(config.get("DEMO_MODE") or config.get("TESTING"))
    if config.get("SESSION_COOKIE_SECURE") is None:
        config["SESSION_COOKIE_SECURE"] = not relaxed
    config["REMEMBER_COOKIE_SECURE"] = config["SESSION_COOKIE_SECURE"]
    if not relaxed and not config.get("PUBLIC_BASE_URL"):
        raise RuntimeError(
            "KIOSK_PUBLIC_BASE_URL must be set (e.g. https://layanan.kota.go.id): receipts, print "
            "jobs and document QR codes link to it. Only KIOSK_DEMO_MODE=1 may leave it unset.")


def secure_instance_files(instance_path: str, database_uri: str) -> None:
    """The instance folder (secret key, SQLite database) is the owner's alone: 0700, and a
    SQLite database file 0600 (its -wal/-shm files follow the database's mode)."""
    folder = Path(instance_path)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    paths = [folder]
    if database_uri.startswith("sqlite:///") and ":memory:" not in database_uri:
        database = Path(database_uri.removeprefix("sqlite:///").split("?")[0])
        if not database.exists():
            database.touch(mode=0o600)
        paths.append(database)
    for path, mode in zip(paths, (0o700, 0o600), strict=False):
        if path.stat().st_uid == os.getuid():  # only what this user owns can be tightened
            path.chmod(mode)


def _instance_secret(instance_path: str) -> str:
    """Keep a random secret in the instance folder so sessions survive restarts."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.touch(mode=0o600)  # private before the secret is written into it
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
