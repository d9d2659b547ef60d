"""The bank's SNAP endpoints under /snap/v1.0 (access token, VA inquiry, VA payment, QRIS
notification): other systems sign their calls, so no cookie and no CSRF token applies."""

from flask import Blueprint

from kiosk.extensions import csrf

bp = Blueprint("bank", __name__)
csrf.exempt(bp)

from kiosk.bank import views  # noqa: E402,F401
