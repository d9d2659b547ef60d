"""The citizen's queue pages on a phone, under /antrean: follow a ticket's place in the line
(the ticket's QR code leads here), book a slot at a counter group, and cancel a booking from
the link in its message. No sign-in: a ticket's page knows only a place in the line."""

from flask import Blueprint

bp = Blueprint("antrean", __name__)

from kiosk.antrean import views  # noqa: E402,F401
