"""The JSON API under /api/v1, documented by /api/v1/openapi.json."""

from flask import Blueprint

from kiosk.extensions import csrf

bp = Blueprint("api", __name__)
csrf.exempt(bp)  # the API authenticates with bearer tokens, not cookies

from kiosk.api import (  # noqa: E402,F401
    catalog,
    complaints,
    devices,
    ikm,
    information,
    openapi,
    requests,
)
