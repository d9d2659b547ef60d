"""Configuration read from the environment (KIOSK_ prefix) with working defaults."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from kiosk.bank.settings import bank_config
from kiosk.notifications.config import notification_config
from services.city_calendar import DEFAULT_TIMEZONE
from services.database import database_url
from services.outbound import parse_allow

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
        # hide_parameters: a database error's text never carries the citizen's data (H1).
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        "LOG_FORMAT": env.get("KIOSK_LOG_FORMAT", "json"),
        "CITY_NAME": env.get("KIOSK_CITY_NAME", "Kota Contoh"),
        "CITY_TIMEZONE": env.get("KIOSK_TIMEZONE", DEFAULT_TIMEZONE),
        # The city's working week ("mon-fri", or "mon-sat"); an agency may have its own.
        "CITY_WORK_WEEK": env.get("KIOSK_WORK_WEEK", "mon-fri"),
        # The unit whose Maklumat Pelayanan a kiosk of no unit of its own shows (the MPP's host).
        "MAKLUMAT_AGENCY": env.get("KIOSK_MAKLUMAT_AGENCY", "DPMPTSP"),
        # Refuse to publish a new version of a standard without its SK penetapan and a public
        # consultation (UU 25/2009 Pasal 20): "1" turns the rule on.
        "STANDARD_NEEDS_DECREE": env.get("KIOSK_STANDARD_NEEDS_DECREE", "0") == "1",
        # Prometheus may scrape /metrics from loopback, or from elsewhere with this bearer token.
        "METRICS_TOKEN": env.get("KIOSK_METRICS_TOKEN", ""),
        "PUBLIC_BASE_URL": env.get("KIOSK_PUBLIC_BASE_URL", ""),
        # Inside hosts and networks the server may send requests to (services/outbound.py):
        # comma-separated names, addresses, CIDRs; by default, none.
        "OUTBOUND_ALLOW": env.get("KIOSK_OUTBOUND_ALLOW", ""),
        "BABEL_DEFAULT_LOCALE": "id",
        "BABEL_DEFAULT_TIMEZONE": env.get("KIOSK_TIMEZONE", DEFAULT_TIMEZONE),
        "LANGUAGES": ("id", "en"),
        # One catalogue per locale (kiosk/translations, `make translations`); Indonesian is the
        # source language, so only English has one.
        "BABEL_TRANSLATION_DIRECTORIES": str(KIOSK_PACKAGE / "translations"),
        "IDLE_TIMEOUT_SECONDS": int(env.get("KIOSK_IDLE_TIMEOUT", "90")),
        "IDLE_WARNING_SECONDS": int(env.get("KIOSK_IDLE_WARNING", "60")),
        "STAFF_IDLE_TIMEOUT_SECONDS": 60 * int(env.get("KIOSK_STAFF_IDLE_MINUTES", "30")),
        # How many reverse proxies (load balancer, nginx) stand in front and set X-Forwarded-*.
        "TRUSTED_PROXIES": int(env.get("KIOSK_TRUSTED_PROXIES", "0")),
        # Fernet keys (newest first, comma-separated) that encrypt the session cookie.
        "SESSION_KEYS": env.get("KIOSK_SESSION_KEYS") or _instance_fernet_key(instance_path),
        "DEMO_DEVICE_TOKEN": env.get("KIOSK_DEMO_DEVICE_TOKEN", ""),
        "DEMO_API_KEY": env.get("KIOSK_DEMO_API_KEY", ""),
        # Shared by every worker and host: Redis when named, else the database (kiosk/ratelimit).
        "RATELIMIT_STORAGE_URI": env.get("KIOSK_RATELIMIT_STORAGE_URI") or "ekiosk-db://",
        "RATELIMIT_STRATEGY": "fixed-window",
        "RATELIMIT_ENABLED": env.get("KIOSK_RATELIMIT_ENABLED", "1") == "1",
        "RATELIMIT_HEADERS_ENABLED": True,
        # One budget for every code-and-PIN look-up path, per client IP and per tracking code.
        "LOOKUP_RATE_LIMIT": env.get("KIOSK_LOOKUP_RATE_LIMIT", "10 per minute"),
        "LOOKUP_CODE_RATE_LIMIT": env.get("KIOSK_LOOKUP_CODE_RATE_LIMIT", "30 per hour"),
        # Unknown API keys and device tokens one address may present before it gets 429s.
        "REFUSED_CREDENTIAL_RATE_LIMIT": env.get("KIOSK_REFUSED_CREDENTIAL_RATE_LIMIT",
                                                 "20 per 10 minutes"),
        # Print-job requests held at once per process (long poll); keep below gunicorn threads.
        "LONG_POLL_SLOTS": int(env.get("KIOSK_LONG_POLL_SLOTS", "2")),
        # Hall displays (/layar) held at once per process; the rest ask again every 0.5 s.
        "DISPLAY_LONG_POLL_SLOTS": int(env.get("KIOSK_DISPLAY_LONG_POLL_SLOTS", "2")),
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
        **signing_config(env, instance_path),
        **notification_config(instance_path),
        **berkas_config(env, instance_path),
        **bank_config(env, instance_path),
    }


def berkas_config(env: Mapping[str, str], instance_path: str) -> dict[str, Any]:
    """Where the citizens' documents are stored (docs/berkas.md): a folder under the instance
    path by default, or an S3-compatible bucket (MinIO, Ceph, a cloud's) for several hosts;
    sealed with KIOSK_BERKAS_KEYS ("id:base64 of 32 bytes", newest first), derived from the
    secret key in the demo and tests when not given."""
    return {
        "BERKAS_STORAGE": env.get("KIOSK_BERKAS_STORAGE", "folder"),
        "BERKAS_FOLDER": env.get("KIOSK_BERKAS_FOLDER") or str(Path(instance_path) / "berkas"),
        "BERKAS_S3_BUCKET": env.get("KIOSK_BERKAS_S3_BUCKET", ""),
        "BERKAS_S3_ENDPOINT": env.get("KIOSK_BERKAS_S3_ENDPOINT", ""),
        "BERKAS_S3_REGION": env.get("KIOSK_BERKAS_S3_REGION", ""),
        "BERKAS_S3_PREFIX": env.get("KIOSK_BERKAS_S3_PREFIX", "berkas/"),
        "BERKAS_KEYS": env.get("KIOSK_BERKAS_KEYS", ""),
        # The largest upload body read (the per-requirement limits are smaller or equal).
        "BERKAS_MAX_UPLOAD": int(env.get("KIOSK_BERKAS_MAX_UPLOAD", str(21 * 1024 * 1024))),
    }


DEMO_SIGNING_FOLDER = "signing"  # under the instance folder: ca.pem, signing.p12, passphrase


def signing_config(env: Mapping[str, str], instance_path: str) -> dict[str, Any]:
    """The city's signing certificate (PKCS#12 path and passphrase), an optional time-stamp
    authority, the roots /verify trusts, and the verification-code keys by id. Without
    KIOSK_SIGNING_P12 the demo certificate made by `flask demo load` is used when present."""
    demo = Path(instance_path) / DEMO_SIGNING_FOLDER
    p12 = env.get("KIOSK_SIGNING_P12", "")
    passphrase = env.get("KIOSK_SIGNING_PASSPHRASE", "")
    roots = env.get("KIOSK_SIGNING_TRUST_ROOTS", "")
    if not p12 and (demo / "signing.p12").exists():
        p12, passphrase = str(demo / "signing.p12"), (demo / "passphrase").read_text().strip()
        roots = roots or str(demo / "ca.pem")
    authority = demo / "authority"
    csc_url = env.get("KIOSK_SIGNING_CSC_URL", "")
    tsa = env.get("KIOSK_SIGNING_TSA_URL", "")
    if not csc_url and (authority / "root.pem").exists():
        # The demo's signing service (make demo runs it): CSC API and CRL/OCSP/TSA on loopback.
        csc_url = f"http://127.0.0.1:{env.get('KIOSK_DEMO_CSC_PORT', '9380')}"
        tsa = tsa or (f"http://127.0.0.1:{env.get('KIOSK_DEMO_PKI_PORT', '9381')}"
                      "/kota-contoh/tsa/tsa")
        roots = ",".join(part for part in (roots, str(authority / "root.pem")) if part)
    return {
        # The officials' remote signing service (CSC API) and its OAuth token, if it needs one.
        "SIGNING_CSC_URL": csc_url,
        "SIGNING_CSC_TOKEN": env.get("KIOSK_SIGNING_CSC_TOKEN", ""),
        # Or the city's own HSM through PKCS#11: the module, the token's label, and a folder of
        # each key's certificate (<key label>.pem) with chain.pem.
        "SIGNING_PKCS11_MODULE": env.get("KIOSK_SIGNING_PKCS11_MODULE", ""),
        "SIGNING_PKCS11_TOKEN": env.get("KIOSK_SIGNING_PKCS11_TOKEN", ""),
        "SIGNING_PKCS11_CERTS": env.get("KIOSK_SIGNING_PKCS11_CERTS", ""),
        "SIGNING_P12": p12,
        "SIGNING_PASSPHRASE": passphrase,
        "SIGNING_TSA_URL": tsa,
        "SIGNING_TRUST_ROOTS": [path for path in roots.split(",") if path.strip()],
        # "id:secret,id:secret", current first; older ids keep old documents verifiable.
        "VERIFY_KEYS": env.get("KIOSK_VERIFY_KEYS") or _instance_file(
            instance_path, "verify_keys", lambda: f"k1:{secrets.token_hex(32)}"),
    }


def _flag(value: str | None) -> bool | None:
    return None if value in (None, "") else value == "1"


MISSING_PUBLIC_ADDRESS = (
    "KIOSK_PUBLIC_BASE_URL must be set (e.g. https://layanan.kota.go.id): receipts, print jobs, "
    "notifications and document QR codes link to it. Only KIOSK_DEMO_MODE=1 may leave it unset.")


def _relaxed(config: Mapping[str, Any]) -> bool:
    return bool(config.get("DEMO_MODE") or config.get("TESTING"))


def finish_config(config: dict[str, Any]) -> None:
    """Settle what depends on the mode, once the app's own settings are merged in."""
    if config.get("SESSION_COOKIE_SECURE") is None:
        config["SESSION_COOKIE_SECURE"] = not _relaxed(config)
    config["REMEMBER_COOKIE_SECURE"] = config["SESSION_COOKIE_SECURE"]
    if isinstance(config.get("OUTBOUND_ALLOW", ""), str):
        config["OUTBOUND_ALLOW"] = parse_allow(config.get("OUTBOUND_ALLOW", ""))


def require_public_address(config: Mapping[str, Any]) -> None:
    """A real deployment hands out no link without the public address it must carry: the
    server serves nothing and the outbox worker sends nothing until it is set. Commands that
    make no links (``db upgrade``, ``ikm compute``, ``users create``) run without it."""
    if not _relaxed(config) and not config.get("PUBLIC_BASE_URL"):
        raise RuntimeError(MISSING_PUBLIC_ADDRESS)


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


def _instance_fernet_key(instance_path: str) -> str:
    """A session encryption key of its own, kept beside the secret key in the instance folder."""
    from cryptography.fernet import Fernet

    return _instance_file(instance_path, "session_key", lambda: Fernet.generate_key().decode())


def _instance_secret(instance_path: str, name: str = "secret_key") -> str:
    """Keep a random secret in the instance folder so sessions (and PINs) survive restarts."""
    return _instance_file(instance_path, name, lambda: secrets.token_hex(32))


def _instance_file(instance_path: str, name: str, make: Callable[[], str]) -> str:
    """A secret kept in the instance folder, private (0600) before anything is written to it."""
    path = Path(instance_path) / name
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()
