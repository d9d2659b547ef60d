"""Open311 GeoReport v2 under /open311/v2 (and its discovery document), in JSON and XML."""

from flask import Blueprint

from kiosk.api_keys import audit_calls_of
from kiosk.extensions import csrf

bp = Blueprint("open311", __name__)
csrf.exempt(bp)  # other systems authenticate with an api_key, not cookies
audit_calls_of(bp)

from kiosk.open311 import views  # noqa: E402,F401
