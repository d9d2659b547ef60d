from flask import render_template

from kiosk.admin import bp


@bp.get("/")
def index():
    return render_template("admin/index.html")
