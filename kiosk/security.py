"""Security headers on every response: nothing from another host, no framing, no sniffing."""

from __future__ import annotations

from flask import Flask, Response, request

# Scripts, styles, fonts and images come only from this server (style attributes are allowed
# for the few inline widths the templates set).
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


# Staff pages show NIKs, names and phones: no browser or proxy may keep a copy.
STAFF_BLUEPRINTS = frozenset({"admin", "clerk", "auth", "loket"})


def install_security_headers(app: Flask) -> None:
    hsts_seconds = int(app.config.get("HSTS_SECONDS") or 0)
    hsts = (f"max-age={hsts_seconds}; includeSubDomains"
            if app.config.get("SESSION_COOKIE_SECURE") and hsts_seconds > 0 else None)

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if hsts:
            response.headers.setdefault("Strict-Transport-Security", hsts)
        if request.blueprint in STAFF_BLUEPRINTS and \
                "no-store" not in response.headers.get("Cache-Control", ""):
            response.headers["Cache-Control"] = "no-store, max-age=0"
        return response
