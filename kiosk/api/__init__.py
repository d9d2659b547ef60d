"""The JSON API under /api/v1, documented by /api/v1/openapi.json."""

from flask import Blueprint

from kiosk.extensions import csrf

bp = Blueprint("api", __name__)
csrf.exempt(bp)  # the API authenticates with bearer tokens, not cookies

from kiosk.api import catalog, devices, ikm, information, openapi, requests  # noqa: E402,F401
