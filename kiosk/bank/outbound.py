"""The app's one call out to the bank: asking the demo bank to pay a bill ("Bayar (simulasi)").

Kept to this one function on purpose: every server-side HTTP call must go through the SSRF
guard services.outbound.guarded_request(...) (branch "trust"); when it is merged, this body
becomes guarded_request("POST", url, json=..., timeout=...), and nothing else changes."""

from __future__ import annotations

from typing import Any

import requests


def ask_bank_to_pay(bank_url: str, *, va_number: str) -> dict[str, Any]:
    """POST {bank_url}/pay for a VA customer number; the bank's answer as JSON."""
    answer = requests.post(f"{bank_url.rstrip('/')}/pay", json={"va": va_number}, timeout=30)
    answer.raise_for_status()
    body = answer.json()
    return body if isinstance(body, dict) else {}
