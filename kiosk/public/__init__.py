"""Public pages: the front page and the health check."""

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from sqlalchemy import text

from kiosk.extensions import db, end_request_transaction

bp = Blueprint("public", __name__)


@bp.get("/")
def index():
    return render_template("public/index.html")


@bp.get("/login")
def login():
    """The address people type: the staff sign-in page (its ``next`` kept, checked there)."""
    next_path = request.args.get("next")
    return redirect(url_for("auth.login", **({"next": next_path} if next_path else {})), 301)


@bp.get("/healthz")
def healthz():
    """Report whether the database answers; load balancers poll this."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as failure:  # any database failure means unhealthy
        end_request_transaction(failure)
        return jsonify({"status": "error", "database": "unreachable"}), 503
    return jsonify({"status": "ok", "database": "ok"})


from kiosk.public import standards as _standards  # noqa: E402,F401  (registers /layanan)
