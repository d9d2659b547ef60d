"""The hall's displays under /layar/<group>: a TV page with the numbers called, the count of
those waiting and the running text, told of each call within a second (long poll, as the print
jobs are) and speaking it in Bahasa Indonesia. Public: it shows ticket numbers only."""

from flask import Blueprint

bp = Blueprint("layar", __name__)

from kiosk.layar import views  # noqa: E402,F401
