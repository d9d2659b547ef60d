"""gunicorn settings for `make demo` and `make serve`; the figures behind the choice are in
README.md, section "Speed". PORT, KIOSK_WORKERS and KIOSK_THREADS override the defaults."""

import os

bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("KIOSK_WORKERS", "2"))
worker_class = "gthread"
# Threads waiting on the database or holding a kiosk's print-job long poll cost no CPU; 8 per
# worker keep two held polls from starving the submissions (see kiosk/api/devices.py).
threads = int(os.environ.get("KIOSK_THREADS", "8"))
timeout = 60
keepalive = 5
