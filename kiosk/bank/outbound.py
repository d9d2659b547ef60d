"""The app's one call out to the bank: asking the demo bank to pay a bill ("Bayar (simulasi)").

It goes through the SSRF guard like every server-side request: the configured bank's own host
is allowed (an operator's setting, not a citizen's input), the connection is pinned to the
address checked, and redirects are not followed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from services.outbound import guarded_request


def ask_bank_to_pay(bank_url: str, *, va_number: str, allow: Iterable[str] = ()
                    ) -> dict[str, Any]:
    """POST {bank_url}/pay for a VA customer number; the bank's answer as JSON."""
    bank_host = (urlsplit(bank_url).hostname or "").lower()
    answer = guarded_request("POST", f"{bank_url.rstrip('/')}/pay", json={"va": va_number},
                             allow=(*allow, bank_host), timeout=30, max_bytes=64 * 1024)
    answer.raise_for_status()
    body = answer.json()
    return body if isinstance(body, dict) else {}
