"""Absolute links the city hands out (receipts, print jobs, the document QR code)."""

from __future__ import annotations

from flask import current_app, request


def public_base_url() -> str:
    """PUBLIC_BASE_URL, ending in "/"; never the request's Host header, which a client chooses
    (only demo mode and tests, where it may be unset, fall back to the request's host)."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    return base.rstrip("/") + "/" if base else request.host_url
