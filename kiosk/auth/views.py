from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from kiosk.auth import StaffUser, bp, current_staff, end_staff_session, start_staff_session
from kiosk.auth.forms import LoginForm
from kiosk.extensions import clock, db, limiter, password_hasher, unit_of_work
from services.accounts import SignIn, authenticate, end_sessions
from services.models import Role

HOME_BY_ROLE = {
    Role.ADMIN: "admin.index",
    Role.SUPERVISOR: "clerk.queue",
    Role.CLERK: "clerk.queue",
    Role.OFFICER: "officer.desk",
    Role.COORDINATOR: "coordination.inbox",
    Role.LEADERSHIP: "command.dashboard",
    Role.TREASURER: "bendahara.payments",
    Role.OFFICIAL: "pejabat.queue",
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
        signed = attempt_sign_in(form.username.data or "", form.password.data or "")
        if signed.user is None:
            flash(sign_in_refusal(signed), "error")
            return render_template("auth/login.html", form=form), (
                429 if signed.locked_until else 200)
        login_user(StaffUser(signed.user))
        start_staff_session(signed.user)
        return redirect(_safe_next(request.args.get("next"))
                        or url_for(HOME_BY_ROLE[signed.user.role]))
    return render_template("auth/login.html", form=form)


def attempt_sign_in(username: str, password: str) -> SignIn:
    """One sign-in attempt from this request's address, for the staff login and the kiosk
    officer's alike; a failed attempt is committed, so every worker counts it."""
    with unit_of_work():
        return authenticate(db.session, username, password, address=request.remote_addr or "",
                            now=clock().now(), hasher=password_hasher())


def sign_in_refusal(signed: SignIn) -> str:
    """Why a sign-in failed, in the visitor's language; the same words for either wrong part."""
    if signed.locked_until:
        return _("Terlalu banyak percobaan masuk yang gagal. Coba lagi setelah %(time)s.",
                 time=format_datetime(signed.locked_until, "HH:mm"))
    return _("Nama pengguna atau kata sandi salah.")


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out, and end every other session of this account too (its cookies stop working)."""
    if current_user.is_authenticated:
        with unit_of_work():
            end_sessions(current_staff())
    logout_user()
    end_staff_session("")
    return redirect(url_for("auth.login"))
