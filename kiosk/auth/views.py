from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from kiosk.auth import StaffUser, bp
from kiosk.auth.forms import LoginForm
from kiosk.extensions import db, limiter
from services.accounts import authenticate
from services.models import Role

HOME_BY_ROLE = {
    Role.ADMIN: "admin.index",
    Role.SUPERVISOR: "clerk.queue",
    Role.CLERK: "clerk.queue",
    Role.OFFICER: "public.index",
    Role.LEADERSHIP: "command.dashboard",
}


def _safe_next(target: str | None) -> str | None:
    """Only follow a ?next= that stays on this site."""
    if not target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and target.startswith("/") else None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(db.session, form.username.data, form.password.data)
        if user is None:
            db.session.rollback()
            flash(_("Nama pengguna atau kata sandi salah."), "error")
        else:
            db.session.commit()
            login_user(StaffUser(user))
            return redirect(_safe_next(request.args.get("next")) or url_for(HOME_BY_ROLE[user.role]))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    return redirect(url_for("auth.login"))
