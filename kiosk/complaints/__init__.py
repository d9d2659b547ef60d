"""Complaints for citizens and the public (no sign-in): the public board (/pengaduan), filing
from a phone (/pengaduan/baru), and the complaint's own page by code and PIN
(/pengaduan/cek), where the citizen rates the answer."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("complaints", __name__)

from kiosk.complaints import views  # noqa: E402,F401
