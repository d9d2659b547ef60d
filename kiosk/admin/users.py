"""Admin pages for staff accounts: list (by role or agency), create, edit, deactivate."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from kiosk.admin import bp
from kiosk.admin.common import show_errors
from kiosk.admin.forms import options
from kiosk.admin.forms.users import ROLE_LABELS, UserForm
from kiosk.auth import current_staff
from kiosk.extensions import db, password_hasher, unit_of_work
from kiosk.messages import say
from services.accounts import MIN_PASSWORD_LENGTH, create_user, deactivate_user, update_user
from services.catalog.agencies import list_agencies
from services.errors import NotAllowed, NotFound, ValidationFailed
from services.models import Agency, Role, User


def _agency_choices(form: UserForm) -> None:
    form.agency_code.choices = options([("", _("(tanpa instansi)"))] + [
        (a.code, f"{a.code} - {a.name_id}") for a in list_agencies(db.session)
    ])


@bp.get("/users/")
def users():
    query = select(User).options(joinedload(User.agency)).order_by(User.active.desc(),
                                                                     User.username)
    role = request.args.get("role", "")
    agency = request.args.get("agency", "")
    if role in {r.value for r in Role}:
        query = query.where(User.role == Role(role))
    if agency:
        query = query.join(User.agency).where(Agency.code == agency)
    return render_template("admin/users/list.html", users=db.session.scalars(query).all(),
                           role=role, agency=agency, roles=ROLE_LABELS,
                           agencies=list_agencies(db.session))


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    form = UserForm()
    _agency_choices(form)
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            with unit_of_work():
                user = create_user(db.session, form.to_input(), actor=current_staff(),
                                   hasher=password_hasher())
        except ValidationFailed as error:
            problems = show_errors(form, error)
        else:
            flash(_("Pengguna %(name)s dibuat.", name=user.username), "ok")
            return redirect(url_for("admin.users"))
    return render_template("admin/users/form.html", form=form, user=None, problems=problems,
                           min_password=MIN_PASSWORD_LENGTH)


def _get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("user.not_found")
    return user


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
def edit_user(user_id: int):
    user = _get_user(user_id)
    form = UserForm(obj=user)
    _agency_choices(form)
    form.username.data = user.username
    if not form.is_submitted():
        form.role.data = user.role.value
        form.agency_code.data = user.agency.code if user.agency else ""
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            with unit_of_work():
                update_user(db.session, user_id, form.to_input(), actor=current_staff(),
                            hasher=password_hasher())
        except ValidationFailed as error:
            problems = show_errors(form, error)
        else:
            flash(_("Pengguna %(name)s disimpan.", name=user.username), "ok")
            return redirect(url_for("admin.users"))
    return render_template("admin/users/form.html", form=form, user=user, problems=problems,
                           min_password=MIN_PASSWORD_LENGTH)


@bp.post("/users/<int:user_id>/deactivate")
def deactivate_user_view(user_id: int):
    user = _get_user(user_id)
    try:
        with unit_of_work():
            deactivate_user(db.session, user_id, actor=current_staff())
    except NotAllowed as error:
        flash(say(error.message), "error")
    else:
        flash(_("Pengguna %(name)s dinonaktifkan.", name=user.username), "ok")
    return redirect(url_for("admin.users"))
