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
        # The dedicated PIN pepper (never SECRET_KEY); retired keys, comma-separated, still verify.
        "PIN_KEY": env.get("KIOSK_PIN_KEY") or _instance_secret(instance_path, "pin_key"),
        "PIN_OLD_KEYS": [key for key in env.get("KIOSK_PIN_OLD_KEYS", "").split(",") if key],
        "SQLALCHEMY_DATABASE_URI": database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
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
        "RATELIMIT_STORAGE_URI": env.get("KIOSK_RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOOKUP_RATE_LIMIT": env.get("KIOSK_LOOKUP_RATE_LIMIT", "10 per minute"),
        # Print-job requests held at once per process (long poll); keep below gunicorn threads.
        "LONG_POLL_SLOTS": int(env.get("KIOSK_LONG_POLL_SLOTS", "2")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env.get("KIOSK_SECURE_COOKIES", "0") == "1",
        "WTF_CSRF_TIME_LIMIT": None,
    }


def _instance_secret(instance_path: str, name: str = "secret_key") -> str:
    """Keep a random secret in the instance folder so sessions (and PINs) survive restarts."""
    path = Path(instance_path) / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
