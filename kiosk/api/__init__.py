"""The JSON API under /api/v1, documented by /api/v1/openapi.json."""

from flask import Blueprint

from kiosk.api_keys import audit_calls_of
from kiosk.extensions import csrf

bp = Blueprint("api", __name__)
csrf.exempt(bp)  # the API authenticates with bearer tokens and API keys, not cookies
audit_calls_of(bp)

from kiosk.api import (  # noqa: E402,F401
    catalog,
    complaints,
    devices,
    documents,
    ikm,
    information,
    openapi,
    requests,
    uploads,
)
