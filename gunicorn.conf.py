"""gunicorn settings for `make demo` and `make serve`; the figures behind the choice are in
bench/README.md. PORT, KIOSK_WORKERS and KIOSK_THREADS override the defaults."""

import os

bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("KIOSK_WORKERS", "2"))
worker_class = "gthread"
# gthread measured best of sync and gthread (bench/README.md). A kiosk's held print-job long
# poll takes a thread but no CPU; at most KIOSK_LONG_POLL_SLOTS (2) per worker are held, so
# two threads stay free for submissions and pages. Raise both for many kiosks.
threads = int(os.environ.get("KIOSK_THREADS", "4"))
timeout = 60
keepalive = 5


def post_worker_init(worker):  # type: ignore[no-untyped-def]
    """A real deployment without its public address does not start (kiosk/config.py)."""
    if reason := getattr(worker.wsgi, "config", {}).get("PUBLIC_ADDRESS_MISSING"):
        raise RuntimeError(reason)
