"""Citizens' notification pages and the providers' inbound hooks: the opt-out link page
(/kabar/berhenti/<token>), STOP replies by SMS (/hooks/sms) and WhatsApp (/hooks/whatsapp)."""

from flask import Blueprint

bp = Blueprint("notifications", __name__)

from kiosk.notifications import views  # noqa: E402,F401
